/// A recommendation together with where it stands.
public struct Item: Equatable, Sendable {
    public var recommendation: Recommendation
    public var status: Status
    /// The status changes in effect that set ``status`` since it last differed, and the one
    /// before them: where ``since`` and ``statusChange`` come from.
    public var statusRun: StatusRun
    /// How many changes in effect concern the item.
    public var changeCount: Int
    /// The ids of its latest status changes and reviews that no later one follows, in log
    /// order: one after a history made in one place, more after a merge of changes made side
    /// by side, until a change that follows them all (see ``Change/follows``).
    public var tips: [String]
    /// The item's logical clock: the highest ``Change/sequence`` of any status change or
    /// review about it in the log, reverted ones included (0 when none has one). The next
    /// one recorded gets one more.
    public var sequence: Int

    public init(
        recommendation: Recommendation, status: Status = .notStarted, statusRun: StatusRun = StatusRun(), changeCount: Int = 0,
        tips: [String] = [], sequence: Int = 0
    ) {
        self.recommendation = recommendation
        self.status = status
        self.statusRun = statusRun
        self.changeCount = changeCount
        self.tips = tips
        self.sequence = sequence
    }

    public var id: String { recommendation.id }

    /// The change that set ``status``: the status change in effect with the highest
    /// precedence, which may have set the status the item already had (a reaffirmation);
    /// nil while no status was ever recorded.
    public var statusChange: ChangePrecedence? { statusRun.last }

    /// The date the current status began: when the first of the status changes in effect
    /// that set it since it last differed happened. A later change that sets the same
    /// status again, or a review, does not move it; nil while no status was ever recorded.
    public var since: PolicyDate? { statusRun.first?.happened }

    /// The date of the latest status change in effect (``statusChange``), a reaffirmation of
    /// the status included; ``since`` is when the status began.
    public var lastChange: PolicyDate? { statusChange?.happened }
}

/// Everything a command needs to know about a tracker's present: its catalogs, sources and
/// every recommendation with its current status. Built by replaying the change log over the
/// catalog (see ``Replay``), or loaded from the snapshot that caches that replay.
public struct TrackerState: Equatable, Sendable {
    public var catalogs: [Catalog]
    public var sources: [Source]
    /// Items by id.
    public var items: [String: Item]

    public init(catalogs: [Catalog], sources: [Source], items: [String: Item]) {
        self.catalogs = catalogs
        self.sources = sources
        self.items = items
    }

    /// Every item, sorted by id.
    public var sortedItems: [Item] {
        // Sorting the ids and looking the items up moves far less than sorting the items.
        items.keys.sorted().map { items[$0]! }
    }

    /// The source with this id, if the catalog has one.
    public func source(_ id: String?) -> Source? {
        guard let id else { return nil }
        return sources.first { $0.id == id }
    }

    /// The vocabulary of catalog `id` (empty when there is no such catalog).
    public func vocabulary(of id: String) -> Vocabulary {
        catalogs.first { $0.id == id }?.vocabulary ?? Vocabulary()
    }

    /// The vocabularies of every catalog as one (see ``Vocabulary/combined(_:)``), the
    /// default catalog's first.
    public var vocabulary: Vocabulary {
        Vocabulary.combined(catalogs.filter(\.isDefault) + catalogs.filter { !$0.isDefault })
    }

    /// The id of the default catalog (the first marked default, else the first).
    public var defaultCatalog: String? {
        (catalogs.first(where: \.isDefault) ?? catalogs.first)?.id
    }
}
