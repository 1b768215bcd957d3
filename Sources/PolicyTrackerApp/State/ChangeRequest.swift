import PolicyTrackerCore

/// A change the user asked for in a form, not yet recorded: what ``Effect/record(_:)``
/// hands the runtime. The same ``ChangeFactory`` checks turn it into a change twice: once
/// against the browser's data when the form is saved (so a mistake keeps the form open,
/// with the command line's words), and again by the runtime under the store's lock.
public enum ChangeRequest: Equatable, Sendable {
    /// A status change (`mark`).
    case mark(itemId: String, status: Status, happened: PolicyDate?, note: String?, evidence: ChangeFactory.Evidence)
    /// A review (`review`).
    case review(itemId: String, happened: PolicyDate?, note: String?, evidence: ChangeFactory.Evidence)
    /// A new recommendation (`add`).
    case add(Recommendation, note: String?)
    /// A correction of a recommendation's fields (`edit`).
    case edit(itemId: String, RecommendationPatch, note: String?)

    /// The id of the item the change is about.
    public var itemId: String {
        switch self {
        case .mark(let id, _, _, _, _), .review(let id, _, _, _), .edit(let id, _, _): id
        case .add(let recommendation, _): recommendation.id
        }
    }

    /// The change `factory` makes of the request, the item it names found by `item` and
    /// the whole tracker (for an addition) given by `state`; nil for an edit that changes
    /// nothing. Throws what the command line would say.
    public func change(
        _ factory: ChangeFactory, item: (String) throws(TrackerError) -> Item, state: () throws(TrackerError) -> TrackerState
    ) throws(TrackerError) -> Change? {
        switch self {
        case let .mark(id, status, happened, note, evidence):
            try factory.mark(try item(id), status, happened: happened, note: note, source: evidence.source, quote: evidence.quote)
        case let .review(id, happened, note, evidence):
            try factory.review(try item(id), happened: happened, note: note, evidence: evidence)
        case let .add(recommendation, note):
            try factory.add(recommendation, to: try state(), note: note)
        case let .edit(id, patch, note):
            try factory.edit(try item(id), patch, note: note)
        }
    }

    /// The request checked against `tracker` as it is on `today`: nil when it would be
    /// recorded, else what is wrong with it.
    func problem(in tracker: TrackerState, today: PolicyDate) -> String? {
        // Fixed time and ids: the change made here is only looked at, never recorded.
        let factory = ChangeFactory(now: Timestamp(today.text + "T00:00:00Z")!, ids: ChangeIdGenerator { 0 })
        do {
            let made = try change(factory, item: { id throws(TrackerError) in
                guard let found = tracker.items[id] else { throw .usage("\(id) no longer exists") }
                return found
            }, state: { tracker })
            if made == nil, case .edit = self { return "nothing to save: every field is as it was" }
            return nil
        } catch {
            return error.description
        }
    }
}
