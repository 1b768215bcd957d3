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
    /// The latest status changes, newest first.
    public var recent: [Transition]
    /// Items stalled or reversed, oldest status first.
    public var attention: [Item]
    /// Titles by id, for the changes listed.
    public var titles: [String: String]

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
        overall = Tally(items)
        byCategory = Dictionary(grouping: items, by: \.recommendation.category)
            .map { GroupTally(name: $0.key, tally: Tally($0.value)) }
            .sorted { $0.name < $1.name }
        byActor = Actor.allCases.map { actor in
            GroupTally(name: actor.rawValue, tally: Tally(items.filter { $0.recommendation.actors.contains(actor) }))
        }
        let shown = Set(items.map(\.id))
        recent = Array(transitions
            .filter { shown.contains($0.change.recommendationId) }
            .reversed().prefix(recentLimit))
        attention = items.filter { $0.status == .stalled || $0.status == .reversed }
            .sorted { ($0.lastChange?.text ?? "", $0.id) < ($1.lastChange?.text ?? "", $1.id) }
        titles = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.recommendation.title) })
    }
}
