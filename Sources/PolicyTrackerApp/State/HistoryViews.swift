import PolicyTrackerCore

/// What the browser derives from the history: each item's changes, the timeline, the notes,
/// and the search index over the items' text and those notes. Pure and `Sendable`, so a
/// large tracker's can be computed off the main thread.
public struct HistoryViews: Equatable, Sendable {
    /// Changes of each item, newest first.
    public var changesByItem: [String: [Change]]
    /// Every status change, oldest first, with the status it replaced.
    public var timeline: [Transition]
    /// Change notes by item, for search.
    public var notes: [String: [String]]
    /// Items whose status two copies of the tracker changed side by side, not reviewed
    /// since, with those changes (see ``Forks``).
    public var forks: [String: [Change]]
    /// The text of every item and its notes, for search.
    var search: SearchIndex
    /// Where each item's changes are in the history, in log order.
    var positions: [String: [Int]]

    /// Nothing yet: the history is still being read.
    init() {
        changesByItem = [:]
        timeline = []
        notes = [:]
        forks = [:]
        search = SearchIndex()
        positions = [:]
    }

    /// The views of `history`, with `items` (the tracker's) for the search index.
    public init(history: [Change], items: [Item]) {
        var byItem: [String: [Change]] = [:]
        var positions: [String: [Int]] = [:]
        for (position, change) in history.enumerated() {
            byItem[change.recommendationId, default: []].append(change)
            positions[change.recommendationId, default: []].append(position)
        }
        self.positions = positions
        changesByItem = byItem.mapValues { $0.sorted { $0.precedence > $1.precedence } }
        timeline = Timeline.transitions(history)
        notes = history.notesByItem()
        forks = Forks.unresolved(in: history)
        // Numbered in id order, so the same tracker always gives the same index.
        search = SearchIndex(items: items.sorted { $0.id < $1.id }, notes: notes)
    }
}
