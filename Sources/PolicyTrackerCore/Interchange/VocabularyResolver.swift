/// Finds the values a file names in a catalog's vocabulary, adding the ones it lacks when
/// that is allowed: what an import does with each recommendation's category, horizon and
/// actors.
struct VocabularyResolver {
    /// The vocabulary, with the terms added so far.
    private(set) var vocabulary: Vocabulary
    let mayAdd: Bool
    /// The terms added, in the order met.
    private(set) var added: [(list: VocabularyList, term: Term)] = []

    init(vocabulary: Vocabulary, mayAdd: Bool) {
        self.vocabulary = vocabulary
        self.mayAdd = mayAdd
    }

    /// A value that could not be resolved.
    struct Failure: Error {
        var list: VocabularyList
        var text: String
        var candidates: [Term]

        func message(catalog: String, vocabulary: Vocabulary) -> String {
            guard candidates.isEmpty else {
                return "\(list.noun) \(DisplayText.quoted(text)) is ambiguous: it could be \(candidates.map { DisplayText.sanitized($0.id) }.joined(separator: ", "))"
            }
            return Vocabulary.notDeclared(text, in: list, catalog: catalog, choices: vocabulary)
        }
    }

    /// The id of the term `text` names in `list`, added as a new term when allowed.
    mutating func value(_ text: String, in list: VocabularyList) throws(Failure) -> String {
        switch vocabulary.lookUp(text, in: list) {
        case .found(let term): return term.id
        case .ambiguous(let terms): throw Failure(list: list, text: text, candidates: terms)
        case .none:
            let id = text.trimmingCharacters(in: .whitespaces)
            guard mayAdd, VocabularyFormat.problem(withId: id, in: list) == nil else { throw Failure(list: list, text: text, candidates: []) }
            let term = Term(id: id, short: list == .actors ? Self.shortLabel(id) : "")
            vocabulary[list].append(term)
            added.append((list, term))
            return id
        }
    }

    /// The actors `names` name, in the vocabulary's order; a name none matches that is made
    /// of words which each name an actor stands for those actors (`US Japan`).
    mutating func actors(_ names: [String]) throws(Failure) -> [Actor] {
        var ids: [String] = []
        for name in names {
            let words = name.split(whereSeparator: \.isWhitespace).map(String.init)
            if vocabulary.match(name, in: .actors) == nil, words.count > 1,
               case let parts = words.compactMap({ vocabulary.match($0, in: .actors) }), parts.count == words.count {
                ids += parts.map(\.id)
            } else {
                ids.append(try value(name, in: .actors))
            }
        }
        return vocabulary.ordered(ids, in: .actors).map(Actor.init)
    }

    /// A label for narrow columns: the name when it is short, else its initials
    /// (`United Kingdom` gives `UK`); empty when the name serves.
    static func shortLabel(_ name: String) -> String {
        guard DisplayText.width(name) > 8 else { return "" }
        let words = name.split(whereSeparator: \.isWhitespace)
        guard words.count > 1 else { return "" }
        return String(words.compactMap(\.first).filter(\.isLetter)).uppercased()
    }
}
