/// What lines of the change log do to a ``TrackerState``: the one place that says it, for
/// the whole log over the catalog, the lines past a snapshot, and the lines another process
/// appended while the browser runs (see ``apply(_:to:wholeLog:asOf:recent:alsoKnown:locate:locateLink:)``).
/// Pure: no files.
///
/// The lines are read in two passes. The first, from the end, finds which changes a later
/// revert cancels (a revert of a revert restores the change). The second applies every
/// change still in effect, in log order; a status takes effect by ``Change/precedence``,
/// so changes recorded out of order, or merged from another copy of the tracker, still
/// give every copy the same status, and the same date it began (``StatusRun``).
public enum Replay {
    /// Locates a change for error messages: the change's index in the log and the member
    /// whose value is wrong map to a file position.
    public typealias Locator = (_ index: Int, _ member: String, _ message: String) -> TrackerError

    /// Where a link is written, for ``LinkLocator``.
    public enum LinkSite: Equatable, Sendable {
        /// In the recommendation at this position of `catalog.json`'s `recommendations`.
        case catalog(recommendation: Int)
        /// In the change at `index` of the log, under `member`: the `recommendation` of an
        /// add, the `fields` of an edit.
        case change(index: Int, member: String)
    }

    /// Locates the link to `target` at `site` for an error message.
    public typealias LinkLocator = (_ site: LinkSite, _ target: String, _ message: String) -> TrackerError

    /// The changes of `changes` that no revert in effect cancels.
    public static func cancelledChangeIds(_ changes: [Change]) -> Set<String> {
        var cancelled = Set<String>()
        for change in changes.reversed() where !cancelled.contains(change.changeId) {
            if case .revert(let target) = change.kind { cancelled.insert(target) }
        }
        return cancelled
    }

    /// Replays `changes` over `catalog`; with `asOf`, only status changes that happened by
    /// then count (catalog contents and corrections are always current). Checks the log's
    /// rules and every link, the catalog's included.
    public static func state(
        catalog: CatalogDocument, changes: [Change], asOf: PolicyDate? = nil, locate: Locator, locateLink: LinkLocator,
        progress: ProgressCounter? = nil
    ) throws(TrackerError) -> TrackerState {
        var state = initialState(catalog)
        var noWindow: RecentTransitions?
        let known = try apply(
            changes, to: &state, wholeLog: true, asOf: asOf, recent: &noWindow, locate: locate, locateLink: locateLink, progress: progress)
        for (index, recommendation) in catalog.recommendations.enumerated() {
            if let (target, message) = brokenLink(in: recommendation.links, of: recommendation.id, isKnown: known!.contains) {
                throw locateLink(.catalog(recommendation: index), target, message)
            }
        }
        return state
    }

    /// The state of `catalog` before any change.
    public static func initialState(_ catalog: CatalogDocument) -> TrackerState {
        TrackerState(
            catalogs: catalog.catalogs, sources: catalog.sources,
            items: Dictionary(uniqueKeysWithValues: catalog.recommendations.map { ($0.id, Item(recommendation: $0)) }))
    }

    /// What a stretch of the log does to a state: the one place that says it. `changes` are
    /// the lines that follow what `state` holds, in log order: the whole log over the
    /// catalog's state (`wholeLog`), or the lines past a snapshot. Their rules are checked, reverts among
    /// them cancel what they name (a revert of a revert restores it), and every change still
    /// in effect is applied: statuses by ``Change/precedence``, tips and sequences, edits,
    /// links, watches, additions; with `asOf` only status changes that happened by then. The
    /// window `recent`, when there is one, follows the status changes (it becomes nil when
    /// one takes effect before an item's current status).
    ///
    /// Returns the ids of every item known, additions included; or nil, having changed
    /// nothing, when a revert in effect among lines past a snapshot cancels a change before
    /// them, or names or links to an item `state` lacks: only the whole log can say what that
    /// undoes, or whether an addition since reverted made the item known. A broken rule
    /// throws, also before anything is changed. Items `alsoKnown` may be named and linked to
    /// though `state` lacks them (a state holding only the items a write is about).
    @discardableResult
    public static func apply(
        _ changes: [Change], to state: inout TrackerState, wholeLog: Bool = false, asOf: PolicyDate? = nil,
        recent: inout RecentTransitions?, alsoKnown: (String) -> Bool = { _ in false }, locate: Locator, locateLink: LinkLocator,
        progress: ProgressCounter? = nil
    ) throws(TrackerError) -> Set<String>? {
        let cancelled = cancelledChangeIds(changes)
        guard let known = try validate(
            changes, against: state, wholeLog: wholeLog, cancelled: cancelled, alsoKnown: alsoKnown, locate: locate,
            locateLink: locateLink)
        else {
            return nil
        }
        if recent == nil {
            applyChecked(changes, to: &state, cancelled: cancelled, asOf: asOf, progress: progress)
        } else {
            var window = recent
            applyChecked(changes, to: &state, cancelled: cancelled, asOf: asOf, progress: progress) { index, item in
                window = window?.adding(changes[index], over: item)
            }
            recent = window
        }
        return known
    }

