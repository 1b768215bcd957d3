/// One value a catalog's recommendations may take for their actors, categories or horizons.
public struct Term: Equatable, Sendable {
    /// What recommendations and change lines store: `US`, `security`, `short-term`,
    /// `United Kingdom`. Never changes once used; a rename changes the rest.
    public var id: String
    /// The full name: `United States`.
    public var name: String
    /// A label for narrow columns: `US`; the name when empty.
    public var short: String
    /// Other names it is known by, such as `USA` and `America`.
    public var aliases: [String]

    public init(id: String, name: String? = nil, short: String = "", aliases: [String] = []) {
        self.id = id
        self.name = name.flatMap { $0.isEmpty ? nil : $0 } ?? id
        self.short = short
        self.aliases = aliases
    }

    /// ``short``, else ``name``.
    public var label: String { short.isEmpty ? name : short }

    /// Every text that names the term, the id first.
    public var spellings: [String] { [id, name, short].filter { !$0.isEmpty } + aliases }
}

/// Which of a vocabulary's three lists.
public enum VocabularyList: String, CaseIterable, Sendable {
    case actors, categories, horizons

    /// One of the list, for messages: `actor`.
    public var noun: String {
        switch self {
        case .actors: "actor"
        case .categories: "category"
        case .horizons: "horizon"
        }
    }

    /// The member of a recommendation that takes values of the list: `actors`, `category`, `horizon`.
    public var recommendationMember: String { self == .actors ? "actors" : noun }

    /// The list named by `text`: plural or singular, any letter case, any unique prefix.
    public init?(name text: String) {
        let lowered = text.lowercased()
        let matches = Self.allCases.filter { $0.rawValue.hasPrefix(lowered) || $0.noun == lowered }
        guard matches.count == 1 else { return nil }
        self = matches[0]
    }
}

/// The actors, categories and horizons a catalog's recommendations may name, each list in
/// the order ptrack shows it. Statuses are not part of it: they are the same six everywhere.
public struct Vocabulary: Equatable, Sendable {
    public var actors: [Term]
    public var categories: [Term]
    public var horizons: [Term]

    public init(actors: [Term] = [], categories: [Term] = [], horizons: [Term] = []) {
        self.actors = actors
        self.categories = categories
        self.horizons = horizons
    }

    /// The terms of `list`.
    public subscript(list: VocabularyList) -> [Term] {
        get {
            switch list {
            case .actors: actors
            case .categories: categories
            case .horizons: horizons
            }
        }
        set {
            switch list {
            case .actors: actors = newValue
            case .categories: categories = newValue
            case .horizons: horizons = newValue
            }
        }
    }

    /// The term of `list` with this id.
    public func term(_ id: String, in list: VocabularyList) -> Term? {
        self[list].first { $0.id == id }
    }

    /// The term of `list` that `text` names: a spelling in any letter case, else the one
    /// term with a spelling that starts with it; nil when none or several do.
    public func match(_ text: String, in list: VocabularyList) -> Term? {
        if case .found(let term) = lookUp(text, in: list) { return term }
        return nil
    }

    /// The term of `list` one of whose spellings is `text`, in any letter case (no prefix).
    public func spelled(_ text: String, in list: VocabularyList) -> Term? {
        let terms = self[list]
        if let exact = terms.first(where: { $0.id == text }) { return exact }
        let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
        return terms.first { $0.spellings.contains { $0.lowercased() == wanted } }
    }

    /// What `text` names in `list`, as ``match(_:in:)`` finds it.
    public func lookUp(_ text: String, in list: VocabularyList) -> Match {
        if let exact = spelled(text, in: list) { return .found(exact) }
        let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !wanted.isEmpty else { return .none }
        let terms = self[list]
        let prefixed = terms.filter { $0.spellings.contains { $0.lowercased().hasPrefix(wanted) } }
        switch prefixed.count {
        case 0: return .none
        case 1: return .found(prefixed[0])
        default: return .ambiguous(prefixed)
        }
    }

    /// What a lookup found.
    public enum Match: Equatable, Sendable {
        case found(Term)
        case ambiguous([Term])
        case none
    }

