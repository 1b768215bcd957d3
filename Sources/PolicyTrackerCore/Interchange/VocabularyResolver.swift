/// Finds the values a file names in a catalog's vocabulary, adding the ones it lacks when
/// that is allowed: what an import does with each recommendation's category, horizon and
/// actors. A value added is the term another catalog of the tracker has for it, when one
/// has a spelling that is the value (so `United States` in a new catalog is the bundled agenda's `US`, and a filter by
/// actor finds both), else a new term.
struct VocabularyResolver {
    /// The vocabulary, with the terms added so far.
    private(set) var vocabulary: Vocabulary
    let mayAdd: Bool
    /// The terms of every other catalog, whose spellings a new value is looked up in first.
    let known: Vocabulary
    /// The terms added, in the order met.
    private(set) var added: [(list: VocabularyList, term: Term)] = []

    init(vocabulary: Vocabulary, mayAdd: Bool, known: Vocabulary = Vocabulary()) {
        self.vocabulary = vocabulary
        self.mayAdd = mayAdd
        self.known = known
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
            guard mayAdd, let term = newTerm(text, in: list) else { throw Failure(list: list, text: text, candidates: []) }
            vocabulary[list].append(term)
            added.append((list, term))
            return term.id
        }
    }

    /// The term a value the vocabulary lacks becomes: another catalog's that it names, else
    /// one made from it; nil when neither can join the list.
    private func newTerm(_ text: String, in list: VocabularyList) -> Term? {
        let id = text.trimmingCharacters(in: .whitespaces)
        let fresh = Term(id: id, short: list == .actors ? Self.shortLabel(id) : "")
        for candidate in [known.spelled(text, in: list), fresh].compactMap({ $0 }) {
            if VocabularyFormat.problem(withId: candidate.id, in: list) == nil,
               VocabularyFormat.problem(in: vocabulary[list] + [candidate], list: list) == nil {
                return candidate
            }
        }
        return nil
    }

    /// Whether `text` names an actor, in the vocabulary or, when terms may be added, in
    /// another catalog's.
    private func namesAnActor(_ text: String) -> Bool {
        vocabulary.match(text, in: .actors) != nil || (mayAdd && known.spelled(text, in: .actors) != nil)
    }

    /// The actors `names` name, in the vocabulary's order; a name none matches that is made
    /// of words which each name an actor stands for those actors (`US Japan`).
    mutating func actors(_ names: [String]) throws(Failure) -> [Actor] {
        var ids: [String] = []
        for name in names {
            let words = name.split(whereSeparator: \.isWhitespace).map(String.init)
            if !namesAnActor(name), words.count > 1, words.allSatisfy(namesAnActor) {
                for word in words { ids.append(try value(word, in: .actors)) }
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
