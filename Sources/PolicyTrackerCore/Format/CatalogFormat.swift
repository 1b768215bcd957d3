/// Reading and writing `catalog.json`.
public enum CatalogFormat {
    /// Parses and validates a whole catalog document.
    public static func decode(_ text: SourceText) throws(TrackerError) -> CatalogDocument {
        let whole = JSONParser.documentStart(text.bytes)..<text.bytes.count
        if let document = try? JSONReader.read(text.bytes, in: whole, readDocument) { return document }
        return try decode(try text.parseDocument(), in: text)
    }

    /// Validates a catalog document parsed from `text`, naming the place of any problem.
    public static func decode(_ root: JSONNode, in text: SourceText) throws(TrackerError) -> CatalogDocument {
        let reader = try FieldReader(root, in: text, what: "the catalog document", fields: DocumentField.names.all)
        try reader.checkSchemaVersion()
        var undeclared = Set<String>()
        let catalogs = try unique(try reader.array("catalogs"), text) { node throws(TrackerError) in
            let catalog = try decodeCatalog(node, text)
            if node.member("vocabulary") == nil { undeclared.insert(catalog.id) }
            return catalog
        }
        let sources = try unique(try reader.array("sources"), text) { node throws(TrackerError) in try decodeSource(node, text) }
        let catalogIds = Set(catalogs.map(\.id))
        let recommendationNodes = try reader.array("recommendations")
        let recommendations = try unique(recommendationNodes, text) { node throws(TrackerError) in
            let recommendation = try decodeRecommendation(node, text)
            guard catalogIds.contains(recommendation.catalog) else {
                throw text.problem(
                    at: node.offset,
                    "recommendation \(DisplayText.quoted(recommendation.id)) names catalog \(DisplayText.quoted(recommendation.catalog)), which the document does not define (defined: \(catalogIds.sorted().joined(separator: ", ")))")
            }
            return recommendation
        }
        var document = CatalogDocument(catalogs: catalogs, sources: sources, recommendations: recommendations)
        document.completeVocabularies(undeclared: undeclared)
        if let (index, member, value, message) = document.firstUndeclaredValue() {
            let node = recommendationNodes[index].member(member)
            let element = node?.elements.first { if case .string(value) = $0.kind { true } else { false } }
            throw text.problem(at: (element ?? node ?? recommendationNodes[index]).offset, message)
        }
        return document
    }

    /// The document as `catalog.json` holds it: pretty, sorted, with a trailing newline.
    public static func encode(_ document: CatalogDocument) -> String {
        JSONWriter.pretty(.object(members(document)))
    }

    /// The document's members, each list sorted by id.
    static func members(_ document: CatalogDocument) -> [String: JSONValue] {
        [
            "schemaVersion": .int(SchemaVersion.current),
            "catalogs": .array(document.catalogs.sorted { $0.id < $1.id }.map(encode)),
            "sources": .array(document.sources.sorted { $0.id < $1.id }.map(encode)),
            "recommendations": .array(document.recommendations.sorted { $0.id < $1.id }.map(encode)),
        ]
    }

    /// Decodes each element and refuses a second element with an id already seen.
    private static func unique<Element: Identified>(
        _ nodes: [JSONNode], _ text: SourceText, _ decode: (JSONNode) throws(TrackerError) -> Element
    ) throws(TrackerError) -> [Element] {
        var seen = Set<String>()
        var result: [Element] = []
        for node in nodes {
            let element = try decode(node)
            guard seen.insert(element.id).inserted else {
                throw text.problem(at: node.offset, "duplicate id \(DisplayText.quoted(element.id))")
            }
            result.append(element)
        }
        return result
    }

    // MARK: Catalogs and sources

