import PolicyTrackerCore

/// The changes that arrived since the browser last showed this tracker to its user (see
/// ``SeenChanges``): counted on the status line at start, marked `+` in the list, and the
/// list's `+` filter.
public struct NewSinceLastLook: Equatable, Sendable {
    /// How many changes are new.
    public internal(set) var count = 0
    /// The items they are about.
    public internal(set) var items: Set<String> = []
    /// True while the list shows only ``items``.
    public internal(set) var only = false

    public init() {}

    /// What is new among `changes`.
    public init(_ changes: [Change]) {
        count = changes.count
        items = Set(changes.map(\.recommendationId))
    }

    /// What the status line says of it: `3 new since you last looked`, nil when nothing is new.
    public var summary: String? {
        count == 0 ? nil : SeenChanges.summary(count: count)
    }
}

extension AppState {
    /// Takes in what is new since the last look: the status line says how many, after any
    /// message already there.
    public mutating func showNew(_ changes: [Change]) {
        news = NewSinceLastLook(changes)
        guard let summary = news.summary else { return }
        message = message.map { StatusMessage($0.text + " · " + summary, isError: $0.isError) } ?? StatusMessage(summary)
        rebuildRows()
    }

    /// Shows only the items with new changes, or every item again.
    mutating func toggleNewOnly() {
        news.only.toggle()
        if news.only, news.count == 0 { message = StatusMessage(SeenChanges.summary(count: 0)) }
        rebuildRows()
    }
}
