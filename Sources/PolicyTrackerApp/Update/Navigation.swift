import PolicyTrackerCore

extension AppState {
    /// Moves the selection `rows` rows on the screen in view: list rows, timeline entries,
    /// the dashboard's "not reviewed" items (the dashboard scrolled to keep it in sight; its
    /// lines when it lists none), or lines of the help or the detail (narrow detail screen).
    mutating func move(by delta: Int) {
        if showsHelp {
            helpOffset = scrolled(helpOffset, by: delta, limit: View.helpScrollLimit(self))
            return
        }
        switch screen {
        case .timeline:
            guard !timeline.isEmpty else { return }
            timelineIndex = clamped(timelineIndex + delta, count: timeline.count)
            scrollTimelineToSelection()
        case .detail where !isWide:
            detailOffset = scrolled(detailOffset, by: delta, limit: View.detailScrollLimit(self))
        case .dashboard:
            guard let selected = staleSelection else {
                dashboardOffset = scrolled(dashboardOffset, by: delta, limit: View.dashboardScrollLimit(self))
                return
            }
            staleIndex = clamped(selected + delta, count: min(report.stale.count, Self.staleListed))
            dashboardOffset = View.dashboardOffset(revealingStaleOf: self)
        default:
            guard !rows.isEmpty else { return }
            select(row: clamped((selectedRow ?? 0) + delta, count: rows.count))
        }
    }

    /// What PgUp and PgDn move by: the lines the help or the dashboard shows when it
    /// scrolls, else the list's rows.
    var pageSize: Int {
        guard showsHelp || screen == .dashboard else { return listPageSize }
        return max(1, View.scrollPage(self))
    }

    private func clamped(_ value: Int, count: Int) -> Int { max(0, min(count - 1, value)) }

    /// A scroll offset moved by `delta` lines (g and G ask for huge moves) within 0...`limit`.
    private func scrolled(_ offset: Int, by delta: Int, limit: Int) -> Int {
        max(0, min(limit, offset + max(-10_000, min(10_000, delta))))
    }

    /// Keeps the selected timeline entry inside the visible window.
    mutating func scrollTimelineToSelection() {
        let page = max(1, Layout(size: size).timelineBody.height)
        if timelineIndex < timelineOffset { timelineOffset = timelineIndex }
        if timelineIndex >= timelineOffset + page { timelineOffset = timelineIndex - page + 1 }
    }

    /// Selects the row at `index`, an item or a heading.
    mutating func select(row index: Int) {
        switch rows[index] {
        case .item(let id):
            selectedId = id
            selectedGroup = nil
        case .group(let name, _, _):
            selectedGroup = name
        }
        scrollToSelection()
    }

    /// Selects `id` and shows it in the list, clearing filters that hide it.
    mutating func reveal(_ id: String) {
        if rowIndex.row(ofItem: id) == nil {
            filter = ItemFilter()
            collapsedGroups = []
            rebuildRows()
        }
        if let index = rowIndex.row(ofItem: id) { select(row: index) }
    }

    /// Enter: a heading folds or unfolds; an item opens in the detail; a timeline entry, or
    /// the dashboard's selected "not reviewed" item, jumps to its item.
    mutating func open() {
        switch screen {
        case .timeline:
            guard timeline.indices.contains(timelineIndex) else { return }
            reveal(timeline[timelineIndex].change.recommendationId)
            screen = isWide ? .list : .detail
        case .list, .detail:
            if selectedGroup != nil { toggleGroupOfSelection() } else if selectedId != nil { screen = .detail }
        case .dashboard:
            guard let item = focusedItem else {
                screen = .list
                return
            }
            reveal(item.id)
            screen = isWide ? .list : .detail
        }
    }

    /// `l` on the list or the detail: a picker of the selected item's links both ways.
    mutating func pickLink() {
        guard screen == .list || screen == .detail, let item = selectedItem else { return }
        let entries = links.entries(of: item, in: tracker.items)
        guard !entries.isEmpty else {
            message = StatusMessage("\(item.id) has no links")
            return
        }
        openPicker(.followLink(ids: entries.map(\.id)), title: "Links of \(item.id)", options: entries.map { "\($0.label) \($0.id)" })
    }

    /// Selects the linked item `id` (clearing filters that hide it); the screen stays, so the
    /// detail shows the item reached.
    mutating func follow(link id: String) {
        guard tracker.items[id] != nil else {
            message = StatusMessage("\(id) is not in the tracker", isError: true)
            return
        }
        reveal(id)
    }

