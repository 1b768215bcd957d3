import Foundation

/// Turns what a user asks for into the changes to record, checking it against the current
/// state. Pure: the store writes what it returns. Shared by the command line and the browser.
public struct ChangeFactory {
    public var now: Timestamp
    public var ids: ChangeIdGenerator
    /// Who records the changes it makes (see ``AuthorName``); nil records none.
    public var author: String?

    public init(now: Timestamp, ids: ChangeIdGenerator = ChangeIdGenerator(), author: String? = nil) {
        self.now = now
        self.ids = ids
        self.author = author
    }

    private func change(
        _ id: String, _ kind: Change.Kind, happened: PolicyDate? = nil, note: String? = nil, evidence: Evidence = Evidence(),
        after item: Item? = nil
    ) -> Change {
        Change(
            changeId: ids.next(at: now), recommendationId: id, kind: kind, happened: happened ?? now.day,
            recorded: now, note: note.flatMap(nonEmpty), source: evidence.source.flatMap(nonEmpty),
            quote: evidence.quote.flatMap(nonEmpty), follows: item?.tips, sequence: item.map { $0.sequence + 1 },
            author: author)
    }

    /// What a status change or a review rests on: a source and, optionally, the words of it
    /// that show the status.
    public struct Evidence: Equatable, Sendable {
        public var source: String?
        public var quote: String?

        public init(source: String? = nil, quote: String? = nil) {
            self.source = source
            self.quote = quote
        }

        /// The evidence, refused when it quotes without naming what it quotes.
        func checked() throws(TrackerError) -> Evidence {
            let hasQuote = quote.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
            let hasSource = source.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
            if hasQuote && !hasSource { throw .usage("a quote needs its source: name the source too") }
            return self
        }
    }

    private func nonEmpty(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A status change; the date defaults to today and may not lie in the future. It notes
    /// the changes it follows, the item's tips (see ``Change/follows``), and comes next in
    /// the item's sequence (``Change/sequence``).
    public func mark(
        _ item: Item, _ status: Status, happened: PolicyDate?, note: String?, source: String?, quote: String? = nil
    ) throws(TrackerError) -> Change {
        change(
            item.id, .status(status), happened: try checked(happened), note: note,
            evidence: try Evidence(source: source, quote: quote).checked(), after: item)
    }

    /// `happened` when it is not in the future.
    private func checked(_ happened: PolicyDate?) throws(TrackerError) -> PolicyDate? {
        try happened.map { date throws(TrackerError) in try Self.checked(date, today: now.day) }
    }

    /// `date` when it is not after `today`: when a change may say it happened.
    public static func checked(_ date: PolicyDate, today: PolicyDate) throws(TrackerError) -> PolicyDate {
        guard date.isOnOrBefore(today) else { throw .usage("the date \(date.text) is in the future (today is \(today.text))") }
        return date
    }

    /// The date `text` names (see ``Lookup/date(_:)``) when it is not after `today`.
    public static func happened(_ text: String, today: PolicyDate) throws(TrackerError) -> PolicyDate {
        try checked(try Lookup.date(text), today: today)
    }

    /// A watch toggle, or nil when the item is already as asked.
    public func watch(_ item: Item, _ watched: Bool) -> Change? {
        item.recommendation.watched == watched ? nil : change(item.id, .watch(watched))
    }

    /// A review: the item was looked at on `happened` (default today; never in the future)
    /// and nothing changed; `evidence` is what it was checked against.
    public func review(
        _ item: Item, happened: PolicyDate? = nil, note: String?, evidence: Evidence = Evidence()
    ) throws(TrackerError) -> Change {
        change(item.id, .review, happened: try checked(happened), note: note, evidence: try evidence.checked(), after: item)
    }

    /// A new recommendation; its id must be a new, valid slug and its catalog must exist.
    public func add(_ recommendation: Recommendation, to state: TrackerState, note: String?) throws(TrackerError) -> Change {
        guard Slug.isValid(recommendation.id) else {
            throw .usage("invalid id \"\(DisplayText.sanitized(recommendation.id))\" (expected \(Slug.expectedForm))")
        }
        guard state.items[recommendation.id] == nil else { throw .usage("\"\(recommendation.id)\" already exists") }
        guard state.catalogs.contains(where: { $0.id == recommendation.catalog }) else {
            throw .usage("no catalog \"\(DisplayText.sanitized(recommendation.catalog))\" (choices: \(state.catalogs.map(\.id).joined(separator: ", ")))")
        }
        guard !recommendation.title.allSatisfy(\.isWhitespace) else { throw .usage("the title must not be empty") }
        return change(recommendation.id, .add(recommendation), note: note)
    }

    /// An edit of the fields `patch` sets that differ from the item's; nil when none differ.
    public func edit(_ item: Item, _ patch: RecommendationPatch, note: String?) throws(TrackerError) -> Change? {
        if let title = patch.title, title.allSatisfy(\.isWhitespace) { throw .usage("the title must not be empty") }
        let current = item.recommendation
        let effective = RecommendationPatch(
            title: patch.title.flatMap { $0 == current.title ? nil : $0 },
            summary: patch.summary.flatMap { $0 == current.summary ? nil : $0 },
            category: patch.category.flatMap { $0 == current.category ? nil : $0 },
            horizon: patch.horizon.flatMap { $0 == current.horizon ? nil : $0 },
            actors: patch.actors.flatMap { Set($0) == Set(current.actors) ? nil : $0 },
            source: patch.source.flatMap { $0 == current.source ? nil : $0 },
            links: patch.links.flatMap { $0.sorted() == current.links ? nil : $0 })
        guard !effective.isEmpty else { return nil }
        return change(item.id, .edit(effective, previous: effective.previousValues(in: current)), note: note)
    }

    /// Reverts `changeId`, or when nil the latest recorded change still in effect that is
    /// not itself a revert (so repeated undos walk back through the log).
    public func undo(_ changeId: String?, history: [Change]) throws(TrackerError) -> (revert: Change, target: Change) {
        let cancelled = Replay.cancelledChangeIds(history)
        let target: Change
        if let changeId {
            guard let found = history.first(where: { $0.changeId == changeId }) else {
                throw .usage("no change \"\(DisplayText.sanitized(changeId))\" (see `ptrack history --json` for change ids)")
            }
            guard !cancelled.contains(found.changeId) else { throw .usage("change \(changeId) is already reverted") }
            target = found
        } else {
            guard let found = history.last(where: { !$0.kind.isRevert && !cancelled.contains($0.changeId) }) else { throw .usage("nothing to undo") }
            target = found
        }
        let note = "Undo of \(target.kind.name) change \(target.changeId)"
        let revert = change(target.recommendationId, .revert(changeId: target.changeId), note: note)
        if target.kind.isRevert { try refuseTwoAdditions(history + [revert], restoring: target) }
        return (revert, target)
    }

    /// Refuses an undo of a revert that would bring back the addition of an id added again
    /// since: the tracker would then add it twice.
    private func refuseTwoAdditions(_ history: [Change], restoring target: Change) throws(TrackerError) {
        let cancelled = Replay.cancelledChangeIds(history)
        var added: [String: String] = [:]
        for change in history where change.kind.isAddition && !cancelled.contains(change.changeId) {
            if let earlier = added.updateValue(change.changeId, forKey: change.recommendationId) {
                throw .usage(
                    "undoing \(target.changeId) would add \(change.recommendationId) a second time: it was added again by \(change.changeId) after \(earlier) was undone; undo \(change.changeId) first")
            }
        }
    }
}
