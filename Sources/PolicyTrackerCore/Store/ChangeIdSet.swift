import Foundation

/// A Bloom filter of change ids: a few bits per id that answer "certainly not seen" or
/// "perhaps seen".
///
/// The snapshot keeps one over every change id it covers, so the lines appended after it
/// can be checked for ids used before without reading the whole log again: an id the filter
/// has certainly not seen is new; one it perhaps has sends the load to a full replay, which
/// decides exactly. With ten bits and seven hashes per id, about one new id in a hundred is
/// a false alarm while the filter holds no more ids than its capacity.
public struct ChangeIdSet: Equatable, Sendable {
    /// How many ids the filter is sized for.
    public let capacity: Int
    /// How many ids were inserted.
    public private(set) var count: Int
    private var words: [UInt64]

    static let bitsPerId = 10
    static let hashCount = 7

    /// An empty filter for up to `capacity` ids (at least 1,024).
    public init(capacity: Int) {
        self.capacity = max(1024, capacity)
        self.count = 0
        self.words = [UInt64](repeating: 0, count: (self.capacity * Self.bitsPerId + 63) / 64)
    }

    /// A filter holding `ids`, sized with room for as many again.
    public init(_ ids: some Collection<String>) {
        self.init(capacity: ids.count * 2)
        for id in ids { insert(id) }
    }

    /// True once more ids were inserted than the filter is sized for.
    public var isOverfull: Bool { count > capacity }

    public mutating func insert(_ id: String) {
        for bit in bits(of: id) { words[bit / 64] |= 1 << UInt64(bit % 64) }
        count += 1
    }

    /// False when `id` was certainly never inserted.
    public func mightContain(_ id: String) -> Bool {
        bits(of: id).allSatisfy { words[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    /// The bit positions of `id` (double hashing over FNV-1a and a mix of it).
    private func bits(of id: String) -> [Int] {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            first ^= UInt64(byte)
            first &*= 0x100_0000_01b3
        }
        var second = first ^ (first >> 31)
        second &*= 0x7fb5_d329_728e_a185
        second = (second ^ (second >> 27)) | 1
        let size = UInt64(words.count * 64)
        return (0..<Self.hashCount).map { Int((first &+ UInt64($0) &* second) % size) }
    }

    /// The bits as base64 (little-endian words), for the snapshot.
    public var encodedBits: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.count * 8)
        for word in words { withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) } }
        return Data(bytes).base64EncodedString()
    }

    /// A filter read back from the snapshot, or nil when the parts do not fit together.
    public init?(capacity: Int, count: Int, encodedBits: String) {
        guard capacity >= 1024, count >= 0, let data = Data(base64Encoded: encodedBits),
              data.count == (capacity * Self.bitsPerId + 63) / 64 * 8
        else { return nil }
        self.capacity = capacity
        self.count = count
        self.words = data.withUnsafeBytes { bytes in
            (0..<bytes.count / 8).map { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
    }
}
