/// One recorded event in a recommendation's life: a status change, a watch toggle, a
/// review, an edit, an addition or the revert of an earlier change.
///
/// Changes are never rewritten: a mistake is corrected by recording a revert, so the record
/// of what was believed, and when, survives.
public struct Change: Equatable, Sendable {
    /// What the change did. Edits and additions keep their large payloads in a box, so a
    /// change stays small to store and copy (most are status changes).
    public enum Kind: Equatable, Sendable {
        case status(Status)
        case watch(Bool)
        /// Someone looked at the item and found nothing to change.
        case review
        /// Fields corrected; `previous` holds their earlier values so a revert can restore them.
        indirect case edit(RecommendationPatch, previous: RecommendationPatch)
        indirect case add(Recommendation)
        /// Cancels the change with this id (a revert of a revert restores it).
        case revert(changeId: String)
        /// Adds, renames or removes a term of a catalog's vocabulary; the change is about no
        /// recommendation (its ``Change/recommendationId`` is empty).
        indirect case vocabulary(VocabularyEdit)

        /// The name written in the `kind` field.
        public var name: String {
            switch self {
            case .status: "status"
            case .watch: "watch"
            case .review: "review"
            case .edit: "edit"
            case .add: "add"
            case .revert: "revert"
            case .vocabulary: "vocabulary"
            }
        }

        /// True for a revert, which changes what earlier lines mean.
        public var isRevert: Bool { if case .revert = self { true } else { false } }

        /// The id of the change a revert cancels; nil for other kinds.
        public var revertedId: String? { if case .revert(let changeId) = self { changeId } else { nil } }

        /// The vocabulary edit, for a change to a vocabulary.
        public var vocabularyEdit: VocabularyEdit? { if case .vocabulary(let edit) = self { edit } else { nil } }

        /// True for an addition, which brings a new item.
        public var isAddition: Bool { if case .add = self { true } else { false } }
    }

    /// A unique, stable id; never reused.
    public var changeId: String
    /// The id of the recommendation the change is about; empty for a change to a vocabulary
    /// (and a revert of one), which is about a catalog.
    public var recommendationId: String
    public var kind: Kind
    /// When it happened in the world (as precise as the evidence).
    public var happened: PolicyDate
    /// When it was entered into the tracker.
    public var recorded: Timestamp
    /// Free text explaining the change; an empty note counts as none.
    public var note: String?
    /// Evidence: a source id from the catalog, a URL or a free citation.
    public var source: String?
    /// The words of ``source`` that show what the change records, copied exactly; an empty
    /// quote counts as none.
    public var quote: String?
    /// Who recorded the change (the configuration's `author`, git's `user.name` or the login
    /// name, see ``AuthorName``); nil in lines written before ptrack kept it.
    public var author: String?
    /// For a status change or a review: the item's ``Item/tips`` when this one was recorded
    /// (the latest status changes and reviews no other followed; empty when it had none),
    /// nil when not known (changes recorded before ptrack kept it). After a merge, changes
    /// that do not follow one another were made side by side (see ``Forks``).
    public var follows: [String]?
    /// For a status change or a review: the item's logical clock when it was recorded, one
    /// more than the highest of every status change and review about the item before it
    /// (see ``Item/sequence``); nil in lines written before ptrack kept it, which count as 0.
    /// Of two status changes that happened on the same date and were recorded in the same
    /// second, the one recorded knowing the other has the higher sequence and wins.
    public var sequence: Int?

    public init(
        changeId: String, recommendationId: String, kind: Kind, happened: PolicyDate,
        recorded: Timestamp, note: String? = nil, source: String? = nil, quote: String? = nil, follows: [String]? = nil,
        sequence: Int? = nil, author: String? = nil
    ) {
        self.changeId = changeId
        self.recommendationId = recommendationId
        self.kind = kind
        self.happened = happened
        self.recorded = recorded
        self.note = note?.isEmpty == true ? nil : note
        self.source = source?.isEmpty == true ? nil : source
        self.quote = quote?.isEmpty == true ? nil : quote
        self.follows = follows
        self.sequence = sequence
        self.author = author?.isEmpty == true ? nil : author
    }

