/// How many items stand in each status.
public struct Tally: Equatable, Sendable {
    public private(set) var counts: [Status: Int] = [:]
    public private(set) var total = 0

    public init() {}

    public init(_ items: some Sequence<Item>) {
        for item in items { add(item.status) }
    }

    public mutating func add(_ status: Status) {
        counts[status, default: 0] += 1
        total += 1
    }

    /// Takes back one ``add(_:)`` of `status`: the tally is then as if it had never been added.
    public mutating func remove(_ status: Status) {
        guard let count = counts[status] else { return }
        counts[status] = count > 1 ? count - 1 : nil
        total -= 1
    }

    public func count(_ status: Status) -> Int { counts[status] ?? 0 }

    /// The fraction of items in `status` (0 when there are none).
    public func share(_ status: Status) -> Double {
        total == 0 ? 0 : Double(count(status)) / Double(total)
    }
}

/// A named group of items and its tally: a category or an actor.
public struct GroupTally: Equatable, Sendable {
    public var name: String
    public var tally: Tally
}

/// The contents of a status report, independent of its format.
public struct StatusReport: Equatable, Sendable {
    public var asOf: PolicyDate
    public var generated: Timestamp
    public var catalogs: [Catalog]
    public var overall: Tally
    public var byCategory: [GroupTally]
    public var byActor: [GroupTally]
    /// The catalogs whose actors ``byActor`` lists, counted or not: those of the items
    /// reported (all of them when there is none).
    var actorCatalogs: [Catalog] = []
    /// The latest status changes, newest first.
    public var recent: [Transition]
    /// Items stalled or reversed, oldest status first.
    public var attention: [Item]
    /// Every item shown, in no order (see ``addAppendix(items:transitions:staleDays:)``).
    public var items: [Item] = []
    /// The changes behind each item implemented, partial, stalled or reversed, by id; nil
    /// when the report leaves the evidence out.
    public var evidence: [Evidence]?
    /// The catalogs' sources, which the evidence cites (set with the evidence).
    public var sources: [Source] = []
    /// Items last reviewed ``staleDays`` or more days before ``asOf``, or never, by id.
    public var stale: [Item] = []
    public var staleDays = 180
    /// What the report was built from; nil for a report not built from a data directory.
    public var provenance: Provenance?

    /// Builds the report over `items` (already filtered and replayed as of `asOf`).
    public init(items: [Item], catalogs: [Catalog], history: [Change], asOf: PolicyDate, generated: Timestamp, recentLimit: Int = 10) {
        self.init(
            items: items, catalogs: catalogs, transitions: Timeline.transitions(history, asOf: asOf), asOf: asOf,
            generated: generated, recentLimit: recentLimit)
    }

    /// Builds the report from status transitions already derived (oldest first, as
    /// ``Timeline/transitions(_:asOf:)`` gives them, up to `asOf`), for callers that keep them.
    public init(items: [Item], catalogs: [Catalog], transitions: [Transition], asOf: PolicyDate, generated: Timestamp, recentLimit: Int = 10) {
        self.asOf = asOf
        self.generated = generated
        self.catalogs = catalogs
        var overall = Tally()
        var categories: [String: Tally] = [:]
        byActor = []
        for item in items {
            overall.add(item.status)
            categories[item.recommendation.category, default: Tally()].add(item.status)
        }
        self.overall = overall
        byCategory = categories.map { GroupTally(name: $0.key, tally: $0.value) }.sorted { $0.name < $1.name }
        // Which of the items the transitions name are shown, without a set of every item.
        let named = Set(transitions.map(\.change.recommendationId))
        let shown = Set(items.lazy.map(\.id).filter(named.contains))
        recent = Array(transitions
            .filter { shown.contains($0.change.recommendationId) }
            .reversed().prefix(recentLimit))
        let flagged = items.filter(\.needsAttention)
        // Sorted through their keys: moving keys is far cheaper than moving items.
        let keys = flagged.map(\.attentionKey)
        attention = flagged.indices.sorted { keys[$0] < keys[$1] }.map { flagged[$0] }
        let shownCatalogs = Set(items.map(\.recommendation.catalog))
        actorCatalogs = items.isEmpty ? catalogs : catalogs.filter { shownCatalogs.contains($0.id) }
        countActors(of: items, adding: true)
    }

