/// The links between a tracker's items, both ways. What an item links to is part of its
/// recommendation; the index holds what links to each item, found in one pass over the items
/// when a state is loaded, so showing an item's links costs a look-up, not a scan.
public struct LinkIndex: Equatable, Sendable {
    /// For each item linked to, the links pointing at it, each with the kind and the id of
    /// the item that has it, sorted.
    private var incoming: [String: [Link]] = [:]

    /// An index of no links.
    public init() {}

    /// The index of the links of `items`.
    public init(_ items: [String: Item]) {
        for (id, item) in items {
            for link in item.recommendation.links { incoming[link.id, default: []].append(Link(link.kind, id)) }
        }
        incoming = incoming.mapValues { $0.sorted() }
    }

    /// The links pointing at the item `id`, each with the kind and the id of the item that has
    /// it, by kind then id.
    public func linkedFrom(_ id: String) -> [Link] {
        incoming[id] ?? []
    }

    /// The links of `item` both ways, as `show` and the browser list them: its own, then
    /// those pointing at it, each with the item at the other end as `items` has it.
    public func entries(of item: Item, in items: [String: Item]) -> [LinkEntry] {
        let outgoing = item.recommendation.links.map { LinkEntry(label: $0.kind.label, id: $0.id, item: items[$0.id]) }
        return outgoing + linkedFrom(item.id).map { LinkEntry(label: $0.kind.inverseLabel, id: $0.id, item: items[$0.id]) }
    }
}

/// One of an item's links as it is listed: `Advances`, `Advanced by`, … and the other item.
public struct LinkEntry: Equatable, Sendable {
    /// The columns the longest label takes (`Superseded by`).
    public static let labelWidth = LinkKind.allCases.map { max($0.label.count, $0.inverseLabel.count) }.max() ?? 0

    /// How the item relates to the other: `Advances`, `Superseded by`, ….
    public var label: String
    /// The other item's id.
    public var id: String
    /// The other item; nil when the tracker does not have it (an addition since reverted).
    public var item: Item?

    /// What is shown in place of the other item's status when the tracker does not have it.
    public static let missing = "not in the tracker"

    /// The other item's title and catalog, as `Title (catalog-id)`; nil when the tracker does
    /// not have it.
    public var titleAndCatalog: String? {
        item.map { "\($0.recommendation.title) (\($0.recommendation.catalog))" }
    }
}
