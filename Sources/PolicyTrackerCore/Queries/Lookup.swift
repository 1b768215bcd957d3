/// Finds a name among candidates the way people type them: an exact match always wins,
/// otherwise any unique case-insensitive prefix does.
public enum Lookup {
    /// The candidate `query` names, or a usage error that lists the candidates it could mean
    /// (ambiguous) or the valid choices (no match).
    public static func resolve(_ query: String, among candidates: [String], noun: String) throws(TrackerError) -> String {
        if candidates.contains(query) { return query }
        let lowered = query.lowercased()
        if let exact = candidates.first(where: { $0.lowercased() == lowered }) { return exact }
        let matches = candidates.filter { $0.lowercased().hasPrefix(lowered) }.sorted()
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            throw .usage("no \(noun) matches \"\(DisplayText.sanitized(query))\"\(suggestions(for: lowered, in: candidates))")
        }
        throw .usage("\"\(DisplayText.sanitized(query))\" is ambiguous: it could be \(matches.joined(separator: ", "))")
    }

    /// Near candidates (containing the query) or, when few, all of them.
    private static func suggestions(for query: String, in candidates: [String]) -> String {
        let containing = candidates.filter { $0.lowercased().contains(query) }.sorted()
        if !containing.isEmpty { return "; did you mean \(containing.prefix(8).joined(separator: ", "))?" }
        if candidates.count <= 12 { return " (choices: \(candidates.sorted().joined(separator: ", ")))" }
        return ""
    }

    /// The item a user means by `query`.
    public static func item(_ query: String, in state: TrackerState) throws(TrackerError) -> Item {
        let id = try resolve(query, among: Array(state.items.keys), noun: "recommendation")
        return state.items[id]!
    }

    /// A status by name or unique prefix.
    public static func status(_ query: String) throws(TrackerError) -> Status {
        Status(rawValue: try resolve(query, among: Status.names, noun: "status"))!
    }

    /// The term of `list` in `vocabulary` that `query` names: its id, name, short label or
    /// an alias in any letter case, else a unique prefix of one (see ``Vocabulary/lookUp(_:in:)``).
    public static func term(_ query: String, in list: VocabularyList, of vocabulary: Vocabulary) throws(TrackerError) -> Term {
        switch vocabulary.lookUp(query, in: list) {
        case .found(let term): return term
        case .ambiguous(let terms):
            throw .usage("\(DisplayText.quoted(query)) is ambiguous: it could be \(terms.map { DisplayText.sanitized($0.id) }.joined(separator: ", "))")
        case .none:
            let ids = vocabulary[list].map(\.id)
            throw .usage("no \(list.noun) matches \(DisplayText.quoted(query))\(suggestions(for: query.lowercased(), in: ids.map(DisplayText.sanitized)))")
        }
    }

    /// An actor of `vocabulary` by name or unique prefix.
    public static func actor(_ query: String, in vocabulary: Vocabulary) throws(TrackerError) -> Actor {
        Actor(try term(query, in: .actors, of: vocabulary).id)
    }

    /// A horizon of `vocabulary` by name or unique prefix.
    public static func horizon(_ query: String, in vocabulary: Vocabulary) throws(TrackerError) -> Horizon {
        Horizon(try term(query, in: .horizons, of: vocabulary).id)
    }

    /// The id of a category of `vocabulary`, by name or unique prefix.
    public static func category(_ query: String, in vocabulary: Vocabulary) throws(TrackerError) -> String {
        try term(query, in: .categories, of: vocabulary).id
    }

    /// A date in one of the forms ``PolicyDate`` accepts.
    public static func date(_ text: String) throws(TrackerError) -> PolicyDate {
        guard let date = PolicyDate(text) else {
            throw .usage("invalid date \"\(DisplayText.sanitized(text))\" (expected \(PolicyDate.expectedForm), a real calendar date)")
        }
        return date
    }
}

/// Which items a listing or report shows. Empty criteria match everything.
public struct ItemFilter: Equatable, Sendable {
    public var statuses: Set<Status> = []
    public var category: String?
    public var actor: Actor?
    public var catalog: String?
    public var watchedOnly = false
    /// Case-insensitive text to find in the id, title, summary, category, quote or notes.
    public var search: String?

    public init() {}

    /// True when the filter keeps every item.
    public var isEmpty: Bool {
        statuses.isEmpty && category == nil && actor == nil && catalog == nil && !watchedOnly && (search ?? "").isEmpty
    }

    /// True when `item` meets every criterion; `notes` are the item's change notes, needed
    /// only when searching.
    public func matches(_ item: Item, notes: [String] = []) -> Bool {
        let recommendation = item.recommendation
        if !statuses.isEmpty, !statuses.contains(item.status) { return false }
        if let category, recommendation.category != category { return false }
        if let actor, !recommendation.actors.contains(actor) { return false }
        if let catalog, recommendation.catalog != catalog { return false }
        if watchedOnly, !recommendation.watched { return false }
        if let search, !search.isEmpty {
            let needle = search.lowercased()
            let haystacks = [recommendation.id, recommendation.title, recommendation.summary, recommendation.category,
                             recommendation.source.quote ?? ""] + notes
            return haystacks.contains { $0.lowercased().contains(needle) }
        }
        return true
    }

    /// The items of `state` this filter keeps, sorted by id.
    public func apply(to state: TrackerState, notes: [String: [String]] = [:]) -> [Item] {
        state.sortedItems.filter { matches($0, notes: notes[$0.id] ?? []) }
    }

    /// Resolves a category the user typed against the categories of `state`'s vocabularies
    /// and those its items have.
    public static func category(_ query: String, in state: TrackerState) throws(TrackerError) -> String {
        var vocabulary = state.vocabulary
        for category in Set(state.items.values.map(\.recommendation.category)).sorted()
        where vocabulary.term(category, in: .categories) == nil {
            vocabulary.categories.append(Term(id: category))
        }
        return try Lookup.category(query, in: vocabulary)
    }
}

extension Array where Element == Change {
    /// Notes of the changes in effect, by recommendation id.
    public func notesByItem() -> [String: [String]] {
        let cancelled = Replay.cancelledChangeIds(self)
        var notes: [String: [String]] = [:]
        for change in self where !cancelled.contains(change.changeId) {
            if let note = change.note { notes[change.recommendationId, default: []].append(note) }
        }
        return notes
    }
}
