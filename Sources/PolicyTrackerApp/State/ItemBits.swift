/// A set of item numbers in `0..<count`, one bit each: cheap to intersect and to walk in
/// order even when it holds nearly every item, as the result of a one-letter search does.
struct ItemBits: Equatable, Sendable {
    /// Bit `n % 64` of word `n / 64` is set when `n` is in the set; bits from `count` on are clear.
    private(set) var words: [UInt64]
    /// The size of the universe, not of the set.
    let count: Int

    /// The empty set (`filled` false) or every number in `0..<count`.
    init(count: Int, filled: Bool = false) {
        self.count = count
        words = [UInt64](repeating: filled ? ~0 : 0, count: (count + 63) / 64)
        if filled, count % 64 != 0 { words[words.count - 1] = (1 << UInt64(count % 64)) - 1 }
    }

    /// The sets of consecutive universes, as one: every part but the last must cover a
    /// multiple of 64 numbers.
    init(concatenating parts: [ItemBits]) {
        count = parts.reduce(0) { $0 + $1.count }
        words = parts.flatMap(\.words)
    }

    /// How many numbers the set holds.
    var memberCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    func contains(_ number: Int) -> Bool { words[number >> 6] & (1 << UInt64(number & 63)) != 0 }

    mutating func insert(_ number: Int) { words[number >> 6] |= 1 << UInt64(number & 63) }

    mutating func remove(_ number: Int) { words[number >> 6] &= ~(1 << UInt64(number & 63)) }

    /// Keeps only the numbers `other` holds too.
    mutating func formIntersection(_ other: ItemBits) {
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] &= theirs[index] }
            }
        }
    }

    /// Adds the numbers `other` holds.
    mutating func formUnion(_ other: ItemBits) {
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] |= theirs[index] }
            }
        }
    }

    /// Calls `body` with each number of the set, in increasing order.
    func forEach(_ body: (Int) -> Void) {
        for (index, word) in words.enumerated() {
            var rest = word
            while rest != 0 {
                body(index << 6 | rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
    }
}
