import PolicyTrackerCore

/// What the browser derives from the history: each item's changes, the timeline and the
/// notes. Pure and `Sendable`, so a large tracker's can be computed off the main thread.
public struct HistoryViews: Equatable, Sendable {
    /// Changes of each item, newest first.
    public var changesByItem: [String: [Change]]
    /// Every status change, oldest first, with the status it replaced.
    public var timeline: [Transition]
    /// Change notes by item, for search.
    public var notes: [String: [String]]

    public init(history: [Change]) {
        var byItem: [String: [Change]] = [:]
        for change in history { byItem[change.recommendationId, default: []].append(change) }
        changesByItem = byItem.mapValues { $0.sorted { $0.precedence > $1.precedence } }
        timeline = Timeline.transitions(history)
        notes = history.notesByItem()
    }
}
