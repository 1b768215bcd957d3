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
/// run, so nothing else is kept. Runs are short, and all of it lives in one array, so an
/// item copies it with one reference.
public struct StatusRun: Equatable, Sendable {
    /// The predecessor, when there is one, then the run's changes, by precedence.
    private var changes: [ChangePrecedence]
    /// Whether `changes` starts with the predecessor.
    private var hasPredecessor: Bool

    /// The run of an item no status change concerns.
    public init() {
        changes = []
        hasPredecessor = false
    }

    /// A run of `members` (status changes in effect that all set the item's status, in any
    /// order) after `predecessor`, which must come before every one of them.
    public init(members: [ChangePrecedence], predecessor: ChangePrecedence? = nil) {
        changes = members.sorted()
        hasPredecessor = predecessor != nil && !members.isEmpty
        if hasPredecessor, let predecessor { changes.insert(predecessor, at: 0) }
    }

    /// A run read back from the snapshot: the predecessor (when `hasPredecessor`), then the
    /// run's changes, in order of precedence, as the caller checked.
    init(checked changes: [ChangePrecedence], hasPredecessor: Bool) {
        self.changes = changes
        self.hasPredecessor = hasPredecessor
    }

    /// Where the run's changes start in `changes`.
    private var start: Int { hasPredecessor ? 1 : 0 }

    /// The run's changes, by precedence; empty when no status change is in effect.
    public var members: [ChangePrecedence] { Array(memberSlice) }

    /// ``members`` without a copy.
    var memberSlice: ArraySlice<ChangePrecedence> { changes[start...] }

    /// The run's first change: the one the current status began with.
    public var first: ChangePrecedence? { changes.isEmpty ? nil : changes[start] }

    /// The run's last change: the status change in effect with the highest precedence.
    public var last: ChangePrecedence? { changes.last }

    /// The status change in effect with the highest precedence below the run, which set
    /// another status; nil when the run holds every status change in effect.
    public var predecessor: ChangePrecedence? { hasPredecessor ? changes[0] : nil }

    /// True when no status change is in effect.
    public var isEmpty: Bool { changes.isEmpty }

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
    public mutating func add(_ change: consuming ChangePrecedence, sameStatus: Bool) -> Bool {
        let lastIndex = changes.count - 1
        guard lastIndex >= 0 else {
            changes = [change]
            return true
        }
        if change > changes[lastIndex] {
            if !sameStatus {
                // The old last is the predecessor of a new run, in the same storage.
                if lastIndex > 0 {
                    let last = changes.removeLast()
                    changes.removeAll(keepingCapacity: true)
                    changes.append(last)
                }
                hasPredecessor = true
            }
            changes.append(change)
            return true
        }
        let start = start
        if change > changes[start] {
            // The first of the run's changes after `change`, by binary search.
            var position = start + 1, end = changes.count - 1
            while position < end {
                let middle = (position + end) / 2
                if changes[middle] > change { end = middle } else { position = middle + 1 }
            }
            if sameStatus {
                changes.insert(change, at: position)
            } else {
                changes.replaceSubrange(..<position, with: CollectionOfOne(change))
                hasPredecessor = true
            }
            return false
        }
        // Before the run: it matters only above the predecessor.
        if hasPredecessor, change < changes[0] { return false }
        if !sameStatus, hasPredecessor {
            changes[0] = change
        } else {
            changes.insert(change, at: hasPredecessor ? 1 : 0)
            if !sameStatus { hasPredecessor = true }
        }
        return false
    }
}
