/// Makes change ids: the recording time and a random part, e.g. `20240131T120000Z-3f9a2c1b7d4e`,
/// so ids sort roughly by recording time and two copies of a tracker never make the same one.
public struct ChangeIdGenerator {
    private var random: () -> UInt64

    public init(random: @escaping () -> UInt64 = { UInt64.random(in: 0...UInt64.max) }) {
        self.random = random
    }

    /// A new id for a change recorded at `time`.
    public func next(at time: Timestamp) -> String {
        let compactTime = time.text.filter { $0 != "-" && $0 != ":" }
        let digits = String(random() & 0xFFFF_FFFF_FFFF, radix: 16)
        return compactTime + "-" + String(repeating: "0", count: 12 - digits.count) + digits
    }
}
