/// A rule `ptrack check` holds a tracker to: what a careful editor asks of every claim.
/// Each has a stable id, a severity and a one-line explanation (see `docs/check.md`).
public enum CheckRule: String, CaseIterable, Sendable, Comparable {
    case statusWithoutSource = "status-without-source"
    case quoteWithoutSource = "quote-without-source"
    case beforeRecommendation = "before-recommendation"
    case sourceBeforeEvent = "source-before-event"
    case futureDate = "future-date"
    case quoteNotFound = "quote-not-found"
    case quoteTooLong = "quote-too-long"
    case linkConflict = "link-conflict"
    case undatedURL = "undated-url"
    case unlistedSource = "unlisted-source"
    case neverReviewed = "never-reviewed"
    case staleReview = "stale-review"

    /// How much a finding matters: an error makes `ptrack check` exit 1.
    public enum Severity: String, Sendable, Comparable {
        case error, warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    /// The rule's id, as `--rule`, `--skip` and silences name it.
    public var id: String { rawValue }

    /// The ids, for usage errors and help.
    public static let ids = allCases.map(\.id)

    public var severity: Severity {
        switch self {
        case .statusWithoutSource, .quoteWithoutSource, .beforeRecommendation, .sourceBeforeEvent, .futureDate, .quoteNotFound:
            .error
        case .quoteTooLong, .linkConflict, .undatedURL, .unlistedSource, .neverReviewed, .staleReview:
            .warning
        }
    }

    /// What the rule asks, in one line.
    public var explanation: String {
        switch self {
        case .statusWithoutSource: "A status other than not-started rests on a source."
        case .quoteWithoutSource: "A quote names the source it comes from."
        case .beforeRecommendation: "No status is set by an event before the recommendation was made (its source's date)."
        case .sourceBeforeEvent: "A source cited for an event was published after it (a preview cannot attest an outcome)."
        case .futureDate: "No change is dated after today."
        case .quoteNotFound: "A quote appears word for word in its source, where the source's text is at hand."
        case .quoteTooLong: "A quote is at most \(Self.quoteWordLimit) words: the source's words that show the claim, not a passage."
        case .linkConflict: "Linked items do not contradict each other: an item is not ahead of all that advance it, nor done before them."
        case .undatedURL: "A web page cited as evidence has a date: list it as a source with its date."
        case .unlistedSource: "A source cited is listed among the tracker's sources (or is a URL)."
        case .neverReviewed: "Every item has been looked at: a status change or a review."
        case .staleReview: "Every item was reviewed within the configured number of days (staleDays)."
        }
    }

    /// The longest quote, in words, that is still a quote rather than a passage.
    public static let quoteWordLimit = 25

    /// Accepts a rule's id in any letter case.
    public init?(id: String) {
        self.init(rawValue: id.lowercased())
    }

    public static func < (lhs: CheckRule, rhs: CheckRule) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One weak claim `ptrack check` found.
public struct CheckFinding: Equatable, Sendable {
    /// Where the claim is written.
    public enum Site: Equatable, Hashable, Sendable {
        /// The recommendation itself: its entry in `catalog.json`, or the change that added it.
        case recommendation
        /// The change at this index of the log.
        case change(index: Int, changeId: String)
    }

    public var rule: CheckRule
    /// The recommendation the finding is about.
    public var item: String
    public var site: Site
    /// What is wrong, in one line (untrusted text inside is quoted, not sanitised).
    public var message: String

    public init(rule: CheckRule, item: String, site: Site, message: String) {
        self.rule = rule
        self.item = item
        self.site = site
        self.message = message
    }

    public var severity: CheckRule.Severity { rule.severity }
}
