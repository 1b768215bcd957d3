import PolicyTrackerCore

/// Finds the items whose id, title, summary or a note of a change in effect contains a
/// query, ignoring case: both sides lower-cased with `String.lowercased()`, then compared
/// as UTF-8 bytes, one field at a time.
///
/// Built once per load: the lower-cased text of the items, split at item boundaries into a
/// ``SearchSegment`` per core, each knowing the items of every distinct word
/// (``WordIndex``) and of every byte (``ByteIndex``). A query without a space is answered
/// from those; one with a space is looked for in the text of the items having its other
/// bytes. The segments are searched on all cores at once, and a query that extends the
/// previous one (one more key typed) refines its matches.
struct SearchIndex: Sendable {
    private var segments: [SearchSegment] = []
    /// How many items the index holds.
    private(set) var count = 0
    /// The last query (lower-cased UTF-8) and its matches in each segment, which a longer query refines.
    private var last: (needle: [UInt8], matches: [SegmentMatches])?
    /// Items whose text changed since the segments were built, by number, with their fields
    /// lower-cased: searched one by one in place of what the segments hold for them.
    private var replaced: [Int: [[UInt8]]] = [:]

    /// An index of no items.
    init() {}

    /// Indexes `items`, with their notes by item id; an item's number is its position in
    /// `items` (in id order, as ``ListIndex`` numbers them).
    init(items: [Item], notes: [String: [String]]) {
        count = items.count
        segments = Parallel.map(Self.shares(of: items.count)) { range in
            SearchSegment(text: SearchText(range.lazy.map { Self.fields(of: items, at: $0, notes: notes) }))
        }
    }

    /// The items matching `query`; none for an empty query.
    mutating func items(matching query: String) -> ItemBits {
        let needle = Array(query.lowercased().utf8)
        guard !needle.isEmpty else { return ItemBits(count: count) }
        let matches = last.flatMap { $0.needle == needle ? $0.matches : nil } ?? search(needle)
        last = (needle, matches)
        var bits = ItemBits(concatenating: matches.map(\.items))
        for (number, fields) in replaced {
            if fields.contains(where: { $0.firstRange(of: needle) != nil }) { bits.insert(number) } else { bits.remove(number) }
        }
        return bits
    }

    /// Searches the item numbered `number` in `fields` (its id, title, summary and notes)
    /// from now on: what a save changed, without building the segments again.
    mutating func replace(_ number: Int, fields: [String]) {
        replaced[number] = fields.map { Array($0.lowercased().utf8) }
    }

    /// Every segment's matches of `needle`, found on all cores, refining the last query's
    /// when `needle` extends it.
    private func search(_ needle: [UInt8]) -> [SegmentMatches] {
        let segments = segments
        let previous = last.flatMap { needle.starts(with: $0.needle) ? $0.matches : nil }
        return Parallel.map(Array(segments.indices)) { index in
            segments[index].matches(of: needle, refining: previous?[index])
        }
    }

    /// The texts a search looks into, of item `index` (read field by field: a copy of the
    /// item would retain all of its strings).
    private static func fields(of items: [Item], at index: Int, notes: [String: [String]]) -> [String] {
        fields(of: items[index].recommendation, notes: notes)
    }

    /// The texts a search looks into, of `recommendation` with its notes.
    static func fields(of recommendation: Recommendation, notes: [String: [String]]) -> [String] {
        [recommendation.id, recommendation.title, recommendation.summary] + (notes[recommendation.id] ?? [])
    }

    /// Below this many items per core, waking another core costs more than it saves.
    private static let minimumShare = 4096

    /// `count` items split into one run per core (fewer for few items), each but the last a
    /// multiple of 64 long, so the segments' results join into one ``ItemBits``.
    private static func shares(of count: Int) -> [Range<Int>] {
        let parts = max(1, min(Parallel.cores, count / minimumShare))
        let size = max(1, ((count + parts - 1) / parts + 63) / 64) * 64
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }
}

extension SearchIndex: Equatable {
    /// Equal when built from the same items and notes; the memory of the last query is left out.
    static func == (lhs: SearchIndex, rhs: SearchIndex) -> Bool {
        lhs.count == rhs.count && lhs.segments == rhs.segments && lhs.replaced == rhs.replaced
    }
}
