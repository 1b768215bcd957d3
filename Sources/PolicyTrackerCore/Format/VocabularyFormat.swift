/// Reading and writing a catalog's `vocabulary`, and the terms a change to it carries.
///
/// ```json
/// "vocabulary": {
///   "actors": [{"id": "US", "name": "United States", "short": "US", "aliases": ["USA"]}],
///   "categories": [{"id": "security", "name": "Security"}],
///   "horizons": [{"id": "short-term", "name": "Short term"}]
/// }
/// ```
public enum VocabularyFormat {
    enum VocabularyField: String, JSONField {
        case actors, categories, horizons

        static let names = NameTable<VocabularyField>()
    }

    enum TermField: String, JSONField {
        case id, name, short, aliases

        static let names = NameTable<TermField>()
    }

    // MARK: Rules

    /// What is wrong with `id` as the id of a term of `list`, if anything.
    public static func problem(withId id: String, in list: VocabularyList) -> String? {
        if FieldReader.isBlank(id) { return "an id must not be empty" }
        if list == .actors, id.contains(where: { $0 == "," || $0 == ";" }) {
            return "actor \(DisplayText.quoted(id)) holds a comma or semicolon, which separate actors"
        }
        return nil
    }

    /// What is wrong with the terms of `list`, and the index of the term at fault: a bad id,
    /// an id given twice, or a spelling (id, name, short label or alias) that names two terms.
    static func problem(in terms: [Term], list: VocabularyList) -> (index: Int, message: String)? {
        var owners: [String: String] = [:]
        for (index, term) in terms.enumerated() {
            if let message = problem(withId: term.id, in: list) { return (index, message) }
            for spelling in Set(term.spellings.map { $0.lowercased() }) {
                if let owner = owners.updateValue(term.id, forKey: spelling) {
                    let what = owner == term.id ? "is listed twice" : "names both \(DisplayText.quoted(owner)) and \(DisplayText.quoted(term.id))"
                    return (index, "\(list.noun) \(DisplayText.quoted(spelling)) \(what)")
                }
            }
        }
        return nil
    }

    // MARK: Writing

