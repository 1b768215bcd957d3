import PolicyTrackerCore

extension AppState {
    /// How many recent changes the dashboard lists.
    static let dashboardRecent = 10

    /// Recomputes everything derived from the tracker and history (`views` already derived
    /// from the history): done on load, never per frame. `itemsChanged` false keeps the list
    /// index, for a history that arrives after the items it belongs to.
    /// `timelineWasAtNewest` says where the timeline's selection was when the views were
    /// changed in place before the call.
    mutating func refreshData(_ views: HistoryViews, itemsChanged: Bool = true, timelineWasAtNewest: Bool? = nil) {
        let wasAtNewest = timelineWasAtNewest ?? timelineIsAtNewest
        historyViews = views
        // Every item is shown, so the report needs only the latest transitions up to today;
        // it orders what it lists itself, so the items need no sort.
        report = StatusReport(
            items: Array(tracker.items.values), catalogs: tracker.catalogs, transitions: dashboardTransitions, asOf: today,
            generated: Timestamp(today.text + "T00:00:00Z") ?? report.generated, recentLimit: Self.dashboardRecent)
        keepTimelineSelection(atNewest: wasAtNewest)
        if itemsChanged {
            listIndex = ListIndex(tracker.items)
            links = LinkIndex(tracker.items)
        }
        let items = tracker.items
        report.listStale(listIndex.ids.lazy.compactMap { items[$0] }, staleDays: staleDays)
        rebuildRows()
    }

    /// ``refreshData(_:itemsChanged:)`` after the items `before` (as they were) changed in
    /// ``tracker`` and the views were brought up to date: the dashboard's counts and lists
    /// changed for those items alone, which gives the same report as counting every item.
    mutating func refreshData(changing before: [String: Item?], timelineWasAtNewest: Bool) {
        let numbers = listIndex.numbers
        report.update(
            replacing: before.values.compactMap { $0 }, with: before.keys.compactMap { tracker.items[$0] },
            staleOrder: { Int(numbers[$0] ?? -1) })
        report.recent = Array(dashboardTransitions.reversed())
        keepTimelineSelection(atNewest: timelineWasAtNewest)
        rebuildRows()
    }

    /// True while the timeline's selection is on its newest entry (or it has none): the
    /// timeline opens there, and stays there as changes arrive.
    var timelineIsAtNewest: Bool { timelineIndex >= timeline.count - 1 }

    /// The timeline's selection after its entries changed: on the newest entry when it was
    /// there, else where it was, within the entries.
    private mutating func keepTimelineSelection(atNewest: Bool) {
        timelineIndex = atNewest ? max(0, timeline.count - 1) : min(timelineIndex, max(0, timeline.count - 1))
        scrollTimelineToSelection()
    }

    /// The dashboard's latest transitions up to today, oldest first. Transitions are ordered
    /// by the date they happened, so those up to today are a prefix with the same "from"
    /// statuses: the dashboard reuses the timeline instead of a second pass.
    private var dashboardTransitions: [Transition] {
        let upToToday = timeline.partitioningIndex { !$0.change.happened.isOnOrBefore(today) }
        return Array(timeline[max(0, upToToday - Self.dashboardRecent)..<upToToday])
    }

    /// Recomputes the list's rows after a change of data, filter, sort or grouping, keeping
    /// the selection on the same item when it is still shown (else the nearest row).
    mutating func rebuildRows() {
        let previousIndex = selectedRow ?? 0
        // One sort, in the list's order (ItemFilter.apply would sort by id first).
        let searchNotes = filter.search == nil ? [:] : notes
        let order = listIndex.order(sort, items: tracker.items)
        let filtered = listIndex.kept(order, by: filter) ?? order.filter { position in
            let id = listIndex.ids[Int(position)]
            return filter.matches(tracker.items[id]!, notes: searchNotes[id] ?? [])
        }
        let kept = news.only ? filtered.filter { news.items.contains(listIndex.ids[Int($0)]) } : filtered
        if groupsByCategory {
            let groups = Dictionary(grouping: kept) { listIndex.category(at: $0) }
            rows = groups.sorted { $0.key < $1.key }.flatMap { name, members in
                let collapsed = collapsedGroups.contains(name)
                return [Row.group(name: name, count: members.count, collapsed: collapsed)]
                    + (collapsed ? [] : members.map { Row.item(id: listIndex.ids[Int($0)]) })
            }
        } else {
            rows = kept.map { Row.item(id: listIndex.ids[Int($0)]) }
        }
        // Numbered as the list index and the search index number items: in id order.
        rowIndex = RowIndex(rows: rows, numbers: listIndex.numbers, count: listIndex.ids.count)
        if let selectedId, rowIndex.row(ofItem: selectedId) != nil { return }
        if let selectedGroup, rowIndex.row(ofGroup: selectedGroup) != nil { return }
        selectedGroup = nil
        guard !rows.isEmpty else { selectedId = nil; return }
        let nearest = rows[min(previousIndex, rows.count - 1)...].first { $0.itemId != nil } ?? rows.last { $0.itemId != nil }
        selectedId = nearest?.itemId
    }

    /// The row index of the selection (an item, or a heading).
    public var selectedRow: Int? {
        if let selectedGroup { return rowIndex.row(ofGroup: selectedGroup) }
        return selectedId.flatMap(rowIndex.row(ofItem:))
    }

    /// Rows of the list pane on screen.
    var listPageSize: Int { max(1, Layout(size: size).listBody.height) }

    /// Keeps the selected row inside the visible window.
    mutating func scrollToSelection() {
        guard let row = selectedRow else { listOffset = 0; return }
        if row < listOffset { listOffset = row }
        if row >= listOffset + listPageSize { listOffset = row - listPageSize + 1 }
        listOffset = max(0, min(listOffset, max(0, rows.count - listPageSize)))
    }
}
