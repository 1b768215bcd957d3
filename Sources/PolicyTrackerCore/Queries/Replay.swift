/// Rebuilds a ``TrackerState`` from the catalog and the change log. Pure: no files.
///
/// The log is read in two passes. The first, from the end, finds which changes a later
/// revert cancels (a revert of a revert restores the change). The second applies every
/// change still in effect, in log order; a status takes effect by ``Change/precedence``,
/// so changes recorded out of order, or merged from another copy of the tracker, still
/// give every copy the same status.
public enum Replay {
    /// Locates a change for error messages: the change's index in the log and the member
    /// whose value is wrong map to a file position.
    public typealias Locator = (_ index: Int, _ member: String, _ message: String) -> TrackerError

    /// The changes of `changes` that no revert in effect cancels.
    public static func cancelledChangeIds(_ changes: [Change]) -> Set<String> {
        var cancelled = Set<String>()
        for change in changes.reversed() where !cancelled.contains(change.changeId) {
            if case .revert(let target) = change.kind { cancelled.insert(target) }
        }
        return cancelled
    }

    /// Replays `changes` over `catalog`; with `asOf`, only status changes that happened by
    /// then count (catalog contents and corrections are always current).
    public static func state(
        catalog: CatalogDocument, changes: [Change], asOf: PolicyDate? = nil, locate: Locator
    ) throws(TrackerError) -> TrackerState {
        var state = TrackerState(
            catalogs: catalog.catalogs, sources: catalog.sources,
            items: Dictionary(uniqueKeysWithValues: catalog.recommendations.map { ($0.id, Item(recommendation: $0)) }))
        try validate(changes, against: &state, locate: locate)
        let cancelled = cancelledChangeIds(changes)
        for change in changes where !cancelled.contains(change.changeId) {
            if let asOf, change.status != nil, !change.happened.isOnOrBefore(asOf) { continue }
            apply(change, to: &state)
        }
        return state
    }

    /// Refuses duplicate change ids, changes about unknown items, additions of existing items
    /// and reverts of unknown changes. Additions are registered so later changes may name them.
    static func validate(_ changes: [Change], against state: inout TrackerState, locate: Locator) throws(TrackerError) {
        var known = Set(state.items.keys)
        var subjects: [String: String] = [:]
        subjects.reserveCapacity(changes.count)
        for (index, change) in changes.enumerated() {
            guard subjects.updateValue(change.recommendationId, forKey: change.changeId) == nil else {
                throw locate(index, "changeId", "duplicate changeId \(DisplayText.quoted(change.changeId))")
            }
            switch change.kind {
            case .add(let recommendation):
                guard recommendation.id == change.recommendationId else {
                    throw locate(index, "recommendation", "adds \(DisplayText.quoted(recommendation.id)) but names \(DisplayText.quoted(change.recommendationId)) as its id")
                }
                guard known.insert(recommendation.id).inserted else {
                    throw locate(index, "recommendation", "adds \(DisplayText.quoted(recommendation.id)), which already exists")
                }
                guard state.catalogs.contains(where: { $0.id == recommendation.catalog }) else {
                    throw locate(index, "recommendation", "adds \(DisplayText.quoted(recommendation.id)) to unknown catalog \(DisplayText.quoted(recommendation.catalog))")
                }
            case .revert(let target):
                guard let subject = subjects[target], target != change.changeId else {
                    throw locate(index, "reverts", "reverts \(DisplayText.quoted(target)), which no earlier line records")
                }
                guard subject == change.recommendationId else {
                    throw locate(index, "id", "reverts a change about \(DisplayText.quoted(subject)) but names \(DisplayText.quoted(change.recommendationId))")
                }
            default:
                guard known.contains(change.recommendationId) else {
                    throw locate(index, "id", "names recommendation \(DisplayText.quoted(change.recommendationId)), which the catalog does not have")
                }
            }
        }
    }

    /// Applies one change in effect. Reverts are not applied here: they work by cancelling.
    public static func apply(_ change: Change, to state: inout TrackerState) {
        if case .add(let recommendation) = change.kind {
            state.items[recommendation.id] = Item(recommendation: recommendation)
        }
        // Changed in place: copying the item out and back would copy every one of its texts.
        state.items[change.recommendationId]?.apply(change)
    }
}

private extension Item {
    /// Records a change about this item, as ``Replay/apply(_:to:)`` describes.
    mutating func apply(_ change: Change) {
        switch change.kind {
        case .status(let status):
            if statusChange.map({ $0 < change.precedence }) ?? true {
                self.status = status
                statusChange = change.precedence
            }
        case .watch(let watched): recommendation.watched = watched
        case .edit(let fields, _): recommendation = fields.applied(to: recommendation)
        case .review, .add, .revert: break
        }
        if !change.kind.isRevert { changeCount += 1 }
        let reviewed = change.recorded.day
        if recommendation.lastReviewed.map({ $0 < reviewed }) ?? true {
            recommendation.lastReviewed = reviewed
        }
    }
}