    /// The evidence as one line: `Source: ` and the citation given for ``source``, then the
    /// quote in quotation marks when there is one.
    public func evidence(citing citation: String) -> String {
        "Source: " + citation + (quote.map { " \u{2014} \u{201C}\($0)\u{201D}" } ?? "")
    }

    /// ` by ` and the author, or nothing when the change has none: what follows when and
    /// where it was recorded, wherever a change is shown.
    public var byline: String { author.map { " by " + $0 } ?? "" }

    /// The new status, for status changes.
    public var status: Status? {
        if case .status(let status) = kind { return status }
        return nil
    }

    /// True for the changes that carry ``follows`` and ``sequence``: status changes and reviews.
    public var isStatusOrReview: Bool { status != nil || kind == .review }

    /// The order in which status changes take effect: the date it happened, then the
    /// date it was recorded, then its ``sequence``, then the change id, so every copy of a
    /// tracker agrees, and of changes made one after another in the same second the later wins.
    public var precedence: ChangePrecedence {
        ChangePrecedence(happened: happened, recorded: recorded, sequence: sequence ?? 0, changeId: changeId)
    }
}

/// Sorts changes by when they happened, then when they were recorded, then by their
/// sequence, then by id.
public struct ChangePrecedence: Comparable, Hashable, Sendable {
    public var happened: PolicyDate
    public var recorded: Timestamp
    /// The change's ``Change/sequence``, 0 when it has none.
    public var sequence: Int
    public var changeId: String

    public init(happened: PolicyDate, recorded: Timestamp, sequence: Int = 0, changeId: String) {
        self.happened = happened
        self.recorded = recorded
        self.sequence = sequence
        self.changeId = changeId
    }

    public static func < (lhs: ChangePrecedence, rhs: ChangePrecedence) -> Bool {
        (lhs.happened, lhs.recorded, lhs.sequence, lhs.changeId) < (rhs.happened, rhs.recorded, rhs.sequence, rhs.changeId)
    }
}

/// The fields an edit may change; nil means "unchanged".
public struct RecommendationPatch: Equatable, Sendable {
    public var title: String?
    public var summary: String?
    public var category: String?
    public var horizon: Horizon?
    public var actors: [Actor]?
    public var source: Citation?
    /// All of its links, replacing the ones it had (`[]` removes them).
    public var links: [Link]?

    public init(
        title: String? = nil, summary: String? = nil, category: String? = nil,
        horizon: Horizon? = nil, actors: [Actor]? = nil, source: Citation? = nil, links: [Link]? = nil
    ) {
        self.title = title
        self.summary = summary
        self.category = category
        self.horizon = horizon
        self.actors = actors
        self.source = source
        self.links = links?.sorted()
    }

    /// True when the patch changes nothing.
    public var isEmpty: Bool { self == RecommendationPatch() }

    /// The names of the fields the patch sets.
    public var fieldNames: [String] {
        [("title", title != nil), ("summary", summary != nil), ("category", category != nil),
         ("horizon", horizon != nil), ("actors", actors != nil), ("source", source != nil), ("links", links != nil)]
            .filter(\.1).map(\.0)
    }

    /// `recommendation` with this patch's fields applied.
    public func applied(to recommendation: Recommendation) -> Recommendation {
        var result = recommendation
        if let title { result.title = title }
        if let summary { result.summary = summary }
        if let category { result.category = category }
        if let horizon { result.horizon = horizon }
        if let actors { result.actors = actors }
        if let source { result.source = source }
        if let links { result.links = links }
        return result
    }

    /// The current values in `recommendation` of the fields this patch sets.
    public func previousValues(in recommendation: Recommendation) -> RecommendationPatch {
        RecommendationPatch(
            title: title.map { _ in recommendation.title },
            summary: summary.map { _ in recommendation.summary },
            category: category.map { _ in recommendation.category },
            horizon: horizon.map { _ in recommendation.horizon },
            actors: actors.map { _ in recommendation.actors },
            source: source.map { _ in recommendation.source },
            links: links.map { _ in recommendation.links })
    }
}
