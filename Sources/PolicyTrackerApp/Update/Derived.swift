import PolicyTrackerCore

extension AppState {
    /// Recomputes everything derived from the tracker and history: done on load, never per frame.
    mutating func refreshData() {
        var byItem: [String: [Change]] = [:]
        for change in history { byItem[change.recommendationId, default: []].append(change) }
        changesByItem = byItem.mapValues { $0.sorted { $0.precedence > $1.precedence } }
        timeline = Timeline.transitions(history)
        notes = history.notesByItem()
        searchIndex = SearchIndex(items: Array(tracker.items.values), notes: notes)
        // Transitions are ordered by the date they happened, so those up to today are a prefix
        // with the same "from" statuses: the dashboard reuses the timeline instead of a second pass.
        report = StatusReport(
            items: tracker.sortedItems, catalogs: tracker.catalogs,
            transitions: Array(timeline.prefix { $0.change.happened.isOnOrBefore(today) }), asOf: today,
            generated: Timestamp(today.text + "T00:00:00Z") ?? report.generated)
        timelineIndex = min(timelineIndex, max(0, timeline.count - 1))
        rebuildRows()
    }

    /// Recomputes the list's rows after a change of data, filter, sort or grouping, keeping
    /// the selection on the same item when it is still shown (else the nearest row).
    mutating func rebuildRows() {
        let previousIndex = selectedRow ?? 0
        // One sort, in the list's order (ItemFilter.apply would sort by id first).
        let searchNotes = filter.search == nil ? [:] : notes
        let items = tracker.items.values.filter { filter.matches($0, notes: searchNotes[$0.id] ?? []) }
            .sorted(by: sort.areInIncreasingOrder)
        if groupsByCategory {
            rows = Dictionary(grouping: items, by: \.recommendation.category).sorted { $0.key < $1.key }.flatMap { name, members in
                let collapsed = collapsedGroups.contains(name)
                return [Row.group(name: name, count: members.count, collapsed: collapsed)]
                    + (collapsed ? [] : members.map { Row.item(id: $0.id) })
            }
        } else {
            rows = items.map { Row.item(id: $0.id) }
        }
        rowIndex = RowIndex(rows: rows, numbers: searchIndex.numbers, count: searchIndex.count)
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

extension SortOrder {
    /// Orders items; ties fall back to the id, so the order is total and stable.
    func areInIncreasingOrder(_ lhs: Item, _ rhs: Item) -> Bool {
        switch self {
        case .id: return lhs.id < rhs.id
        case .status: return (lhs.status, lhs.id) < (rhs.status, rhs.id)
        case .lastChange:
            let left = lhs.lastChange?.text ?? "", right = rhs.lastChange?.text ?? ""
            return left != right ? left > right : lhs.id < rhs.id
        case .category:
            return (lhs.recommendation.category, lhs.id) < (rhs.recommendation.category, rhs.id)
        }
    }
}
