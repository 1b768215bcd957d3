/// Items changed side by side in two copies of a tracker, which a merge brought together.
///
/// Every status change and review notes the status change it follows (``Change/follows``):
/// the one in effect for the item when it was recorded. Two status changes in effect that
/// follow the same one were each made without knowing of the other. The merged log still
/// gives the item one status (by date happened, then date recorded, then change id), but
/// someone should look at it. The item stays flagged until a status change or a review is
/// recorded, later in the log than both, that follows the status change in effect at that
/// point: made by someone who had both.
public enum Forks {
    /// For each item with a fork nobody has reviewed since: the status changes made side by
    /// side, in log order.
    public static func unresolved(in history: [Change]) -> [String: [Change]] {
        let cancelled = Replay.cancelledChangeIds(history)
        var items: [String: ItemForks] = [:]
        for (index, change) in history.enumerated() where !cancelled.contains(change.changeId) {
            guard let follows = change.follows else {
                if change.status != nil { items[change.recommendationId, default: ItemForks()].take(change) }
                continue
            }
            items[change.recommendationId, default: ItemForks()].add(change, at: index, following: follows)
        }
        return items.compactMapValues(\.unresolved)
    }
}

/// What ``Forks`` knows of one item, reading the log in order.
private struct ItemForks {
    /// The status change in effect so far.
    var winner: ChangePrecedence?
    /// Status changes by the change they follow.
    var followers: [String: [Change]] = [:]
    /// The latest fork, and where in the log its last change is.
    var fork: (changes: [Change], end: Int)?
    var resolved = false

    /// A status change that notes nothing it follows: it only moves the winner.
    mutating func take(_ change: Change) {
        if winner.map({ $0 < change.precedence }) ?? true { winner = change.precedence }
    }

    mutating func add(_ change: Change, at index: Int, following follows: String) {
        if fork != nil, follows == winner?.changeId ?? "" { resolved = true }
        guard change.status != nil else { return }
        followers[follows, default: []].append(change)
        if let siblings = followers[follows], siblings.count > 1 {
            fork = (siblings, index)
            resolved = false
        }
        take(change)
    }

    var unresolved: [Change]? {
        resolved ? nil : fork?.changes
    }
}