    /// Applies `changes`, lines whose rules were already checked, that `cancelled` (the
    /// cancelled ids of the whole stretch they belong to) leaves in effect, as
    /// ``apply(_:to:wholeLog:asOf:recent:alsoKnown:locate:locateLink:)`` does: a stretch
    /// read a piece at a time. `willApply`, when given, sees the index of each change
    /// applied, and its item before; `progress` counts the changes gone through.
    public static func applyChecked(
        _ changes: [Change], to state: inout TrackerState, cancelled: Set<String>, asOf: PolicyDate?,
        progress: ProgressCounter? = nil, willApply: ((_ index: Int, _ item: Item) -> Void)? = nil
    ) {
        // The sequences of lines about an id the tracker does not have at that point (its
        // addition reverted, the lines merged from a copy that still had it): an addition of
        // the id again continues from them, as every line about an id counts.
        var absentSequences: [String: Int] = [:]
        for (index, change) in changes.enumerated() {
            if index & 0xFFFF == 0xFFFF { progress?.advance(by: 0x10000) }
            if change.isStatusOrReview, let sequence = change.sequence {
                if state.items[change.recommendationId] == nil {
                    absentSequences[change.recommendationId, default: 0].formMaximum(sequence)
                } else {
                    state.modifyItem(change.recommendationId) { $0.sequence.formMaximum(sequence) }
                }
            }
            guard !cancelled.contains(change.changeId) else { continue }
            if let asOf, change.status != nil, !change.happened.isOnOrBefore(asOf) { continue }
            if let willApply, let item = state.items[change.recommendationId] { willApply(index, item) }
            apply(change, to: &state)
            if change.kind.isAddition, let sequence = absentSequences[change.recommendationId] {
                state.modifyItem(change.recommendationId) { $0.sequence.formMaximum(sequence) }
            }
        }
    }

    /// ``apply(_:to:wholeLog:asOf:recent:alsoKnown:locate:locateLink:)`` of lines past what
    /// `state` holds, for a caller that reads everything again on any doubt (which then
    /// words the error): false, having changed nothing, when the lines break a rule of the log
    /// or revert a change before them.
    public static func applyIfSound(
        _ changes: [Change], to state: inout TrackerState, recent: inout RecentTransitions?,
        alsoKnown: (String) -> Bool = { _ in false }
    ) -> Bool {
        (try? apply(changes, to: &state, recent: &recent, alsoKnown: alsoKnown, locate: unlocated, locateLink: unlocatedLink)) != nil
    }

    /// Whether `changes`, lines past what `state` holds, keep the log's rules and revert
    /// nothing before them (see ``applyIfSound(_:to:recent:alsoKnown:)``).
    static func isSound(_ changes: [Change], against state: TrackerState, alsoKnown: (String) -> Bool) -> Bool {
        (try? validate(
            changes, against: state, wholeLog: false, cancelled: cancelledChangeIds(changes), alsoKnown: alsoKnown,
            locate: unlocated, locateLink: unlocatedLink)) != nil
    }

    /// Locators for lines whose errors the caller does not show.
    private static func unlocated(_ index: Int, _ member: String, _ message: String) -> TrackerError {
        .badData(path: "", line: nil, column: nil, message: message)
    }

    private static func unlocatedLink(_ site: LinkSite, _ target: String, _ message: String) -> TrackerError {
        unlocated(0, "", message)
    }