    /// Counts (or, not `adding`, uncounts) the status of each of `items` for each of its
    /// actors in ``byActor``: the actors of the vocabularies of the catalogs the report's
    /// items are in (``actorCatalogs``), in their order, then
    /// any other an item names, by name, while one does.
    private mutating func countActors(of items: [Item], adding: Bool) {
        var tallies = Dictionary(byActor.map { ($0.name, $0.tally) }, uniquingKeysWith: { first, _ in first })
        for item in items {
            for actor in item.recommendation.actors { tallies[actor.id, default: Tally()].change(item.status, adding: adding) }
        }
        let declared = Vocabulary.combined(actorCatalogs).actors.map(\.id)
        let others = Set(tallies.keys).subtracting(declared).filter { tallies[$0]!.total > 0 }.sorted()
        byActor = (declared + others).map { GroupTally(name: $0, tally: tallies[$0] ?? Tally()) }
    }

    /// The report after the items `before` (as they were; nil for one added) became `after`
    /// (nil for one gone), every other item unchanged: the tallies and the stalled or
    /// reversed and stale lists changed for those items alone, as a new report over every
    /// item would have them. The stale list keeps the order `staleOrder` numbers items in
    /// (the items of `before` and `after` included).
    /// ``recent`` is left to the caller.
    public mutating func update(replacing before: [Item], with after: [Item], staleOrder: (String) -> Int) {
        var categories = Dictionary(uniqueKeysWithValues: byCategory.map { ($0.name, $0.tally) })
        for (items, counts) in [(before, false), (after, true)] {
            for item in items {
                overall.change(item.status, adding: counts)
                categories[item.recommendation.category, default: Tally()].change(item.status, adding: counts)
            }
            countActors(of: items, adding: counts)
        }
        byCategory = categories.filter { $0.value.total > 0 }.map { GroupTally(name: $0.key, tally: $0.value) }.sorted { $0.name < $1.name }
        // Each list is in order of a key, so an item is found, and placed, by binary search.
        for item in before {
            let key = item.attentionKey
            attention.remove(item.id) { $0.attentionKey >= key }
        }
        for item in after where item.needsAttention {
            attention.insert(item, at: attention.partitioningIndex { $0.attentionKey > item.attentionKey })
        }
        for item in before {
            let order = staleOrder(item.id)
            stale.remove(item.id) { staleOrder($0.id) >= order }
        }
        let cutoff = asOf.lastDay(minusDays: staleDays)
        for item in after where item.isStale(cutoff: cutoff) {
            let order = staleOrder(item.id)
            stale.insert(item, at: stale.partitioningIndex { staleOrder($0.id) > order })
        }
    }
}

private extension [Item] {
    /// Removes the item `id`, if there, from these ordered items: it is the first for which
    /// `isAtOrAfter` holds.
    mutating func remove(_ id: String, isAtOrAfter: (Item) -> Bool) {
        let index = partitioningIndex(where: isAtOrAfter)
        if index < count, self[index].id == id { remove(at: index) }
    }
}

private extension Tally {
    mutating func change(_ status: Status, adding: Bool) {
        if adding { add(status) } else { remove(status) }
    }
}

extension Item {
    /// Stalled or reversed: listed under the report's attention.
    var needsAttention: Bool { status == .stalled || status == .reversed }
    /// The attention list's order: the longest-standing status first, then by id.
    var attentionKey: (String, String) { (since?.text ?? "", id) }
    /// Not reviewed since `cutoff`, or never.
    func isStale(cutoff: PolicyDate) -> Bool { recommendation.lastReviewed.map { $0 <= cutoff } ?? true }
}