    /// A catalog; its vocabulary is empty when the node has none (see
    /// ``CatalogDocument/completeVocabularies(undeclared:)``).
    static func decodeCatalog(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Catalog {
        let reader = try FieldReader(node, in: text, what: "a catalog", fields: CatalogField.names.all)
        return Catalog(
            id: try slug(reader), title: try reader.nonEmptyString("title"),
            description: try reader.optionalString("description") ?? "", version: try reader.optionalString("version") ?? "",
            source: try reader.optionalString("source") ?? "", isDefault: try reader.bool("default", default: false),
            vocabulary: try reader.optionalNode("vocabulary").map { node throws(TrackerError) in try VocabularyFormat.decode(node, text) }
                ?? Vocabulary())
    }

    /// A catalog; an empty vocabulary is left out, so the catalog's is what its
    /// recommendations name (see ``CatalogDocument/completeVocabularies(undeclared:)``).
    public static func encode(_ catalog: Catalog) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(catalog.id), "title": .string(catalog.title), "description": .string(catalog.description),
            "version": .string(catalog.version), "source": .string(catalog.source), "default": .bool(catalog.isDefault),
        ]
        if catalog.vocabulary != Vocabulary() { members["vocabulary"] = VocabularyFormat.encode(catalog.vocabulary) }
        return .object(members)
    }

    static func decodeSource(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Source {
        let reader = try FieldReader(node, in: text, what: "a source", fields: SourceField.names.all)
        return Source(
            id: try reader.nonEmptyString("id"), title: try reader.nonEmptyString("title"),
            author: try reader.optionalString("author") ?? "", publisher: try reader.optionalString("publisher") ?? "",
            date: try reader.optionalParsed("date", expected: PolicyDate.expectedForm, PolicyDate.init),
            location: try reader.optionalString("where") ?? "")
    }

    /// A source, as `catalog.json` holds it.
    public static func encode(_ source: Source) -> JSONValue {
        .object([
            "id": .string(source.id), "title": .string(source.title), "author": .string(source.author),
            "publisher": .string(source.publisher), "date": .optional(source.date?.text), "where": .string(source.location),
        ])
    }

    // MARK: Recommendations

    static func decodeRecommendation(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Recommendation {
        let reader = try FieldReader(node, in: text, what: "a recommendation", fields: RecommendationField.names.all)
        return Recommendation(
            id: try slug(reader), catalog: try reader.nonEmptyString("catalog"), title: try reader.nonEmptyString("title"),
            summary: try reader.optionalString("summary") ?? "", category: try reader.nonEmptyString("category"),
            horizon: try horizon(reader), actors: try actors(reader), source: try citation(try reader.requiredNode("source"), text),
            links: try links(reader), watched: try reader.bool("watched", default: false),
            lastReviewed: try reader.optionalParsed("lastReviewed", expected: PolicyDate.expectedForm, PolicyDate.init))
    }

    static func encode(_ recommendation: Recommendation) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(recommendation.id), "catalog": .string(recommendation.catalog),
            "title": .string(recommendation.title), "summary": .string(recommendation.summary),
            "category": .string(recommendation.category), "horizon": .string(recommendation.horizon.id),
            "actors": encode(recommendation.actors), "source": encode(recommendation.source),
            "watched": .bool(recommendation.watched),
        ]
        if let reviewed = recommendation.lastReviewed { members["lastReviewed"] = .string(reviewed.text) }
        if !recommendation.links.isEmpty { members["links"] = encode(recommendation.links) }
        return .object(members)
    }

    static func slug(_ reader: FieldReader, key: String = "id") throws(TrackerError) -> String {
        try reader.parsed(key, expected: Slug.expectedForm) { Slug.isValid($0) ? $0 : nil }
    }

    static func horizon(_ reader: FieldReader) throws(TrackerError) -> Horizon {
        Horizon(try reader.nonEmptyString("horizon"))
    }

    static func actors(_ reader: FieldReader) throws(TrackerError) -> [Actor] {
        try distinct(reader, "actors", repeated: { "actor \(DisplayText.quoted($0.id)) is listed twice" }) { element throws(TrackerError) in
            try reader.parsedValue(element, "actors", expected: "a non-empty name") { FieldReader.isBlank($0) ? nil : Actor($0) }
        }
    }

    /// The links of a recommendation or an edit, each at most once (their targets are
    /// checked against the whole tracker by ``Replay``).
    static func links(_ reader: FieldReader) throws(TrackerError) -> [Link] {
        try distinct(reader, "links", repeated: { "link \($0.kind.rawValue) \(DisplayText.quoted($0.id)) is listed twice" }) {
            element throws(TrackerError) in
            let link = try FieldReader(element, in: reader.text, what: "a link", fields: LinkField.names.all)
            return Link(
                try link.parsed("kind", expected: "one of \(LinkKind.names.joined(separator: ", "))") { LinkKind(rawValue: $0) },
                try slug(link))
        }
    }

    /// The elements of the array `key`, each made by `make`; one equal to an earlier one is
    /// refused with the message `repeated` gives.
    private static func distinct<Element: Equatable>(
        _ reader: FieldReader, _ key: String, repeated: (Element) -> String, _ make: (JSONNode) throws(TrackerError) -> Element
    ) throws(TrackerError) -> [Element] {
        var elements: [Element] = []
        for node in try reader.array(key) {
            let element = try make(node)
            guard !elements.contains(element) else { throw reader.text.problem(at: node.offset, repeated(element)) }
            elements.append(element)
        }
        return elements
    }

    static func encode(_ links: [Link]) -> JSONValue {
        .array(links.sorted().map { .object(["kind": .string($0.kind.rawValue), "id": .string($0.id)]) })
    }

    static func encode(_ actors: [Actor]) -> JSONValue {
        .array(actors.map { .string($0.id) })
    }

    static func citation(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Citation {
        let reader = try FieldReader(node, in: text, what: "a citation", fields: CitationField.names.all)
        return Citation(source: try reader.nonEmptyString("id"), quote: try reader.optionalString("quote"))
    }

    static func encode(_ citation: Citation) -> JSONValue {
        var members: [String: JSONValue] = ["id": .string(citation.source)]
        if let quote = citation.quote { members["quote"] = .string(quote) }
        return .object(members)
    }
}