    /// Refuses duplicate change ids, changes about unknown items, additions of existing items,
    /// reverts of unknown changes, and links an add or edit sets to an item itself or to one
    /// neither `state` has nor any of `changes` adds. Additions are registered so later
    /// changes may name them. Returns the ids of every item, those added included. A revert of a
    /// change before `changes` is an error for the `wholeLog`; past a snapshot, nil when the
    /// revert is in effect (not in `cancelled`), and unchecked when it is not. Past a
    /// snapshot, an item `state` lacks is nil too, not an error: the whole log may have added
    /// it and reverted the addition, which still lets later lines name it and link to it.
    static func validate(
        _ changes: [Change], against state: TrackerState, wholeLog: Bool, cancelled: Set<String>,
        alsoKnown: (String) -> Bool, locate: Locator, locateLink: LinkLocator
    ) throws(TrackerError) -> Set<String>? {
        var known = Set(state.items.keys)
        // Items the tracker has, additions in effect included: an id whose addition was
        // reverted may be added again.
        var present = known
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
                known.insert(recommendation.id)
                guard cancelled.contains(change.changeId) || (!alsoKnown(recommendation.id) && present.insert(recommendation.id).inserted) else {
                    throw locate(index, "recommendation", "adds \(DisplayText.quoted(recommendation.id)), which already exists")
                }
                guard state.catalogs.contains(where: { $0.id == recommendation.catalog }) else {
                    throw locate(index, "recommendation", "adds \(DisplayText.quoted(recommendation.id)) to unknown catalog \(DisplayText.quoted(recommendation.catalog))")
                }
            case .revert(let target):
                guard let subject = subjects[target], target != change.changeId else {
                    if !wholeLog, target != change.changeId {
                        if cancelled.contains(change.changeId) { continue }
                        return nil
                    }
                    throw locate(index, "reverts", "reverts \(DisplayText.quoted(target)), which no earlier line records")
                }
                guard subject == change.recommendationId else {
                    throw locate(index, "id", "reverts a change about \(subject.isEmpty ? "a vocabulary" : DisplayText.quoted(subject)) but names \(change.recommendationId.isEmpty ? "none" : DisplayText.quoted(change.recommendationId))")
                }
            case .vocabulary(let edit):
                guard state.catalogs.contains(where: { $0.id == edit.catalog }) else {
                    throw locate(index, "catalog", "changes the vocabulary of unknown catalog \(DisplayText.quoted(edit.catalog))")
                }
            default:
                guard known.contains(change.recommendationId) || alsoKnown(change.recommendationId) else {
                    if !wholeLog { return nil }
                    throw locate(index, "id", "names recommendation \(DisplayText.quoted(change.recommendationId)), which the catalog does not have")
                }
            }
        }
        // Links are checked once every addition is known: two added items may link to each other.
        for (index, change) in changes.enumerated() {
            if let (member, links) = linksSet(by: change),
               let (target, message) = brokenLink(in: links, of: change.recommendationId, isKnown: { known.contains($0) || alsoKnown($0) }) {
                if !wholeLog { return nil }
                throw locateLink(.change(index: index, member: member), target, message)
            }
        }
        return known
    }

    /// The links an add or edit sets, with the member of its line that holds them; nil for
    /// other changes, and for edits that leave the links alone.
    public static func linksSet(by change: Change) -> (member: String, links: [Link])? {
        switch change.kind {
        case .add(let recommendation): ("recommendation", recommendation.links)
        case .edit(let fields, _): fields.links.map { ("fields", $0) }
        default: nil
        }
    }

    /// The first of `links` of the item `owner` that points at the item itself or at an id
    /// `isKnown` refuses: its target and what is wrong with it.
    static func brokenLink(
        in links: [Link], of owner: String, isKnown: (String) -> Bool
    ) -> (target: String, message: String)? {
        for link in links {
            if link.id == owner { return (link.id, "\(DisplayText.quoted(owner)) \(link.kind.rawValue) itself") }
            if !isKnown(link.id) {
                return (link.id, "\(link.kind.rawValue) \(DisplayText.quoted(link.id)), which the tracker does not have")
            }
        }
        return nil
    }

    /// Applies one change in effect. Reverts are not applied here: they work by cancelling.
    public static func apply(_ change: Change, to state: inout TrackerState) {
        if case .add(let recommendation) = change.kind {
            state.items[recommendation.id] = Item(recommendation: recommendation)
        }
        if let edit = change.kind.vocabularyEdit, let index = state.catalogs.firstIndex(where: { $0.id == edit.catalog }) {
            state.catalogs[index].vocabulary = edit.applied(to: state.catalogs[index].vocabulary)
            return
        }
        state.modifyItem(change.recommendationId) { $0.apply(change) }
    }
}

private extension TrackerState {
    /// Changes the item `id`, if there is one, in place: through the dictionary's values,
    /// since `items[id]?.…` copies the item out and back, and with it every one of its texts.
    mutating func modifyItem(_ id: String, _ modify: (inout Item) -> Void) {
        guard let index = items.index(forKey: id) else { return }
        modify(&items.values[index])
    }
}

private extension Int {
    mutating func formMaximum(_ other: Int) {
        if other > self { self = other }
    }
}

private extension Item {
    /// Records a change about this item, as ``Replay/apply(_:to:)`` describes.
    mutating func apply(_ change: Change) {
        if change.status != nil || change.kind == .review { tips = Forks.tips(tips, after: change) }
        switch change.kind {
        case .status(let status):
            if statusRun.add(change.precedence, sameStatus: status == self.status) { self.status = status }
        case .watch(let watched): recommendation.watched = watched
        case .edit(let fields, _): recommendation = fields.applied(to: recommendation)
        case .review, .add, .revert, .vocabulary: break
        }
        if !change.kind.isRevert { changeCount += 1 }
        let reviewed = change.recorded.day
        if recommendation.lastReviewed.map({ $0 < reviewed }) ?? true {
            recommendation.lastReviewed = reviewed
        }
    }
}
