/// Where an item's current status began: the final run of its status changes in effect,
/// in the order of ``Change/precedence``, that all set the current status, and the status
/// change just before that run, which set another one.
///
/// The run's first change is when the current status began (``Item/since``); its last is
/// the change that set the status (``Item/statusChange``). A change that sets the status the
/// item already has (a reaffirmation) joins the run and does not move its start.
///
/// Status changes are applied in log order but take effect by precedence, so a change
/// recorded late with an earlier date lands inside the history. The run is kept exactly as
/// the changes arrive, whatever their order (see ``add(_:sameStatus:)``): the whole log, the
/// lines past a snapshot, a log read in pieces, and lines another process appends all give
/// the run the sorted changes would. Changes below ``predecessor`` can no longer touch the
/// run, so nothing else is kept: runs are short, and a run of one change costs no allocation.
public struct StatusRun: Equatable, Sendable {
    /// The run's changes before its last, by precedence (most runs have none).
    private var earlier: [ChangePrecedence]
    /// The run's last change: the status change in effect with the highest precedence.
    public private(set) var last: ChangePrecedence?
    /// The status change in effect with the highest precedence below the run, which set
    /// another status; nil when the run holds every status change in effect.
    public private(set) var predecessor: ChangePrecedence?

    /// The run of an item no status change concerns.
    public init() {
        earlier = []
        last = nil
        predecessor = nil
    }

    /// A run of `members` (status changes in effect that all set the item's status, in any
    /// order) after `predecessor`, which must come before every one of them.
    public init(members: [ChangePrecedence], predecessor: ChangePrecedence? = nil) {
        var sorted = members.sorted()
        last = sorted.popLast()
        earlier = sorted
        self.predecessor = last == nil ? nil : predecessor
    }

    /// The run's changes, by precedence; empty when no status change is in effect.
    public var members: [ChangePrecedence] {
        guard let last else { return [] }
        return earlier + [last]
    }

    /// The run's first change: the one the current status began with.
    public var first: ChangePrecedence? { earlier.first ?? last }

    /// True when no status change is in effect.
    public var isEmpty: Bool { last == nil }

    /// Takes in a status change in effect, `change`, which sets the status the run's changes
    /// set when `sameStatus` (ignored while the run is empty). Returns whether `change` is
    /// now the run's last: the change whose status the item has.
    ///
    /// With `c` the change and the run `first … last`:
    /// - `c` after `last`: the same status joins the run; another starts a run of its own,
    ///   after the old last.
    /// - `c` inside the run: the same status joins it; another cuts it, and the run is the
    ///   changes after `c`.
    /// - `c` before `first`: another status can only be the predecessor; the same status joins
    ///   the run when nothing with another status lies between them.
    @discardableResult
    public mutating func add(_ change: ChangePrecedence, sameStatus: Bool) -> Bool {
        guard let last else {
            self.last = change
            return true
        }
        if change > last {
            if sameStatus {
                earlier.append(last)
            } else {
                earlier.removeAll()
                predecessor = last
            }
            self.last = change
            return true
        }
        if let first = earlier.first, change > first {
            let position = earlier.partitioningIndex { $0 > change }
            if sameStatus {
                earlier.insert(change, at: position)
            } else {
                earlier.removeSubrange(..<position)
                predecessor = change
            }
            return false
        }
        if !sameStatus {
            if predecessor.map({ $0 < change }) ?? true { predecessor = change }
        } else if predecessor.map({ $0 < change }) ?? true {
            earlier.insert(change, at: 0)
        }
        return false
    }
}
