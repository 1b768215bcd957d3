/// The generator's only source of randomness: SplitMix64 (Steele, Lea and Flood, 2014).
///
/// Written out here rather than taken from the standard library so that the same seed gives
/// the same bytes on every platform and with every Swift version: `SystemRandomNumberGenerator`
/// is not seedable, and the algorithms behind `Int.random(in:using:)` may change.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// An independent stream for one part of the data, named by up to three numbers (such as
    /// a purpose, an item and a change), so every part can be generated on its own, in any
    /// order and on any thread, and still come out the same.
    init(seed: UInt64, _ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0) {
        var mixer = SplitMix64(seed: seed)
        var state = mixer.next()
        for key in [a, b, c] {
            mixer = SplitMix64(seed: state ^ (key &* 0xD6E8_FEB8_6659_FD93))
            state = mixer.next()
        }
        self.state = state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (multiply-shift; the bias is below 2^-40 for our bounds).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    /// A number in `range`.
    mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True with probability `percent` in 100.
    mutating func percent(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// One element of a non-empty array.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[below(elements.count)]
    }

    /// One element, each chosen with its weight.
    mutating func weighted<Element>(_ choices: [(Element, Int)]) -> Element {
        var roll = below(choices.reduce(0) { $0 + $1.1 })
        for (element, weight) in choices {
            if roll < weight { return element }
            roll -= weight
        }
        return choices[choices.count - 1].0
    }
}

/// The purposes of the independent streams (the first key of `SplitMix64(seed:_:_:_:)`).
enum Stream: UInt64 {
    case recommendation = 1
    case schedule = 2
    case change = 3
    case language = 4
    case taskUUID = 5
    case changeId = 6
}
