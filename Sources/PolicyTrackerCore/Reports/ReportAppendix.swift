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

    /// Adds what the report lists item by item: the checklist, the evidence of the items in
    /// ``evidenceStatuses`` from `history`, and the items last reviewed `staleDays` or more
    /// days before the report's date (or never).
    public mutating func addAppendix(items: [Item], history: [Change], staleDays: Int) {
        listed = items.sorted { ($0.recommendation.category, $0.id) < ($1.recommendation.category, $1.id) }
        let explained = items.filter { Self.evidenceStatuses.contains($0.status) }.sorted { $0.id < $1.id }
        let ids = Set(explained.map(\.id))
        let transitions = Dictionary(grouping: Timeline.transitions(history.filter { ids.contains($0.recommendationId) }, asOf: asOf)) {
            $0.change.recommendationId
        }
        evidence = explained.map { Evidence(item: $0, transitions: transitions[$0.id] ?? []) }
        self.staleDays = staleDays
        let cutoff = asOf.lastDay(minusDays: staleDays)
        stale = listed.filter { item in item.recommendation.lastReviewed.map { $0 <= cutoff } ?? true }.sorted { $0.id < $1.id }
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
