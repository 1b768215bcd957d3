import PolicyTrackerCore

/// The four main screens; `1`–`4` and Tab switch between them.
public enum Screen: Int, CaseIterable, Sendable {
    case list = 1, detail, dashboard, timeline

    public var title: String {
        switch self {
        case .list: "List"
        case .detail: "Detail"
        case .dashboard: "Dashboard"
        case .timeline: "Timeline"
        }
    }
}

/// How the list is ordered; `s` cycles through them.
public enum SortOrder: CaseIterable, Sendable {
    /// `since` orders by ``Item/since``, the newest status first.
    case id, status, since, category

    public var label: String {
        switch self {
        case .id: "id"
        case .status: "status"
        case .since: "since"
        case .category: "category"
        }
    }
}

/// One line of the list: a category heading (when grouped) or an item.
public enum Row: Equatable, Sendable {
    case group(name: String, count: Int, collapsed: Bool)
    case item(id: String)

    public var itemId: String? {
        if case .item(let id) = self { return id }
        return nil
    }

    public var groupName: String? {
        if case .group(let name, _, _) = self { return name }
        return nil
    }
}

/// A line of text being typed (a search, a field of a form).
public struct TextField: Equatable, Sendable {
    public var text = ""

    public init(text: String = "") { self.text = text }
}

/// What the keyboard is doing: browsing, or typing into a prompt or a picker.
public enum Mode: Equatable, Sendable {
    case browse
    /// Incremental search; `origin` is where the selection was when it started (Esc returns there).
    case search(field: TextField, origin: String?)
    /// Choosing from a list (a status to mark, or a filter value).
    case picker(Picker)
    /// A form for a change about to be recorded: a status change, a review, an addition or
    /// an edit.
    case form(Form)
}

/// Something `y` can copy: what it is ("id", "citation", "address") and its text.
public struct ClipboardChoice: Equatable, Sendable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// A line for the status bar.
public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// Everything the browser shows, as plain values. `update` changes it; `view` draws it.
public struct AppState: Equatable, Sendable {
    // MARK: Data

    public internal(set) var tracker: TrackerState
    public internal(set) var history: [Change]
    /// True while the history is still being read (a large tracker's first seconds): the
    /// list and the dashboard's counts are there, the changes not yet.
    public internal(set) var historyIsLoading = false
    /// Changes appended to the log (this browser's saves, other processes' lines) while the
    /// history was being read: taken in once it arrives.
    var appendedWhileLoading: [Change] = []
    public let dataDirectory: String

    // MARK: Derived from the data (recomputed on load, never per frame)

    /// Each item's changes, the timeline and the notes.
    public internal(set) var historyViews = HistoryViews()
    /// Changes of each item, newest first.
    public var changesByItem: [String: [Change]] { historyViews.changesByItem }
    /// Every status change, oldest first, with the status it replaced.
    public var timeline: [Transition] { historyViews.timeline }
    /// Items changed side by side in two copies of the tracker (see ``HistoryViews/forks``).
    public var forks: [String: [Change]] { historyViews.forks }
    /// The dashboard's figures.
    public internal(set) var report: StatusReport
    /// Change notes by item, for search.
    public var notes: [String: [String]] { historyViews.notes }
    /// The text of every item and its notes, for search.
    var searchIndex: SearchIndex {
        get { historyViews.search }
        set { historyViews.search = newValue }
    }
    /// The items' filter and sort keys, for rebuilding the list's rows quickly.
    var listIndex = ListIndex([:])
    /// The links pointing at each item, for the detail's links both ways.
    public internal(set) var links = LinkIndex()
    /// The rules `ptrack check` is told to leave alone for single items (`check.json`), for
    /// the detail's findings.
    public var checkSilences: [CheckSilence] = []
    /// The texts of listed sources kept in the data directory's `sources/`, by source id,
    /// for the detail's findings about quotes (normalised once, when the browser starts).
    public var sourceTexts: [String: QuoteMatch.Text] = [:]

    // MARK: What is shown

