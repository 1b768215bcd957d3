/// For every byte, the items having a word that holds it: the answer to every query of one
/// byte other than a space, worked out in advance, and a first filter for queries with a
/// space.
struct ByteIndex: Equatable, Sendable {
    /// For each byte, its index in `postings`, or -1 when no word holds it.
    private var slots = [Int32](repeating: -1, count: 256)
    private var postings: [Postings] = []

    /// The bytes of the words of `words`, whose items are numbered from 0 to `count - 1`.
    init(words: WordIndex, count: Int) {
        var itemsWith = [ItemBits](repeating: ItemBits(count: count), count: 256)
        words.forEachWord { number, word in
            var present = ItemBits(count: 256)  // used as a set of bytes
            for byte in word { present.insert(Int(byte)) }
            present.forEach { words.postings(of: number).add(to: &itemsWith[$0]) }
        }
        for (byte, items) in itemsWith.enumerated() where !items.isEmpty {
            slots[byte] = Int32(postings.count)
            postings.append(Postings(items))
        }
    }

    /// Removes from `candidates` the items lacking a byte of `needle`, other than a space.
    func narrow(_ candidates: inout ItemBits, to needle: [UInt8]) {
        for byte in Set(needle) where byte != WordIndex.space {
            guard slots[Int(byte)] >= 0 else {
                candidates = ItemBits(count: candidates.count)
                return
            }
            postings[Int(slots[Int(byte)])].narrow(&candidates)
        }
    }
}