    static func encode(_ vocabulary: Vocabulary) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: VocabularyList.allCases.map { ($0.rawValue, JSONValue.array(vocabulary[$0].map(encode))) }))
    }

    static func encode(_ term: Term) -> JSONValue {
        var members: [String: JSONValue] = ["id": .string(term.id), "name": .string(term.name)]
        if !term.short.isEmpty { members["short"] = .string(term.short) }
        if !term.aliases.isEmpty { members["aliases"] = .array(term.aliases.map(JSONValue.string)) }
        return .object(members)
    }

    // MARK: Reading, with positions

    static func decode(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Vocabulary {
        let reader = try FieldReader(node, in: text, what: "a vocabulary", fields: VocabularyField.names.all)
        var vocabulary = Vocabulary()
        for list in VocabularyList.allCases {
            let nodes = try reader.array(list.rawValue)
            vocabulary[list] = try nodes.map { node throws(TrackerError) in try decodeTerm(node, text) }
            if let (index, message) = problem(in: vocabulary[list], list: list) {
                throw text.problem(at: nodes[index].offset, message)
            }
        }
        return vocabulary
    }

    static func decodeTerm(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Term {
        let reader = try FieldReader(node, in: text, what: "a term", fields: TermField.names.all)
        let aliases = try reader.array("aliases").map { node throws(TrackerError) in try reader.stringValue(node, "aliases") }
        return Term(
            id: try reader.nonEmptyString("id"), name: try reader.optionalString("name"),
            short: try reader.optionalString("short") ?? "", aliases: aliases.filter { !$0.isEmpty })
    }

    // MARK: Reading straight from bytes

    /// The vocabulary read with ``JSONReader``: the same checks as ``decode(_:_:)``.
    static func read(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> Vocabulary {
        var vocabulary = Vocabulary()
        let present = try reader.members { (field: VocabularyField, reader) throws(JSONReader.Mismatch) in
            let list = VocabularyList(rawValue: field.rawValue)!
            vocabulary[list] = try reader.array(readTerm) ?? []
            if problem(in: vocabulary[list], list: list) != nil { throw JSONReader.Mismatch() }
        }
        guard present != nil else { throw JSONReader.Mismatch() }
        return vocabulary
    }

    static func readTerm(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> Term? {
        var id, name, short: String?
        var aliases: [String]?
        let present = try reader.members { (field: TermField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .id: id = try reader.nonEmptyString()
            case .name: name = try reader.string()
            case .short: short = try reader.string()
            case .aliases: aliases = try reader.array { reader throws(JSONReader.Mismatch) in try reader.string() }
            }
        }
        guard present != nil else { return nil }
        guard let id else { throw JSONReader.Mismatch() }
        return Term(id: id, name: name, short: short ?? "", aliases: (aliases ?? []).filter { !$0.isEmpty })
    }
}

// MARK: Documents written before catalogs declared their vocabulary

extension CatalogDocument {
    /// Gives each catalog of `undeclared` (written by schema version 1, or by hand, without a
    /// vocabulary) the bundled catalog's vocabulary when it is one of them, else the bundled
    /// default catalog's actors and horizons; then adds, in every undeclared catalog, the
    /// categories its recommendations have that the vocabulary lacks, named by their ids
    /// (categories were free text before; actors and horizons were these).
    public mutating func completeVocabularies(undeclared: Set<String>) {
        guard !undeclared.isEmpty else { return }
        let bundled = BundledAgenda.vocabularies
        var used: [String: Vocabulary] = [:]
        for recommendation in recommendations where undeclared.contains(recommendation.catalog) {
            used[recommendation.catalog, default: Vocabulary()].categories.append(Term(id: recommendation.category))
        }
        for index in catalogs.indices where undeclared.contains(catalogs[index].id) {
            let id = catalogs[index].id
            let base = bundled.byCatalog[id] ?? Vocabulary(actors: bundled.fallback.actors, horizons: bundled.fallback.horizons)
            catalogs[index].vocabulary = base.merged(with: used[id] ?? Vocabulary())
        }
    }

    /// The first recommendation that names a value its catalog's vocabulary lacks: its index,
    /// the member that names it, the value, and what is wrong.
    public func firstUndeclaredValue() -> (index: Int, member: String, value: String, message: String)? {
        let vocabularies = Dictionary(catalogs.map { ($0.id, $0.vocabulary) }, uniquingKeysWith: { first, _ in first })
        for (index, recommendation) in recommendations.enumerated() {
            guard let vocabulary = vocabularies[recommendation.catalog],
                  let (list, id) = vocabulary.undeclared(in: recommendation).first
            else { continue }
            return (index, list.recommendationMember, id, Vocabulary.notDeclared(id, in: list, catalog: recommendation.catalog, choices: vocabulary))
        }
        return nil
    }
}

extension Vocabulary {
    /// Adds the values `recommendation` takes that this vocabulary lacks, each named by its id.
    mutating func addUndeclared(_ recommendation: Recommendation) {
        for (list, id) in undeclared(in: recommendation) { self[list].append(Term(id: id)) }
    }

    /// The message for a value `id` of `list` that the vocabulary of `catalog` lacks.
    public static func notDeclared(_ id: String, in list: VocabularyList, catalog: String, choices: Vocabulary) -> String {
        let names = choices[list].map(\.id)
        let shown = names.count <= 12 ? " (\(list.rawValue): \(names.map(DisplayText.sanitized).joined(separator: ", ")))" : ""
        return "\(list.noun) \(DisplayText.quoted(id)) is not in the vocabulary of catalog \(DisplayText.quoted(catalog))\(shown)"
    }
}

extension BundledAgenda {
    /// The vocabulary of each bundled catalog, and of its default catalog: what catalogs
    /// written before vocabularies existed could name.
    static let vocabularies: (byCatalog: [String: Vocabulary], fallback: Vocabulary) = {
        let document = (try? catalog()) ?? CatalogDocument(catalogs: [], sources: [], recommendations: [])
        let byCatalog = Dictionary(document.catalogs.map { ($0.id, $0.vocabulary) }, uniquingKeysWith: { first, _ in first })
        let fallback = (document.catalogs.first(where: \.isDefault) ?? document.catalogs.first)?.vocabulary ?? Vocabulary()
        return (byCatalog, fallback)
    }()
}

extension CatalogDocument {
    /// Adds to each catalog's vocabulary the values its items in `state` take that it lacks.
    public mutating func declareValues(of state: TrackerState) {
        for index in catalogs.indices {
            var vocabulary = state.vocabulary(of: catalogs[index].id).merged(with: catalogs[index].vocabulary)
            for item in state.sortedItems where item.recommendation.catalog == catalogs[index].id {
                vocabulary.addUndeclared(item.recommendation)
            }
            catalogs[index].vocabulary = vocabulary
        }
    }
}

extension CatalogFormat {
    /// The `schemaVersion` of the catalog document at `path`, read from the end of the file
    /// (ptrack writes its members sorted, so the version comes just before the sources);
    /// the whole file is read when the end does not hold it. Nil when there is no file.
    public static func writtenVersion(at path: String) throws(TrackerError) -> Int? {
        guard let size = try FileSystem.fingerprint(path)?.size else { return nil }
        let marker = Array("\n  \"schemaVersion\": ".utf8)
        var length = min(size, 1 << 16)
        while true {
            guard let bytes = try FileSystem.read(path, from: size - length) else { return nil }
            if let start = bytes.firstRange(of: marker)?.upperBound {
                let digits = bytes[start...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                if let version = Int(String(decoding: digits, as: UTF8.self)) { return version }
            }
            if length == size { break }
            length = min(size, length * 8)
        }
        guard let bytes = try FileSystem.read(path), let root = try? JSONParser.parseDocument(bytes),
              case .number(let digits)? = root.member("schemaVersion")?.kind
        else { return nil }
        return Int(digits)
    }
}
