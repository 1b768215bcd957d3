/// Items changed side by side in two copies of a tracker, which a merge brought together.
///
/// Every status change and review notes what it follows (``Change/follows``): the item's
/// tips when it was recorded, its latest status changes and reviews that no other follows.
/// In one copy of a tracker each change follows the one before. After a merge, two status
/// changes of which neither leads to the other were made without knowing of each other.
/// The merged log still gives the item one status (by date happened, then date recorded,
/// then change id), but someone should look at it. The item stays flagged until a status
/// change or a review follows both sides: made by someone who had them all.
public enum Forks {
    /// The tips of an item after `change`, a status change or review in effect, when they
    /// were `tips`: what it follows is no longer a tip, and it is one. A change that says
    /// nothing of what it follows (written by an earlier version) follows all of them.
    public static func tips(_ tips: [String], after change: Change) -> [String] {
        let followed = change.follows ?? tips
        return tips.filter { !followed.contains($0) } + [change.changeId]
    }

    /// For each item with a fork nobody has settled since: the latest status change of each
    /// side, in log order. An addition in effect starts the item afresh: lines before it are
    /// about an earlier item of that id, whose addition was reverted.
    public static func unresolved(in history: [Change]) -> [String: [Change]] {
        let cancelled = Replay.cancelledChangeIds(history)
        var items: [String: ItemGraph] = [:]
        for change in history where !cancelled.contains(change.changeId) {
            if change.kind.isAddition {
                items[change.recommendationId] = nil
            } else if change.status != nil || change.kind == .review {
                items[change.recommendationId, default: ItemGraph()].add(change)
            }
        }
        return items.compactMapValues(\.sides)
    }
}

/// One item's status changes and reviews as ``Forks`` reads them, in log order: for each,
/// the status changes it has seen (itself included).
private struct ItemGraph {
    var tips: [String] = []
    var seen: [String: Set<String>] = [:]
    var statusChanges: [String: (change: Change, position: Int)] = [:]

    mutating func add(_ change: Change) {
        var known = (change.follows ?? tips).reduce(into: Set<String>()) { $0.formUnion(seen[$1] ?? []) }
        if change.status != nil {
            known.insert(change.changeId)
            statusChanges[change.changeId] = (change, statusChanges.count)
        }
        seen[change.changeId] = known
        tips = Forks.tips(tips, after: change)
    }

    /// The latest status change of each side when two or more tips have each seen a status
    /// change the others have not; nil when one tip has seen them all.
    var sides: [Change]? {
        let views = tips.compactMap { seen[$0] }
        let widest = views.enumerated().filter { index, view in
            !views.enumerated().contains { other, wider in
                other != index && view.isSubset(of: wider) && (view != wider || other < index)
            }
        }.map(\.element)
        guard widest.count > 1 else { return nil }
        let shared = widest.dropFirst().reduce(widest[0]) { $0.intersection($1) }
        return widest.compactMap { view in
            view.subtracting(shared).compactMap { statusChanges[$0] }.max { $0.position < $1.position }?.change
        }.sorted { statusChanges[$0.changeId]!.position < statusChanges[$1.changeId]!.position }
    }
}
