/// The latest status transitions in effect, as many as a report lists and more, with how
/// many there are in all: enough for a report as of today without reading the history.
public struct RecentTransitions: Equatable, Sendable {
    /// How many the snapshot keeps.
    public static let limit = 64
    /// The latest transitions in effect, oldest first (the tail of ``Timeline/transitions(_:asOf:)``).
    public var transitions: [Transition]
    /// How many transitions are in effect in all.
    public var total: Int

    public init(transitions: [Transition], total: Int) {
        self.transitions = transitions
        self.total = total
    }
}

extension RecentTransitions {
    /// The latest transitions of `history` (every change in log order, reverts included).
    public init(history: [Change]) {
        let (transitions, total) = Timeline.latest(history, limit: Self.limit)
        self.init(transitions: transitions, total: total)
    }

    /// The window after `change`, recorded after it was taken, applied over `item` (the
    /// item as it stood just before); nil when the window cannot tell: the change takes
    /// effect before the item's current status (recorded out of order), which changes the
    /// "from" of a transition the window may hold.
    public func adding(_ change: Change, over item: Item) -> RecentTransitions? {
        guard let to = change.status else { return self }
        if let current = item.statusChange, change.precedence < current { return nil }
        var next = self
        next.total += 1
        let isFull = transitions.count == Self.limit
        if isFull, let oldest = transitions.first, change.precedence < oldest.change.precedence { return next }
        let position = transitions.partitioningIndex { $0.change.precedence > change.precedence }
        next.transitions.insert(Transition(change: change, from: item.status, to: to), at: position)
        if next.transitions.count > Self.limit { next.transitions.removeFirst() }
        return next
    }

    /// The transitions a report as of `asOf` over the items `shown` lists (the newest
    /// `limit`), when the window holds them all; nil when the history must be read. `shown`
    /// need only tell apart the items the window names.
    public func latest(shown: Set<String>, asOf: PolicyDate, limit: Int) -> [Transition]? {
        let candidates = transitions.filter { $0.change.happened.isOnOrBefore(asOf) && shown.contains($0.change.recommendationId) }
        return candidates.count >= limit || transitions.count == total ? candidates : nil
    }
}

extension Array {
    /// The first index whose element meets `belongsToSecondPart`, for an array already
    /// partitioned that way (all elements that do not come first).
    public func partitioningIndex(where belongsToSecondPart: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongsToSecondPart(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
