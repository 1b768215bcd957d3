/// A status change in context: what the status was before it.
public struct Transition: Equatable, Sendable {
    public var change: Change
    public var from: Status
    public var to: Status
}

/// Status histories derived from the log.
public enum Timeline {
    /// Every status change in effect, each with the status it replaced, in order of
    /// precedence (oldest first). With `asOf`, only changes that happened by then.
    public static func transitions(_ history: [Change], asOf: PolicyDate? = nil) -> [Transition] {
        let cancelled = Replay.cancelledChangeIds(history)
        let inEffect = history
            .filter { $0.status != nil && !cancelled.contains($0.changeId) }
            .filter { change in asOf.map { change.happened.isOnOrBefore($0) } ?? true }
        // Sorted as positions by precedences made once: sorting the changes themselves
        // would move every change, and make two precedences, at each comparison.
        let precedences = inEffect.map(\.precedence)
        let order = precedences.indices.sorted { precedences[$0] < precedences[$1] }
        var current: [String: Status] = [:]
        return order.map { position in
            let change = inEffect[position]
            let from = current[change.recommendationId] ?? .notStarted
            current[change.recommendationId] = change.status!
            return Transition(change: change, from: from, to: change.status!)
        }
    }

    /// The last `limit` of ``transitions(_:asOf:)`` whose change `isWanted`, and how many
    /// such transitions there are in all, found without sorting the whole history: the
    /// latest status changes are picked first, then the transitions of only their items are
    /// derived, which end the same way.
    public static func latest(
        _ history: [Change], limit: Int, asOf: PolicyDate? = nil, where isWanted: (Change) -> Bool = { _ in true }
    ) -> (transitions: [Transition], total: Int) {
        let cancelled = Replay.cancelledChangeIds(history)
        var latest: [(precedence: ChangePrecedence, item: String)] = []
        var total = 0
        for change in history where change.status != nil && !cancelled.contains(change.changeId) && isWanted(change) {
            if let asOf, !change.happened.isOnOrBefore(asOf) { continue }
            total += 1
            let precedence = change.precedence
            if latest.count == limit, let oldest = latest.first, precedence < oldest.precedence { continue }
            latest.insert((precedence, change.recommendationId), at: latest.partitioningIndex { $0.precedence > precedence })
            if latest.count > limit { latest.removeFirst() }
        }
        let items = Set(latest.map(\.item))
        let transitions = Self.transitions(history.filter { items.contains($0.recommendationId) }, asOf: asOf)
            .filter { isWanted($0.change) }
        return (Array(transitions.suffix(limit)), total)
    }

    /// The changes of one item, newest first (by when they happened, then were recorded).
    public static func changes(of id: String, in history: [Change]) -> [Change] {
        history.filter { $0.recommendationId == id }.sorted { $0.precedence > $1.precedence }
    }
}
