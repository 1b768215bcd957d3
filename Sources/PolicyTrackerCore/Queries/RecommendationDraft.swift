/// A recommendation's fields as a person types them, on the command line (`add`, `edit`) or
/// in the browser's form: text, checked and resolved here, so both say the same things
/// about the same mistakes. Nil or empty means "not given".
public struct RecommendationDraft: Equatable, Sendable {
    public var title: String?
    public var summary: String?
    public var category: String?
    /// A horizon by name or unique prefix.
    public var horizon: String?
    /// Actors by name or unique prefix.
    public var actors: [String]
    /// A source id or a citation.
    public var source: String?
    public var quote: String?
    /// Links as `kind:id`, kind and id by unique prefix.
    public var links: [String]

    public init(
        title: String? = nil, summary: String? = nil, category: String? = nil, horizon: String? = nil, actors: [String] = [],
        source: String? = nil, quote: String? = nil, links: [String] = []
    ) {
        self.title = title
        self.summary = summary
        self.category = category
        self.horizon = horizon
        self.actors = actors
        self.source = source
        self.quote = quote
        self.links = links
    }

    /// The fields given, resolved in `vocabulary` (its catalog's) and checked; a citation
    /// keeps the parts of `current` the draft leaves out.
    public func patch(current: Citation?, vocabulary: Vocabulary) throws(TrackerError) -> RecommendationPatch {
        var resolved: [Actor]?
        if !actors.isEmpty {
            var list: [Actor] = []
            for name in actors { list.append(try Lookup.actor(name, in: vocabulary)) }
            resolved = vocabulary.ordered(list)
        }
        var citation: Citation?
        if source != nil || quote != nil {
            citation = Citation(source: source ?? current?.source ?? "unspecified", quote: quote ?? current?.quote)
        }
        return RecommendationPatch(
            title: title, summary: summary,
            category: try category.map { text throws(TrackerError) in try Lookup.category(text, in: vocabulary) },
            horizon: try horizon.map { text throws(TrackerError) in try Lookup.horizon(text, in: vocabulary) }, actors: resolved,
            source: citation)
    }

    /// The links of the item `owner`, each target found in `state`; nil when none is given.
    /// `label` names the field in errors (`--link` on the command line).
    public func resolvedLinks(of owner: String, in state: TrackerState, label: String) throws(TrackerError) -> [Link]? {
        guard !links.isEmpty else { return nil }
        var resolved: Set<Link> = []
        for text in links {
            guard let colon = text.firstIndex(of: ":") else {
                throw .usage("\(label) \(DisplayText.quoted(text)): expected kind:id, such as advances:gsomia")
            }
            let kind = LinkKind(rawValue: try Lookup.resolve(String(text[..<colon]), among: LinkKind.names, noun: "link kind"))!
            let target = try Lookup.item(String(text[text.index(after: colon)...]), in: state).id
            if target == owner { throw .usage("\(label) \(DisplayText.quoted(text)): a recommendation cannot link to itself") }
            resolved.insert(Link(kind, target))
        }
        return resolved.sorted()
    }

    /// The new recommendation `id` in `catalog` (an id or unique prefix; nil for the default
    /// catalog), with defaults for what the draft leaves out. `label` names the links' field.
    public func recommendation(
        id: String, catalog: String?, in state: TrackerState, linkLabel label: String
    ) throws(TrackerError) -> Recommendation {
        let catalogId = try catalog.map { text throws(TrackerError) in
            try Lookup.resolve(text, among: state.catalogs.map(\.id), noun: "catalog")
        } ?? state.defaultCatalog ?? ""
        let vocabulary = state.vocabulary(of: catalogId)
        let patch = try patch(current: nil, vocabulary: vocabulary)
        guard let category = patch.category ?? vocabulary.categories.first?.id,
              let horizon = patch.horizon ?? (vocabulary.term("medium-term", in: .horizons) ?? vocabulary.horizons.first).map({ Horizon($0.id) })
        else {
            throw .usage("catalog \(DisplayText.quoted(catalogId)) has no categories or no horizons yet: add some with ptrack vocabulary add")
        }
        return Recommendation(
            id: id, catalog: catalogId, title: patch.title ?? "", summary: patch.summary ?? "", category: category, horizon: horizon,
            actors: patch.actors ?? vocabulary.actors.map { Actor($0.id) }, source: patch.source ?? Citation(source: "unspecified"),
            links: try resolvedLinks(of: id, in: state, label: label) ?? [])
    }
}
