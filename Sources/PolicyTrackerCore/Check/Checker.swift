/// `ptrack check`: every rule of ``CheckRule`` run over a tracker's items and the changes in
/// effect (reverted changes and the reverts themselves make no claim). Pure: the caller
/// reads the files, the sources' texts and the clock.
public enum Checker {
    /// What the rules are run with.
    public struct Settings {
        /// The rules to run.
        public var rules: Set<CheckRule>
        /// Rules silenced for single items, each with its reason.
        public var silences: [CheckSilence]
        /// Days after which a review is stale (the configuration's `staleDays`).
        public var staleDays: Int
        public var today: PolicyDate
        /// The text of a listed source, by its id, where it is at hand.
        public var sourceText: (String) -> QuoteMatch.Text?

        public init(
            rules: Set<CheckRule> = Set(CheckRule.allCases), silences: [CheckSilence] = [], staleDays: Int = 180,
            today: PolicyDate, sourceText: @escaping (String) -> QuoteMatch.Text? = { _ in nil }
        ) {
            self.rules = rules
            self.silences = silences
            self.staleDays = staleDays
            self.today = today
            self.sourceText = sourceText
        }
    }

    /// What the rules found: the findings that count, and those a silence covers.
    public struct Result: Equatable, Sendable {
        public var findings: [CheckFinding]
        public var silenced: [CheckFinding]

        /// True when a finding that counts is an error.
        public var hasErrors: Bool { findings.contains { $0.severity == .error } }
    }

    /// Runs the rules over the items `only` names (every item when nil) of `state`, whose
    /// log is `history`. Findings come item by item, the recommendation's before its
    /// changes', changes in log order.
    public static func run(state: TrackerState, history: [Change], settings: Settings, only: Set<String>? = nil) -> Result {
        var settings = settings
        settings.sourceText = readOnce(settings.sourceText)
        let cancelled = Replay.cancelledChangeIds(history)
        var changesByItem: [String: [Int]] = [:]
        for (index, change) in history.enumerated() where !change.kind.isRevert && !cancelled.contains(change.changeId) {
            changesByItem[change.recommendationId, default: []].append(index)
        }
        let advancers = advancersByItem(state)
        var findings: [CheckFinding] = []
        for item in state.sortedItems where only?.contains(item.id) ?? true {
            let changes = (changesByItem[item.id] ?? []).map { (index: $0, change: history[$0]) }
            findings += self.findings(item, changes: changes, advancers: advancers[item.id] ?? [], state: state, settings: settings)
        }
        return settled(findings, settings)
    }

    /// The rules run over one item of `state`, as ``run(state:history:settings:only:)`` runs
    /// them: `changes` are the item's changes in log order, reverts included, and `advancers`
    /// the items that link to it as advancing it. A change's finding is placed at its
    /// position in `changes`.
    public static func run(
        item: Item, changes: [Change], advancers: [Item], state: TrackerState, settings: Settings
    ) -> Result {
        let cancelled = Replay.cancelledChangeIds(changes)
        let inEffect = changes.enumerated().filter { !$0.element.kind.isRevert && !cancelled.contains($0.element.changeId) }
        return settled(
            findings(item, changes: inEffect.map { (index: $0.offset, change: $0.element) }, advancers: advancers, state: state, settings: settings),
            settings)
    }

    private static func findings(
        _ item: Item, changes: [(index: Int, change: Change)], advancers: [Item], state: TrackerState, settings: Settings
    ) -> [CheckFinding] {
        var context = ItemContext(item: item, state: state, settings: settings)
        context.checkRecommendation()
        context.checkLinks(advancers)
        for (index, change) in changes { context.check(change, at: index) }
        return context.findings
    }

    /// The findings of the rules chosen, those a silence covers set aside.
    private static func settled(_ findings: [CheckFinding], _ settings: Settings) -> Result {
        let chosen = findings.filter { settings.rules.contains($0.rule) }
        let isSilenced = { (finding: CheckFinding) in settings.silences.contains { $0.rule == finding.rule && $0.item == finding.item } }
        return Result(findings: chosen.filter { !isSilenced($0) }, silenced: chosen.filter(isSilenced))
    }

    /// `sourceText` asked once per source: a text many quotes cite is read and normalised once.
    private static func readOnce(_ sourceText: @escaping (String) -> QuoteMatch.Text?) -> (String) -> QuoteMatch.Text? {
        var texts: [String: QuoteMatch.Text?] = [:]
        return { id in
            if let text = texts[id] { return text }
            let text = sourceText(id)
            texts[id] = text
            return text
        }
    }

    /// For each item, the items that link to it as advancing it.
    private static func advancersByItem(_ state: TrackerState) -> [String: [Item]] {
        var advancers: [String: [Item]] = [:]
        for item in state.sortedItems {
            for link in item.recommendation.links where link.kind == .advances && state.items[link.id] != nil {
                advancers[link.id, default: []].append(item)
            }
        }
        return advancers
    }
}

