/// Reading and writing `catalog.json`.
public enum CatalogFormat {
    /// Parses and validates a whole catalog document.
    public static func decode(_ text: SourceText) throws(TrackerError) -> CatalogDocument {
        let root = try text.parseDocument()
        let reader = try FieldReader(
            root, in: text, what: "the catalog document",
            fields: ["schemaVersion", "catalogs", "sources", "recommendations"])
        try reader.checkSchemaVersion()
        let catalogs = try unique(try reader.array("catalogs"), text) { node throws(TrackerError) in try decodeCatalog(node, text) }
        let sources = try unique(try reader.array("sources"), text) { node throws(TrackerError) in try decodeSource(node, text) }
        let catalogIds = Set(catalogs.map(\.id))
        let recommendations = try unique(try reader.array("recommendations"), text) { node throws(TrackerError) in
            let recommendation = try decodeRecommendation(node, text)
            guard catalogIds.contains(recommendation.catalog) else {
                throw text.problem(
                    at: node.offset,
                    "recommendation \"\(recommendation.id)\" names catalog \"\(recommendation.catalog)\", which the document does not define (defined: \(catalogIds.sorted().joined(separator: ", ")))")
            }
            return recommendation
        }
        return CatalogDocument(catalogs: catalogs, sources: sources, recommendations: recommendations)
    }

    /// The document as `catalog.json` holds it: pretty, sorted, with a trailing newline.
    public static func encode(_ document: CatalogDocument) -> String {
        JSONWriter.pretty(.object([
            "schemaVersion": .int(TrackerFiles.schemaVersion),
            "catalogs": .array(document.catalogs.sorted { $0.id < $1.id }.map(encode)),
            "sources": .array(document.sources.sorted { $0.id < $1.id }.map(encode)),
            "recommendations": .array(document.recommendations.sorted { $0.id < $1.id }.map(encode)),
        ]))
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
                throw text.problem(at: node.offset, "duplicate id \"\(element.id)\"")
            }
            result.append(element)
        }
        return result
    }

    // MARK: Catalogs and sources

    static func decodeCatalog(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Catalog {
        let reader = try FieldReader(
            node, in: text, what: "a catalog", fields: ["id", "title", "description", "version", "source", "default"])
        return Catalog(
            id: try slug(reader), title: try reader.nonEmptyString("title"),
            description: try reader.optionalString("description") ?? "", version: try reader.optionalString("version") ?? "",
            source: try reader.optionalString("source") ?? "", isDefault: try reader.bool("default", default: false))
    }

    static func encode(_ catalog: Catalog) -> JSONValue {
        .object([
            "id": .string(catalog.id), "title": .string(catalog.title), "description": .string(catalog.description),
            "version": .string(catalog.version), "source": .string(catalog.source), "default": .bool(catalog.isDefault),
        ])
    }

    static func decodeSource(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Source {
        let reader = try FieldReader(
            node, in: text, what: "a source", fields: ["id", "title", "author", "publisher", "date", "where"])
        return Source(
            id: try reader.nonEmptyString("id"), title: try reader.nonEmptyString("title"),
            author: try reader.optionalString("author") ?? "", publisher: try reader.optionalString("publisher") ?? "",
            date: try reader.optionalParsed("date", expected: PolicyDate.expectedForm, PolicyDate.init),
            location: try reader.optionalString("where") ?? "")
    }

    static func encode(_ source: Source) -> JSONValue {
        .object([
            "id": .string(source.id), "title": .string(source.title), "author": .string(source.author),
            "publisher": .string(source.publisher), "date": .optional(source.date?.text), "where": .string(source.location),
        ])
    }

    // MARK: Recommendations

    static let recommendationFields = [
        "id", "catalog", "title", "summary", "category", "horizon", "actors", "source", "watched", "lastReviewed",
    ]

    static func decodeRecommendation(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Recommendation {
        let reader = try FieldReader(node, in: text, what: "a recommendation", fields: recommendationFields)
        return Recommendation(
            id: try slug(reader), catalog: try reader.nonEmptyString("catalog"), title: try reader.nonEmptyString("title"),
            summary: try reader.optionalString("summary") ?? "", category: try reader.nonEmptyString("category"),
            horizon: try horizon(reader), actors: try actors(reader), source: try citation(try reader.requiredNode("source"), text),
            watched: try reader.bool("watched", default: false),
            lastReviewed: try reader.optionalParsed("lastReviewed", expected: PolicyDate.expectedForm, PolicyDate.init))
    }

    static func encode(_ recommendation: Recommendation) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(recommendation.id), "catalog": .string(recommendation.catalog),
            "title": .string(recommendation.title), "summary": .string(recommendation.summary),
            "category": .string(recommendation.category), "horizon": .string(recommendation.horizon.rawValue),
            "actors": encode(recommendation.actors), "source": encode(recommendation.source),
            "watched": .bool(recommendation.watched),
        ]
        if let reviewed = recommendation.lastReviewed { members["lastReviewed"] = .string(reviewed.text) }
        return .object(members)
    }

    static func slug(_ reader: FieldReader) throws(TrackerError) -> String {
        try reader.parsed("id", expected: Slug.expectedForm) { Slug.isValid($0) ? $0 : nil }
    }

    static func horizon(_ reader: FieldReader) throws(TrackerError) -> Horizon {
        try reader.parsed("horizon", expected: "one of \(Horizon.names.joined(separator: ", "))") { Horizon(rawValue: $0) }
    }

    static func actors(_ reader: FieldReader) throws(TrackerError) -> [Actor] {
        var actors: [Actor] = []
        for element in try reader.array("actors") {
            let actor = try reader.parsedValue(element, "actors", expected: "one of \(Actor.names.joined(separator: ", "))") {
                Actor(rawValue: $0)
            }
            guard !actors.contains(actor) else {
                throw reader.text.problem(at: element.offset, "actor \"\(actor.rawValue)\" is listed twice")
            }
            actors.append(actor)
        }
        return actors
    }

    static func encode(_ actors: [Actor]) -> JSONValue {
        .array(actors.sorted().map { .string($0.rawValue) })
    }

    static func citation(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Citation {
        let reader = try FieldReader(node, in: text, what: "a citation", fields: ["id", "quote"])
        return Citation(source: try reader.nonEmptyString("id"), quote: try reader.optionalString("quote"))
    }

    static func encode(_ citation: Citation) -> JSONValue {
        var members: [String: JSONValue] = ["id": .string(citation.source)]
        if let quote = citation.quote { members["quote"] = .string(quote) }
        return .object(members)
    }
}

/// Things with a string id, so duplicate ids can be refused in one place.
protocol Identified { var id: String { get } }
extension Catalog: Identified {}
extension Source: Identified {}
extension Recommendation: Identified {}
