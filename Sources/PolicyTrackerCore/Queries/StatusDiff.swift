import Foundation

/// One item's status changes within a span, with its status at the span's start and end.
public struct ItemDiff: Equatable, Sendable {
    /// The item as it stands at the end of the span.
    public var item: Item
    /// The status at the start of the span.
    public var before: Status
    /// The status changes in effect that happened within the span, oldest first.
    public var transitions: [Transition]

    /// The status at the end of the span.
    public var after: Status { item.status }
}

/// What moved between two dates: every status change in effect that happened from the
/// first day of `from` to the last day of `to`, grouped by item, and the tallies of
/// statuses at the start and the end of the span.
///
/// The span is read as `report --as-of` reads dates: a change counts from the first day of
/// its `happened` date, so with `from` = `2022-06` a change that happened in `2022` lies
/// before the span, and with `to` = `2023` one that happened on `2023-08-18` lies inside
/// it. Reverted changes count nowhere; every move inside the span is listed, also one that
/// a later move inside the span undoes.
public struct StatusDiff: Equatable, Sendable {
    /// The start, as given: the span begins on its first day.
    public var from: PolicyDate
    /// The end, as given: the span ends on its last day.
    public var to: PolicyDate
    /// When the diff was made.
    public var generated: Timestamp
    /// The catalogs the items come from.
    public var catalogs: [Catalog]
    /// The items with at least one status change within the span, sorted by id.
    public var items: [ItemDiff]
    /// Statuses of every item shown at the start of the span.
    public var before: Tally
    /// Statuses of every item shown at the end of the span.
    public var after: Tally
    /// The citation of each source the changes name, by the text they give.
    public var citations: [String: String]
    /// What the diff was built from; nil for one not built from a data directory.
    public var provenance: Provenance?

    /// The diff over `items` (as they stand at the end of `to`, already filtered), with
    /// `state` and `history` as the store read them; a usage error when `from` begins after
    /// `to` ends.
    public init(
        items: [Item], state: TrackerState, history: [Change], from: PolicyDate, to: PolicyDate, generated: Timestamp
    ) throws(TrackerError) {
        let shown = Set(items.map(\.id))
        try self.init(
            items: items, state: state, transitions: Timeline.transitions(history.filter { shown.contains($0.recommendationId) }, asOf: to),
            from: from, to: to, generated: generated)
    }

    /// The diff over `items` from their status transitions up to the end of `to`, oldest
    /// first (those that happened before `from` may be left out).
    public init(
        items: [Item], state: TrackerState, transitions: [Transition], from: PolicyDate, to: PolicyDate, generated: Timestamp
    ) throws(TrackerError) {
        guard from.isOnOrBefore(to) else {
            throw .usage("the start \(from.text) is after the end \(to.text)")
        }
        self.from = from
        self.to = to
        self.generated = generated
        catalogs = state.catalogs
        let inSpan = transitions.filter { Self.isInSpan($0.change.precedence, from: from) }
        let byItem = Dictionary(grouping: inSpan, by: \.change.recommendationId)
        self.items = items.sorted { $0.id < $1.id }.compactMap { item in
            byItem[item.id].map { ItemDiff(item: item, before: $0[0].from, transitions: $0) }
        }
        after = Tally(items)
        var before = Tally()
        for item in items { before.add(byItem[item.id]?.first?.from ?? item.status) }
        self.before = before
        let sources = Set(inSpan.compactMap(\.change.source))
        citations = Dictionary(uniqueKeysWithValues: sources.map { ($0, ItemOutput.citation($0, state)) })
    }

    /// Whether a change of this precedence happened in a span starting `from` (its end is the
    /// date the transitions were derived as of).
    public static func isInSpan(_ precedence: ChangePrecedence, from: PolicyDate) -> Bool {
        precedence.happened.firstDay >= from.firstDay
    }

    /// Every status change within the span, grouped by item (in id order), oldest first.
    public var changes: [Transition] { items.flatMap(\.transitions) }
}

extension PolicyDate {
    /// The first day of the period this date names: `2022` is `2022-01-01`, `2022-05` is `2022-05-01`.
    public var firstDay: PolicyDate {
        PolicyDate(text + String("-01-01".suffix(10 - text.count)))!
    }

    /// The last day of the period this date names: `2022` is `2022-12-31`, `2023-02` is `2023-02-28`.
    public var lastDay: PolicyDate {
        guard text.count < 10 else { return self }
        let year = Int(text.prefix(4))!
        let month = text.count == 7 ? Int(text.suffix(2))! : 12
        return PolicyDate(String(format: "%04d-%02d-%02d", year, month, Self.daysIn(month: month, year: year)))!
    }
}
