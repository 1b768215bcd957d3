/// A document recommendations and evidence come from.
public struct Source: Equatable, Sendable {
    public var id: String
    public var title: String
    public var author: String
    public var publisher: String
    public var date: PolicyDate?
    /// Where it was published: a URL, or a description.
    public var location: String

    public init(id: String, title: String, author: String, publisher: String, date: PolicyDate?, location: String) {
        self.id = id
        self.title = title
        self.author = author
        self.publisher = publisher
        self.date = date
        self.location = location
    }

    /// A one-line citation: `Author, "Title", Publisher, date`.
    public var citation: String {
        var parts = [author, "\u{201C}\(title)\u{201D}", publisher]
        if let date { parts.append(date.text) }
        return parts.filter { !$0.isEmpty }.joined(separator: ", ")
    }
}

/// A named set of recommendations from one agenda.
public struct Catalog: Equatable, Sendable {
    public var id: String
    public var title: String
    public var description: String
    public var version: String
    /// The id of the ``Source`` the catalog is drawn from.
    public var source: String
    /// Whether this is the tracker's default catalog.
    public var isDefault: Bool
    /// The actors, categories and horizons its recommendations name.
    public var vocabulary: Vocabulary

    public init(
        id: String, title: String, description: String, version: String, source: String, isDefault: Bool,
        vocabulary: Vocabulary = Vocabulary()
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.version = version
        self.source = source
        self.isDefault = isDefault
        self.vocabulary = vocabulary
    }
}

/// Where a recommendation or a change comes from: a source id (or free citation text for
/// sources not in the catalog) and, optionally, a short quote (an empty one counts as none).
public struct Citation: Equatable, Sendable {
    public var source: String
    public var quote: String?

    public init(source: String, quote: String? = nil) {
        self.source = source
        self.quote = quote?.isEmpty == true ? nil : quote
    }
}

/// A link from one recommendation to another: how it relates to it, and the other's id.
public struct Link: Hashable, Sendable, Comparable {
    public var kind: LinkKind
    /// The id of the recommendation at the other end.
    public var id: String

    public init(_ kind: LinkKind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    /// By kind, then id: the order ptrack writes links in.
    public static func < (lhs: Link, rhs: Link) -> Bool {
        (lhs.kind, lhs.id) < (rhs.kind, rhs.id)
    }
}

/// One recommendation as the catalog defines it, corrected by any later edits.
public struct Recommendation: Equatable, Sendable {
    /// A stable lowercase slug, such as `gsomia`.
    public var id: String
    public var catalog: String
    public var title: String
    public var summary: String
    public var category: String
    public var horizon: Horizon
    /// In the order of its catalog's vocabulary, none twice.
    public var actors: [Actor]
    public var source: Citation
    /// Its links to other recommendations of the tracker, sorted.
    public var links: [Link]
    public var watched: Bool
    public var lastReviewed: PolicyDate?

    public init(
        id: String, catalog: String, title: String, summary: String = "", category: String,
        horizon: Horizon, actors: [Actor], source: Citation, links: [Link] = [], watched: Bool = false,
        lastReviewed: PolicyDate? = nil
    ) {
        self.id = id
        self.catalog = catalog
        self.title = title
        self.summary = summary
        self.category = category
        self.horizon = horizon
        self.actors = actors
        self.source = source
        self.links = links.sorted()
        self.watched = watched
        self.lastReviewed = lastReviewed
    }
}

/// The contents of `catalog.json`: catalogs, sources and the recommendations as published.
public struct CatalogDocument: Equatable, Sendable {
    public var catalogs: [Catalog]
    public var sources: [Source]
    public var recommendations: [Recommendation]

    public init(catalogs: [Catalog], sources: [Source], recommendations: [Recommendation]) {
        self.catalogs = catalogs
        self.sources = sources
        self.recommendations = recommendations
    }
}