// MARK: Locating links

extension CatalogFormat {
    /// An error about the link to `target` of the recommendation at `index` of the document
    /// in `text`, located at that link's `id` (else at the recommendation, else the document).
    /// Only errors need positions, so the document is parsed again here.
    public static func problem(in text: SourceText, recommendation index: Int, linkTo target: String, _ message: String) -> TrackerError {
        let root = try? text.parseDocument()
        let recommendations = root?.member("recommendations")?.elements ?? []
        let node = recommendations.indices.contains(index)
            ? linkTarget(target, in: recommendations[index]) ?? recommendations[index] : root
        return text.problem(at: node?.offset ?? 0, message)
    }

    /// The `id` value of the first link to `target` in `node`: a recommendation, or the fields
    /// of an edit.
    static func linkTarget(_ target: String, in node: JSONNode) -> JSONNode? {
        node.member("links")?.elements.lazy.compactMap { $0.member("id") }.first { id in
            if case .string(let text) = id.kind { text == target } else { false }
        }
    }
}

// MARK: Reading straight from bytes

extension CatalogFormat {
    enum DocumentField: String, JSONField {
        case schemaVersion, catalogs, sources, recommendations

        static let names = NameTable<DocumentField>()
    }

    enum CatalogField: String, JSONField {
        case id, title, description, version, source, `default`, vocabulary

        static let names = NameTable<CatalogField>()
    }

    enum SourceField: String, JSONField {
        case id, title, author, publisher, date, `where`

        static let names = NameTable<SourceField>()
    }

    enum RecommendationField: String, JSONField {
        case id, catalog, title, summary, category, horizon, actors, source, links, watched, lastReviewed

        static let names = NameTable<RecommendationField>()
    }

    /// The kinds of link by name, for ``JSONReader``.
    static let linkKinds = NameTable<LinkKind>()

    enum LinkField: String, JSONField {
        case kind, id

        static let names = NameTable<LinkField>()
    }

    enum CitationField: String, JSONField {
        case id, quote

        static let names = NameTable<CitationField>()
    }