    /// Esc: closes help, leaves the detail, dashboard or timeline for the list, or clears
    /// the search highlight on the list.
    mutating func back() {
        if showsHelp { showsHelp = false; return }
        if screen == .list {
            lastSearch = ""
            searchMatches = []
        }
        screen = .list
    }

    /// Folds or unfolds the category of the selection; the selection moves to the heading.
    mutating func toggleGroupOfSelection() {
        guard groupsByCategory else { return }
        guard let name = selectedGroup ?? selectedItem?.recommendation.category else { return }
        if collapsedGroups.contains(name) { collapsedGroups.remove(name) } else { collapsedGroups.insert(name) }
        selectedGroup = name
        rebuildRows()
        scrollToSelection()
    }

    mutating func openPicker(_ purpose: Picker.Purpose, title: String, options: [String], cursor: Int = 0) {
        mode = .picker(Picker(purpose: purpose, title: title, options: options, cursor: cursor))
    }

    // MARK: Search

    /// The query to highlight: the one being typed, else the last one.
    public var highlightedQuery: String {
        if case .search(let field, _) = mode { return field.text }
        return lastSearch
    }

    /// Rows of the items on the list matching `query` (id, title, summary, notes), in list order.
    mutating func matches(of query: String) -> [Int] {
        rowIndex.rows(of: searchIndex.items(matching: query))
    }

    /// What the status line says when `query` matches nothing; while the history is still
    /// being read, the search cannot see the items' text yet, and says so.
    func noMatchText(_ query: String) -> String {
        "No match for \u{201C}\(query)\u{201D}" + (historyIsLoading ? " (still reading the history: try again in a moment)" : "")
    }

    /// Moves to the next (or previous) match of the last search, wrapping around.
    mutating func jumpToMatch(forward: Bool) {
        searchMatches = matches(of: lastSearch)
        guard let first = searchMatches.first, let last = searchMatches.last else {
            message = StatusMessage(lastSearch.isEmpty ? "No search yet: press /" : noMatchText(lastSearch))
            return
        }
        let current = selectedId.flatMap(rowIndex.row(ofItem:)) ?? -1
        select(row: forward ? searchMatches.first { $0 > current } ?? first : searchMatches.last { $0 < current } ?? last)
    }

    // MARK: Data

    /// Takes new data from the files, keeping the selection on the same item.
    mutating func replaceData(_ newTracker: TrackerState, _ newHistory: [Change]) {
        tracker = newTracker
        appendedWhileLoading = []
        takeHistory(newHistory, HistoryViews(history: newHistory, items: Array(newTracker.items.values)), itemsChanged: true)
    }

    /// Takes the history and its views for the items already shown (read after the first frame).
    mutating func takeHistory(_ newHistory: [Change], _ views: HistoryViews, itemsChanged: Bool = false) {
        history = newHistory
        historyIsLoading = false
        refreshData(views, itemsChanged: itemsChanged)
        if !lastSearch.isEmpty { searchMatches = matches(of: lastSearch) }
        scrollToSelection()
    }

    /// Remembers what this session recorded (for undo) and says so.
    mutating func noteRecorded(_ changes: [Change]) {
        for change in changes {
            if case .revert(let target) = change.kind {
                sessionChanges.removeAll { $0 == target }
            } else {
                sessionChanges.append(change.changeId)
            }
            if change.kind.isAddition { reveal(change.recommendationId) }
            message = StatusMessage(said(change))
        }
    }

    /// What the status line says of a recorded change: "Saved: gsomia → stalled",
    /// "Saved: dtt reviewed, still partial", "Undone: gsomia (stalled reverted, now partial)".
    private func said(_ change: Change) -> String {
        let id = change.recommendationId
        switch change.kind {
        case .revert(let target): return "Undone: \(id) (\(describe(target)))"
        case .status(let status): return "Saved: \(id) → \(status.rawValue)"
        case .watch(let watched): return "Saved: \(id) " + (watched ? "watched" : "unwatched")
        case .review: return "Saved: \(id) reviewed" + (tracker.items[id].map { ", still \($0.status.rawValue)" } ?? "")
        case .add: return "Saved: \(id) added"
        case .edit(let fields, _): return "Saved: \(id) edited (\(fields.fieldNames.joined(separator: ", ")))"
        case .vocabulary(let edit): return "Saved: " + edit.summary
        }
    }

    private func describe(_ changeId: String) -> String {
        guard let change = history.first(where: { $0.changeId == changeId }) else { return changeId }
        if let status = change.status, let item = tracker.items[change.recommendationId] {
            return "\(status.rawValue) reverted, now \(item.status.rawValue)"
        }
        return "\(change.kind.name) reverted"
    }
}
