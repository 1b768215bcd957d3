/// The items having some feature of their text (a word, a byte): a sorted list while
/// they are few, else one bit per item, whichever is smaller.
enum Postings: Equatable, Sendable {
    case sparse([UInt32])
    case dense(ItemBits)

    /// `items`, sorted, out of `count` items.
    init(_ items: [UInt32], count: Int) {
        guard items.count * 32 >= count else {
            self = .sparse(items)
            return
        }
        var bits = ItemBits(count: count)
        for item in items { bits.insert(Int(item)) }
        self = .dense(bits)
    }

    /// The items of `items`.
    init(_ items: ItemBits) {
        guard items.memberCount * 32 < items.count else {
            self = .dense(items)
            return
        }
        var listed: [UInt32] = []
        items.forEach { listed.append(UInt32($0)) }
        self = .sparse(listed)
    }

    /// Removes from `candidates` the items not listed.
    func narrow(_ candidates: inout ItemBits) {
        switch self {
        case .dense(let items):
            candidates.formIntersection(items)
        case .sparse(let items):
            var kept = ItemBits(count: candidates.count)
            for item in items where candidates.contains(Int(item)) { kept.insert(Int(item)) }
            candidates = kept
        }
    }

    /// Adds the items listed to `items`.
    func add(to items: inout ItemBits) {
        switch self {
        case .dense(let listed):
            items.formUnion(listed)
        case .sparse(let listed):
            for item in listed { items.insert(Int(item)) }
        }
    }
}