    /// The document read with ``JSONReader``: the same checks as ``decode(_:in:)``, without
    /// saying what failed.
    static func readDocument(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> CatalogDocument {
        var schemaVersion: Int?
        var document = CatalogDocument(catalogs: [], sources: [], recommendations: [])
        var undeclared = Set<String>()
        try reader.members { (field: DocumentField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .schemaVersion: schemaVersion = try reader.int()
            case .catalogs:
                document.catalogs = try reader.array { reader throws(JSONReader.Mismatch) in try readCatalog(&reader, undeclared: &undeclared) } ?? []
            case .sources: document.sources = try reader.array(readSource) ?? []
            case .recommendations: document.recommendations = try reader.array(readRecommendation) ?? []
            }
        }
        let catalogIds = Set(document.catalogs.map(\.id))
        let recommendations = document.recommendations
        guard let schemaVersion, (1...SchemaVersion.current).contains(schemaVersion),
              hasUniqueIds(document.catalogs), hasUniqueIds(document.sources), hasUniqueIds(recommendations),
              recommendations.indices.allSatisfy({ catalogIds.contains(recommendations[$0].catalog) })
        else { throw JSONReader.Mismatch() }
        document.completeVocabularies(undeclared: undeclared)
        guard document.firstUndeclaredValue() == nil else { throw JSONReader.Mismatch() }
        return document
    }

    /// Whether no two elements share an id (looked at by index: iterating would copy each element).
    private static func hasUniqueIds(_ elements: [some Identified]) -> Bool {
        var seen = Set<String>(minimumCapacity: elements.count)
        return elements.indices.allSatisfy { seen.insert(elements[$0].id).inserted }
    }

    /// A catalog; the id of one without a vocabulary goes into `undeclared`.
    static func readCatalog(_ reader: inout JSONReader, undeclared: inout Set<String>) throws(JSONReader.Mismatch) -> Catalog? {
        var id, title, description, version, source: String?
        var isDefault: Bool?
        var vocabulary: Vocabulary?
        let present = try reader.members { (field: CatalogField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .id: id = try reader.string(where: Slug.isValid)
            case .title: title = try reader.nonEmptyString()
            case .description: description = try reader.string()
            case .version: version = try reader.string()
            case .source: source = try reader.string()
            case .default: isDefault = try reader.bool()
            case .vocabulary: vocabulary = try VocabularyFormat.read(&reader)
            }
        }
        guard present != nil else { return nil }
        guard let id, let title else { throw JSONReader.Mismatch() }
        if vocabulary == nil { undeclared.insert(id) }
        return Catalog(
            id: id, title: title, description: description ?? "", version: version ?? "", source: source ?? "",
            isDefault: isDefault ?? false, vocabulary: vocabulary ?? Vocabulary())
    }

    static func readSource(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> Source? {
        var id, title, author, publisher, location: String?
        var date: PolicyDate?
        let present = try reader.members { (field: SourceField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .id: id = try reader.nonEmptyString()
            case .title: title = try reader.nonEmptyString()
            case .author: author = try reader.string()
            case .publisher: publisher = try reader.string()
            case .date: date = try reader.string(PolicyDate.init)
            case .where: location = try reader.string()
            }
        }
        guard present != nil else { return nil }
        guard let id, let title else { throw JSONReader.Mismatch() }
        return Source(
            id: id, title: title, author: author ?? "", publisher: publisher ?? "", date: date, location: location ?? "")
    }

    static func readRecommendation(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> Recommendation? {
        var id, catalog, title, summary, category: String?
        var horizon: Horizon?
        var actors: [Actor]?
        var source: Citation?
        var links: [Link]?
        var watched: Bool?
        var lastReviewed: PolicyDate?
        let present = try reader.members { (field: RecommendationField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .id: id = try reader.string(where: Slug.isValid)
            case .catalog: catalog = try reader.nonEmptyString()
            case .title: title = try reader.nonEmptyString()
            case .summary: summary = try reader.string()
            case .category: category = try reader.nonEmptyString()
            case .horizon: horizon = try reader.nonEmptyString().map(Horizon.init)
            case .actors: actors = try readActors(&reader)
            case .source: source = try readCitation(&reader)
            case .links: links = try readLinks(&reader)
            case .watched: watched = try reader.bool()
            case .lastReviewed: lastReviewed = try reader.string(PolicyDate.init)
            }
        }
        guard present != nil else { return nil }
        // The texts are moved into the recommendation (`take()`), not copied: there are many.
        guard let id = id.take(), let catalog = catalog.take(), let title = title.take(), let category = category.take(),
              let horizon, let source = source.take()
        else { throw JSONReader.Mismatch() }
        return Recommendation(
            id: id, catalog: catalog, title: title, summary: summary.take() ?? "", category: category, horizon: horizon,
            actors: actors.take() ?? [], source: source, links: links.take() ?? [], watched: watched ?? false,
            lastReviewed: lastReviewed.take())
    }

    /// The actors in the order written, none twice; nil for `null`.
    static func readActors(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> [Actor]? {
        try withoutRepeats(try reader.array { reader throws(JSONReader.Mismatch) in try reader.nonEmptyString().map(Actor.init) })
    }

    /// The links in the order written, none twice; nil for `null`.
    static func readLinks(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> [Link]? {
        try withoutRepeats(try reader.array(readLink))
    }

    static func readLink(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> Link? {
        var kind: LinkKind?
        var id: String?
        let present = try reader.members { (field: LinkField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .kind: kind = try reader.name(in: linkKinds)
            case .id: id = try reader.string(where: Slug.isValid)
            }
        }
        guard present != nil else { return nil }
        guard let kind, let id = id.take() else { throw JSONReader.Mismatch() }
        return Link(kind, id)
    }

    /// `elements` when none is listed twice; nil for nil.
    private static func withoutRepeats<Element: Equatable>(_ elements: [Element]?) throws(JSONReader.Mismatch) -> [Element]? {
        guard let elements else { return nil }
        for (index, element) in elements.enumerated() where elements[..<index].contains(element) { throw JSONReader.Mismatch() }
        return elements
    }

    static func readCitation(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> Citation? {
        var id, quote: String?
        let present = try reader.members { (field: CitationField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .id: id = try reader.nonEmptyString()
            case .quote: quote = try reader.string()
            }
        }
        guard present != nil else { return nil }
        guard let id = id.take() else { throw JSONReader.Mismatch() }
        return Citation(source: id, quote: quote.take())
    }
}

/// Things with a string id, so duplicate ids can be refused in one place.
protocol Identified { var id: String { get } }
extension Catalog: Identified {}
extension Source: Identified {}
extension Recommendation: Identified {}