    public internal(set) var screen: Screen = .list
    public internal(set) var showsHelp = false
    public internal(set) var mode: Mode = .browse
    public internal(set) var filter = ItemFilter()
    /// What arrived since the last look, and whether the list shows only it.
    public internal(set) var news = NewSinceLastLook()
    public internal(set) var sort: SortOrder = .id
    public internal(set) var groupsByCategory = false
    public internal(set) var collapsedGroups: Set<String> = []
    /// The list's lines under the current filter, sort and grouping.
    public internal(set) var rows: [Row] = []
    /// Where each item and heading is in `rows`.
    var rowIndex = RowIndex()
    /// The selected item; selection follows the item, not the row number. The detail of
    /// another item starts at its header.
    public internal(set) var selectedId: String? {
        didSet { if selectedId != oldValue { detailOffset = 0 } }
    }
    /// The selected category heading, when the selection is on one (grouped list).
    public internal(set) var selectedGroup: String?
    /// The first list row on screen.
    public internal(set) var listOffset = 0
    /// The selected row of the timeline and the first one on screen.
    public internal(set) var timelineIndex = 0
    public internal(set) var timelineOffset = 0
    /// Lines scrolled in the detail pane.
    public internal(set) var detailOffset = 0
    /// Lines scrolled in the help and on the dashboard, when they are taller than the screen.
    public internal(set) var helpOffset = 0
    public internal(set) var dashboardOffset = 0
    /// The dashboard's selected "not reviewed" item, by its place in the report's list.
    public internal(set) var staleIndex = 0
    /// Rows of the items matching the search, in list order (as the rows were when it ran).
    public internal(set) var searchMatches: [Int] = []
    /// The last search, for `n` and `N` after the prompt closed.
    public internal(set) var lastSearch = ""
    public internal(set) var message: StatusMessage?
    /// Changes this session recorded, oldest first: what `u` undoes.
    public internal(set) var sessionChanges: [String] = []
    public internal(set) var size: Size
    /// Set when the user asked to quit.
    public internal(set) var quitting = false
    /// Changes that could not be saved, oldest first, kept until they are saved or the user
    /// quits without them.
    public internal(set) var unsaved: [Effect] = []
    /// Set when a quit was refused because of ``unsaved``: the next quit goes through.
    var quitIsConfirmed = false

    /// The browser's state over `tracker` and its `history`; with `historyIsLoading`, the
    /// history is still being read (`history` is empty) and arrives as
    /// ``Message/historyLoaded(_:_:)``, so nothing is derived from it yet. The dashboard
    /// lists the items not reviewed in `staleDays` days.
    public init(
        tracker: TrackerState, history: [Change], historyIsLoading: Bool = false, dataDirectory: String, size: Size,
        today: PolicyDate, staleDays: Int = 180
    ) {
        self.tracker = tracker
        self.history = history
        self.dataDirectory = dataDirectory
        self.size = size
        self.today = today
        self.staleDays = staleDays
        self.report = StatusReport(items: [], catalogs: [], history: [], asOf: today, generated: Timestamp("2000-01-01T00:00:00Z")!)
        self.historyIsLoading = historyIsLoading
        refreshData(historyIsLoading ? HistoryViews() : HistoryViews(history: history, items: Array(tracker.items.values)))
    }

    /// Today, for the dashboard's report.
    public let today: PolicyDate
    /// The dashboard lists items with no change recorded in this many days.
    public let staleDays: Int

    /// The selected item.
    public var selectedItem: Item? { selectedId.flatMap { tracker.items[$0] } }

    /// How many items the dashboard lists under "Not reviewed": the rest are counted.
    public static let staleListed = 200

    /// The dashboard's selected "not reviewed" item, within those listed; nil when none is.
    public var staleSelection: Int? {
        let listed = min(report.stale.count, Self.staleListed)
        return listed > 0 ? min(staleIndex, listed - 1) : nil
    }

    /// The item the keys that change or share an item act on: on the dashboard the selected
    /// "not reviewed" item, on the timeline the selected change's item, else the selected one.
    public var focusedItem: Item? {
        switch screen {
        case .dashboard: staleSelection.flatMap { tracker.items[report.stale[$0].id] }
        case .timeline: timeline.indices.contains(timelineIndex) ? tracker.items[timeline[timelineIndex].change.recommendationId] : nil
        case .list, .detail: selectedItem
        }
    }

    /// True when the terminal is wide enough for the detail beside the list.
    public var isWide: Bool { size.width >= 120 }

    /// Ids of the items the list shows, in order.
    public var visibleItemIds: [String] { rows.compactMap(\.itemId) }
}
