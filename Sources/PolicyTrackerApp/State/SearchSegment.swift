/// A run of consecutive items with their searchable text and its indexes: the share of a
/// search one core does.
struct SearchSegment: Equatable, Sendable {
    private let text: SearchText
    private let bytes: ByteIndex
    private let words: WordIndex

    /// Indexes `text`.
    init(text: SearchText) {
        self.text = text
        words = text.bytes.withUnsafeBufferPointer { WordIndex(text: $0, starts: text.starts) }
        bytes = ByteIndex(words: words, count: text.count)
    }

    /// How many items the segment holds.
    var count: Int { text.count }

    /// The items matching `needle`, a non-empty lower-cased query, refining `previous`, the
    /// matches of a query `needle` extends, when given.
    ///
    /// Without a space, the bytes answer a query of one byte and the words a longer one.
    /// With a space, the items having the needle's other bytes are scanned.
    func matches(of needle: [UInt8], refining previous: SegmentMatches?) -> SegmentMatches {
        let hasSpace = needle.contains(WordIndex.space)
        if needle.count > 1, !hasSpace {
            let found = words.words(containing: needle, among: previous?.words)
            return SegmentMatches(items: words.items(having: found, count: count), words: found)
        }
        var matches = SegmentMatches(items: previous?.items ?? ItemBits(count: count, filled: true), earliest: previous?.earliest)
        bytes.narrow(&matches.items, to: needle)
        if hasSpace { scan(&matches, for: needle) }
        return matches
    }

    /// Keeps the items of `matches` whose text contains `needle`, each searched from its
    /// earliest possible match, and records where each first matches.
    private func scan(_ matches: inout SegmentMatches, for needle: [UInt8]) {
        let starts = text.starts
        var earliest = matches.earliest ?? Array(starts.dropLast())
        let candidates = matches.items
        text.bytes.withUnsafeBufferPointer { bytes in
            needle.withUnsafeBufferPointer { needle in
                candidates.forEach { item in
                    if let position = ByteSearch.firstMatch(of: needle, in: bytes, from: earliest[item], to: starts[item + 1]) {
                        earliest[item] = position
                    } else {
                        matches.items.remove(item)
                    }
                }
            }
        }
        matches.earliest = earliest
    }
}

/// The items of a segment matching a query, and what lets a longer query refine them.
struct SegmentMatches: Sendable {
    /// The matching items, numbered within the segment.
    var items: ItemBits
    /// After a scan: for each item, a text position at or before the query's first match in
    /// it (a longer query cannot match earlier). Nil: the items' starts.
    var earliest: [Int]?
    /// When the words answered: the words containing the query.
    var words: [Int32]?
}
