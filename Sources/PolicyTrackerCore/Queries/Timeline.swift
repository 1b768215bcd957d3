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
        let statusChanges = history
            .filter { $0.status != nil && !cancelled.contains($0.changeId) }
            .filter { change in asOf.map { change.happened.isOnOrBefore($0) } ?? true }
            .sorted { $0.precedence < $1.precedence }
        var current: [String: Status] = [:]
        return statusChanges.map { change in
            let from = current[change.recommendationId] ?? .notStarted
            current[change.recommendationId] = change.status!
            return Transition(change: change, from: from, to: change.status!)
        }
    }

    /// The changes of one item, newest first (by when they happened, then were recorded).
    public static func changes(of id: String, in history: [Change]) -> [Change] {
        history.filter { $0.recommendationId == id }.sorted { $0.precedence > $1.precedence }
    }
}