/// The rules about one item, gathering its findings.
private struct ItemContext {
    let item: Item
    let state: TrackerState
    let settings: Checker.Settings
    var findings: [CheckFinding] = []

    init(item: Item, state: TrackerState, settings: Checker.Settings) {
        self.item = item
        self.state = state
        self.settings = settings
    }

    /// When the recommendation was made: its source's date, if it has a listed, dated one.
    var made: PolicyDate? { state.source(item.recommendation.source.source)?.date }

    mutating func report(_ rule: CheckRule, _ site: CheckFinding.Site, _ message: String) {
        findings.append(CheckFinding(rule: rule, item: item.id, site: site, message: message))
    }

    /// The recommendation's own citation and when it was last reviewed.
    mutating func checkRecommendation() {
        let citation = item.recommendation.source
        checkCitation(citation.source, quote: citation.quote, at: .recommendation, what: "its source")
        guard let reviewed = item.recommendation.lastReviewed else {
            return report(.neverReviewed, .recommendation, "never reviewed: no status change or review records that anyone looked at it")
        }
        if item.isStale(cutoff: settings.today.lastDay(minusDays: settings.staleDays)) {
            report(.staleReview, .recommendation, "last reviewed \(reviewed.text), more than \(settings.staleDays) days ago")
        }
    }

    /// Contradictions with the items that advance this one.
    mutating func checkLinks(_ advancers: [Item]) {
        guard !advancers.isEmpty else { return }
        if item.status == .implemented {
            for advancer in advancers where advancer.status != .implemented {
                report(.linkConflict, .recommendation,
                       "implemented, but \(advancer.id), which advances it, is \(advancer.status.rawValue)")
            }
        }
        if [.inProgress, .partial, .implemented].contains(item.status), advancers.allSatisfy({ $0.status == .notStarted }) {
            report(.linkConflict, .recommendation,
                   "\(item.status.rawValue), but every item that advances it is not-started: \(advancers.map(\.id).joined(separator: ", "))")
        }
    }

    /// One change in effect.
    mutating func check(_ change: Change, at index: Int) {
        let site = CheckFinding.Site.change(index: index, changeId: change.changeId)
        let what = "change \(change.changeId)"
        if !change.happened.isOnOrBefore(settings.today) {
            report(.futureDate, site, "\(what) is dated \(change.happened.text), after today (\(settings.today.text))")
        }
        if let status = change.status { checkStatus(change, status, site: site, what: what) }
        if let source = change.source {
            checkCitation(source, quote: change.quote, at: site, what: what)
        } else if change.quote != nil {
            report(.quoteWithoutSource, site, "\(what) quotes words but names no source")
        }
    }

    /// The date rules and the source rule for a status change.
    private mutating func checkStatus(_ change: Change, _ status: Status, site: CheckFinding.Site, what: String) {
        let sets = "\(what) sets \(status.rawValue) as of \(change.happened.text)"
        if change.source == nil, status != .notStarted {
            report(.statusWithoutSource, site, "\(sets) with no source")
        }
        if let made, !made.isOnOrBefore(change.happened) {
            report(.beforeRecommendation, site, "\(sets), before the recommendation was made (\(made.text))")
        }
        if let source = state.source(change.source), let published = source.date, !change.happened.isOnOrBefore(published) {
            report(.sourceBeforeEvent, site, "\(sets), but cites \(source.id), published \(published.text), before it happened")
        }
    }

    /// Whether `source` is listed (or a dated web page) and `quote` is short and in its text.
    private mutating func checkCitation(_ source: String, quote: String?, at site: CheckFinding.Site, what: String) {
        let listed = state.source(source)
        if listed == nil {
            if WebAddress.isHTTP(source) {
                report(.undatedURL, site, "\(what) cites \(DisplayText.quoted(source)), a web page with no date: list it as a source with its date")
            } else {
                report(.unlistedSource, site, "\(what) cites \(DisplayText.quoted(source)), which is not a listed source")
            }
        } else if let listed, listed.date == nil, WebAddress.isHTTP(listed.location) {
            report(.undatedURL, site, "\(what) cites \(listed.id), a web page listed with no date")
        }
        guard let quote else { return }
        let words = QuoteMatch.wordCount(quote)
        if words > CheckRule.quoteWordLimit {
            report(.quoteTooLong, site, "\(what) quotes \(words) words (at most \(CheckRule.quoteWordLimit))")
        }
        if let listed, let text = settings.sourceText(listed.id), !QuoteMatch.appears(quote, in: text) {
            report(.quoteNotFound, site, "\(what) quotes words the text of \(listed.id) does not hold: \(DisplayText.quoted(String(quote.prefix(60))))")
        }
    }
}

/// A rule silenced for one item, with the reason someone gave and when.
public struct CheckSilence: Equatable, Sendable {
    public var rule: CheckRule
    public var item: String
    public var reason: String
    public var recorded: Timestamp

    public init(rule: CheckRule, item: String, reason: String, recorded: Timestamp) {
        self.rule = rule
        self.item = item
        self.reason = reason
        self.recorded = recorded
    }
}