    /// `ids` in the order of `list`, ids the list lacks last in the order given, none twice.
    public func ordered(_ ids: [String], in list: VocabularyList) -> [String] {
        let order = Dictionary(self[list].enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        let unique = ids.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { lhs, rhs in
            (order[lhs.element] ?? order.count + lhs.offset, lhs.offset) < (order[rhs.element] ?? order.count + rhs.offset, rhs.offset)
        }.map(\.element)
    }

    /// `actors` in this vocabulary's order, none twice.
    public func ordered(_ actors: [Actor]) -> [Actor] {
        ordered(actors.map(\.id), in: .actors).map(Actor.init)
    }

    /// This vocabulary with the terms of `other` it lacks (by id) added at the end of each
    /// list, each once.
    public func merged(with other: Vocabulary) -> Vocabulary {
        var result = self
        for list in VocabularyList.allCases {
            var ids = Set(result[list].map(\.id))
            for term in other[list] where ids.insert(term.id).inserted { result[list].append(term) }
        }
        return result
    }

    /// The vocabularies of `catalogs` as one: the first's terms, then the terms of each next
    /// one that the ones before lack.
    public static func combined(_ catalogs: [Catalog]) -> Vocabulary {
        catalogs.reduce(Vocabulary()) { $0.merged(with: $1.vocabulary) }
    }

    /// The values `recommendation` takes that this vocabulary lacks, each with its list.
    public func undeclared(in recommendation: Recommendation) -> [(list: VocabularyList, id: String)] {
        [VocabularyList.categories, .horizons, .actors].flatMap { list in
            recommendation.values(in: list).filter { term($0, in: list) == nil }.map { (list, $0) }
        }
    }
}

extension Recommendation {
    /// The ids the recommendation takes from `list` of its catalog's vocabulary.
    public func values(in list: VocabularyList) -> [String] {
        switch list {
        case .actors: actors.map(\.id)
        case .categories: [category]
        case .horizons: [horizon.id]
        }
    }
}

/// A change to one term of a catalog's vocabulary: adding it (``previous`` nil), renaming it
/// (both set, same id) or removing it (``term`` nil). Reverting it swaps the two.
public struct VocabularyEdit: Equatable, Sendable {
    public var catalog: String
    public var list: VocabularyList
    /// The term after the edit; nil when removed.
    public var term: Term?
    /// The term before the edit; nil when added.
    public var previous: Term?

    public init(catalog: String, list: VocabularyList, term: Term?, previous: Term?) {
        self.catalog = catalog
        self.list = list
        self.term = term
        self.previous = previous
    }

    /// The id of the term edited.
    public var id: String { term?.id ?? previous?.id ?? "" }

    /// What is wrong with the edit, if anything: neither term given, two different ids, or
    /// an id a term of its list may not have.
    public var problem: String? {
        guard term != nil || previous != nil else { return "a vocabulary change needs \"term\", \"replaces\" or both" }
        if let term, let previous, term.id != previous.id {
            return "a vocabulary change keeps the id: \(DisplayText.quoted(previous.id)) cannot become \(DisplayText.quoted(term.id))"
        }
        return VocabularyFormat.problem(withId: id, in: list)
    }

    /// What the edit did, in a few words: `added actor "EU" to g7-2024`.
    public var summary: String {
        let verb = switch action {
        case "add": "added"
        case "remove": "removed"
        default: "renamed"
        }
        let preposition = action == "add" ? "to" : "of"
        return "\(verb) \(list.noun) \(DisplayText.quoted(DisplayText.sanitized(id))) \(preposition) \(DisplayText.sanitized(catalog))"
    }

    /// `add`, `rename` or `remove`.
    public var action: String {
        switch (previous, term) {
        case (nil, _): "add"
        case (_, nil): "remove"
        default: "rename"
        }
    }

    /// `vocabulary` with the edit made: the term replaced where it stands, added at the end,
    /// or taken out.
    public func applied(to vocabulary: Vocabulary) -> Vocabulary {
        var result = vocabulary
        var terms = result[list]
        if let index = terms.firstIndex(where: { $0.id == id }) {
            if let term { terms[index] = term } else { terms.remove(at: index) }
        } else if let term {
            terms.append(term)
        }
        result[list] = terms
        return result
    }
}
