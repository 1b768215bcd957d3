import Foundation

/// The status changes that took an item where it stands: every status change in effect of
/// the item up to the report's date, oldest first.
public struct Evidence: Equatable, Sendable {
    public var item: Item
    public var transitions: [Transition]
}

extension StatusReport {
    /// The statuses whose items the evidence appendix explains.
    public static let evidenceStatuses: Set<Status> = [.implemented, .partial, .stalled, .reversed]

    /// Adds what the report lists item by item: the items, the items last reviewed
    /// `staleDays` or more days before the report's date (or never), and, given the status
    /// `transitions` up to that date (oldest first), the evidence of the items in
    /// ``evidenceStatuses``.
    public mutating func addAppendix(items: [Item], transitions: [Transition]?, staleDays: Int) {
        self.items = items
        if let transitions {
            let explained = items.filter { Self.evidenceStatuses.contains($0.status) }.sorted { $0.id < $1.id }
            let ids = Set(explained.map(\.id))
            let byItem = Dictionary(grouping: transitions.filter { ids.contains($0.change.recommendationId) }) { $0.change.recommendationId }
            evidence = explained.map { Evidence(item: $0, transitions: byItem[$0.id] ?? []) }
        }
        // Sorted through their keys: moving keys is far cheaper than moving items.
        listStale(items.indices.sorted { items[$0].id < items[$1].id }.lazy.map { items[$0] }, staleDays: staleDays)
    }

    /// Sets ``stale`` to those of `items` (in id order) last reviewed `staleDays` or more
    /// days before the report's date (the last day of a partial date), or never.
    public mutating func listStale(_ items: some Sequence<Item>, staleDays: Int) {
        self.staleDays = staleDays
        let cutoff = asOf.lastDay(minusDays: staleDays)
        stale = items.filter { $0.isStale(cutoff: cutoff) }
    }

    /// Every item shown, by category then id: the checklist's and the page's order.
    public var listed: [Item] {
        let keys = items.map { ($0.recommendation.category, $0.id) }
        return items.indices.sorted { keys[$0] < keys[$1] }.map { items[$0] }
    }
}

extension PolicyDate {
    /// The day `days` days before the last day this date covers (a year's 31 December, a
    /// month's last day, or the day itself).
    func lastDay(minusDays days: Int) -> PolicyDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = text.split(separator: "-").compactMap { Int($0) }
        let first = calendar.date(from: DateComponents(year: parts[0], month: parts.count > 1 ? parts[1] : 1, day: parts.count > 2 ? parts[2] : 1))!
        let span: Calendar.Component = parts.count == 1 ? .year : parts.count == 2 ? .month : .day
        let end = calendar.date(byAdding: .day, value: -1, to: calendar.date(byAdding: span, value: 1, to: first)!)!
        return PolicyDate(day: calendar.date(byAdding: .day, value: -days, to: end)!)
    }
}
