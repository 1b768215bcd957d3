import PolicyTrackerCore

/// What the list's filters and sorts look at, per item, packed into plain numbers: built
/// once per load, so a filter or sort keystroke is one pass over small values rather than a
/// sort or a scan of whole items (at 100,000 items, a millisecond or two instead of a second).
///
/// Items are numbered by their position in id order. Each sort order is a permutation of
/// those positions, made on first use and kept until the next load; ties in every order fall
/// back to the position, that is to the id.
struct ListIndex: Equatable, Sendable {
    /// Item ids in id order: position `i` is `ids[i]`.
    let ids: [String]
    /// Each id's position (the search index numbers items the same way).
    let numbers: [String: Int32]
    private var records: [Record]
    /// Category names, sorted, so comparing indexes compares names.
    private let categories: [String]
    private let catalogs: [String]
    /// A bit for each of the first 64 actors the items name (sorted by id); a filter by
    /// another actor reads the items themselves.
    private let actorBits: [String: UInt64]
    private var orders: [SortOrder: [Int32]]

    /// One item's filter and sort keys.
    private struct Record: Equatable, Sendable {
        var status: UInt8
        var actors: UInt64
        var watched: Bool
        var category: Int32
        var catalog: Int32
    }

    init(_ items: [String: Item]) {
        ids = items.keys.sorted()
        numbers = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, Int32($0)) })
        categories = Array(Set(items.values.map(\.recommendation.category))).sorted()
        catalogs = Array(Set(items.values.map(\.recommendation.catalog))).sorted()
        let categoryIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, Int32($0)) })
        let catalogIndex = Dictionary(uniqueKeysWithValues: catalogs.enumerated().map { ($1, Int32($0)) })
        let actors = Set(items.values.lazy.flatMap(\.recommendation.actors).map(\.id)).sorted().prefix(64)
        let actorBits = Dictionary(uniqueKeysWithValues: actors.enumerated().map { ($1, UInt64(1) << UInt64($0)) })
        self.actorBits = actorBits
        records = ids.map { id in
            let recommendation = items[id]!.recommendation
            return Record(
                status: Self.bit(items[id]!.status), actors: Self.bits(recommendation.actors, actorBits),
                watched: recommendation.watched, category: categoryIndex[recommendation.category]!,
                catalog: catalogIndex[recommendation.catalog]!)
        }
        orders = [.id: Array(0..<Int32(ids.count))]
    }

    /// The index with `items` (already in it, in categories and catalogs it knows) changed
    /// to `current`'s; nil when one is new or moved to a category or catalog it does not
    /// know, which calls for a new index.
    func updating(_ changed: Set<String>, from current: [String: Item]) -> ListIndex? {
        var updated = self
        for id in changed {
            guard let number = numbers[id], let item = current[id],
                  let category = categories.firstIndex(of: item.recommendation.category),
                  let catalog = catalogs.firstIndex(of: item.recommendation.catalog),
                  item.recommendation.actors.allSatisfy({ actorBits[$0.id] != nil }) || actorBits.count == 64
            else { return nil }
            updated.records[Int(number)] = Record(
                status: Self.bit(item.status), actors: Self.bits(item.recommendation.actors, actorBits),
                watched: item.recommendation.watched, category: Int32(category), catalog: Int32(catalog))
        }
        updated.orders = [.id: orders[.id]!]
        return updated
    }

    private static func bit(_ status: Status) -> UInt8 { 1 << UInt8(Status.allCases.firstIndex(of: status)!) }
    private static func bits(_ actors: [Actor], _ bits: [String: UInt64]) -> UInt64 {
        actors.reduce(0) { $0 | (bits[$1.id] ?? 0) }
    }

    /// The category of the item at `position`.
    func category(at position: Int32) -> String { categories[Int(records[Int(position)].category)] }

    /// Every position in `sort`'s order (made on first use, then kept).
    mutating func order(_ sort: SortOrder, items: [String: Item]) -> [Int32] {
        if let order = orders[sort] { return order }
        let positions = Array(0..<Int32(ids.count))
        let order: [Int32]
        switch sort {
        case .id: order = positions
        case .status: order = positions.sorted { records[Int($0)].status != records[Int($1)].status ? records[Int($0)].status < records[Int($1)].status : $0 < $1 }
        case .category: order = positions.sorted { records[Int($0)].category != records[Int($1)].category ? records[Int($0)].category < records[Int($1)].category : $0 < $1 }
        case .since:
            // Newest status first; items whose status never changed last.
            let dates = ids.map { items[$0]!.since?.text ?? "" }
            order = positions.sorted { dates[Int($0)] != dates[Int($1)] ? dates[Int($0)] > dates[Int($1)] : $0 < $1 }
        }
        orders[sort] = order
        return order
    }

    /// The positions of `order` that `filter` keeps; nil when it searches text, which needs
    /// the items themselves.
    func kept(_ order: [Int32], by filter: ItemFilter) -> [Int32]? {
        guard (filter.search ?? "").isEmpty else { return nil }
        guard !filter.isEmpty else { return order }
        // An actor without a bit is one no item names, unless there were too many for bits.
        if let actor = filter.actor, actorBits[actor.id] == nil { return actorBits.count < 64 ? [] : nil }
        let statuses = filter.statuses.isEmpty ? UInt8.max : filter.statuses.reduce(0) { $0 | Self.bit($1) }
        let actor = filter.actor.map { actorBits[$0.id]! } ?? 0
        let category = filter.category.map { name in categories.firstIndex(of: name).map(Int32.init) ?? -1 }
        let catalog = filter.catalog.map { name in catalogs.firstIndex(of: name).map(Int32.init) ?? -1 }
        let watchedOnly = filter.watchedOnly
        return order.filter { position in
            let record = records[Int(position)]
            return record.status & statuses != 0 && record.actors & actor == actor
                && (category.map { $0 == record.category } ?? true) && (catalog.map { $0 == record.catalog } ?? true)
                && (!watchedOnly || record.watched)
        }
    }
}
