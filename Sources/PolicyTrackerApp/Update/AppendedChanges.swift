import PolicyTrackerCore

/// Changes appended to the log since the browser read it — its own saves and other
/// processes' — taken in without reading the tracker again: the items they are about, their
/// histories and what derives from them, the rest kept.
extension AppState {
    /// Takes in `changes` this browser recorded; `items` are the items they are about as the
    /// store left them after the write.
    mutating func takeRecorded(_ changes: [Change], items: [ItemChange]) {
        for item in items { tracker.items[item.id] = item.after }
        takeAppended(changes, about: Set(items.map(\.id)))
    }

    /// Applies `changes`, appended to the log by another process, as a replay applies them
    /// (``Replay/applyIfSound(_:to:recent:alsoKnown:)``); false,
    /// having changed nothing, when only a whole read can tell what they do (a revert of a
    /// change before them, a rule broken).
    mutating func applyAppended(_ changes: [Change]) -> Bool {
        var noWindow: RecentTransitions?
        guard Replay.applyIfSound(changes, to: &tracker, recent: &noWindow) else { return false }
        takeAppended(changes, about: Set(changes.map(\.recommendationId)))
        return true
    }

    /// Brings what derives from the data up to date once `changes` were appended to the log,
    /// the items `ids` they are about already changed in ``tracker``: each of those items'
    /// changes, notes, forks, transitions and search text, derived from its own history;
    /// the list's keys; the dashboard.
    /// While the history is still being read, the changes wait in ``appendedWhileLoading``
    /// and only the list and the dashboard's counts follow.
    private mutating func takeAppended(_ changes: [Change], about ids: Set<String>) {
        let itemsAddedOrGone = ids.contains { listIndex.numbers[$0] == nil || tracker.items[$0] == nil }
        if historyIsLoading {
            appendedWhileLoading += changes
            listIndex = itemsAddedOrGone ? ListIndex(tracker.items) : listIndex.updating(ids, from: tracker.items) ?? ListIndex(tracker.items)
            refreshData(historyViews, itemsChanged: false)
            scrollToSelection()
            return
        }
        history += changes
        if itemsAddedOrGone {
            refreshData(HistoryViews(history: history, items: Array(tracker.items.values)))
        } else {
            // Changed in place: a copy of the views would copy every item's changes.
            let own = Dictionary(grouping: history.lazy.filter { ids.contains($0.recommendationId) }, by: \.recommendationId)
            for id in ids {
                historyViews.takeHistory(of: id, own[id] ?? [], recommendation: tracker.items[id]!.recommendation, number: Int(listIndex.numbers[id]!))
            }
            if let later = laterTransitions(changes, own) {
                historyViews.timeline += later
            } else {
                historyViews.timeline = Self.timeline(historyViews.timeline, replacingTransitionsOf: ids, with: own)
            }
            if let updated = listIndex.updating(ids, from: tracker.items) { listIndex = updated } else { listIndex = ListIndex(tracker.items) }
            if changes.contains(where: { Replay.linksSet(by: $0) != nil }) { links = LinkIndex(tracker.items) }
            refreshData(historyViews, itemsChanged: false)
        }
        if !lastSearch.isEmpty { searchMatches = matches(of: lastSearch) }
        scrollToSelection()
    }

    /// Takes the history read in the background, with `views` derived from it, then the
    /// changes appended since it was read.
    mutating func takeLoadedHistory(_ loaded: [Change], _ views: HistoryViews) {
        takeHistory(loaded, views)
        let waiting = appendedWhileLoading
        appendedWhileLoading = []
        if !waiting.isEmpty { takeAppended(waiting, about: Set(waiting.map(\.recommendationId))) }
    }

    /// The transitions `changes` add at the end of the timeline, when they only extend it:
    /// no revert among them, and their status changes are the latest of their items and come
    /// after every transition the timeline holds (marks made today, say); nil otherwise.
    /// `own` are the histories of the items they are about.
    private func laterTransitions(_ changes: [Change], _ own: [String: [Change]]) -> [Transition]? {
        guard !changes.contains(where: \.kind.isRevert) else { return nil }
        let added = changes.filter { $0.status != nil }.sorted { $0.precedence < $1.precedence }
        guard let first = added.first else { return [] }
        if let last = timeline.last, !(last.change.precedence < first.precedence) { return nil }
        var later: [Transition] = []
        for (id, ofItem) in Dictionary(grouping: added, by: \.recommendationId) {
            // The item's own transitions end with these when they are its latest.
            let fresh = Timeline.transitions(own[id] ?? []).suffix(ofItem.count)
            guard fresh.map(\.change.changeId) == ofItem.map(\.changeId) else { return nil }
            later += fresh
        }
        return later.sorted { $0.change.precedence < $1.change.precedence }
    }

    /// `timeline` with the transitions of the items `ids` derived again from their own
    /// histories `own`, merged in order of precedence.
    private static func timeline(_ timeline: [Transition], replacingTransitionsOf ids: Set<String>, with own: [String: [Change]]) -> [Transition] {
        let fresh = ids.flatMap { Timeline.transitions(own[$0] ?? []) }.sorted { $0.change.precedence < $1.change.precedence }
        let kept = timeline.filter { !ids.contains($0.change.recommendationId) }
        var merged: [Transition] = []
        merged.reserveCapacity(kept.count + fresh.count)
        var next = fresh.startIndex
        for transition in kept {
            while next < fresh.endIndex, fresh[next].change.precedence < transition.change.precedence {
                merged.append(fresh[next])
                next += 1
            }
            merged.append(transition)
        }
        merged += fresh[next...]
        return merged
    }
}

extension HistoryViews {
    /// The views of the item `id` derived again from `changes`, its own history in log order,
    /// with its search text from `recommendation` and those notes (numbered `number`).
    mutating func takeHistory(of id: String, _ changes: [Change], recommendation: Recommendation, number: Int) {
        changesByItem[id] = changes.sorted { $0.precedence > $1.precedence }
        notes[id] = changes.notesByItem()[id]
        forks[id] = Forks.unresolved(in: changes)[id]
        search.replace(number, fields: SearchIndex.fields(of: recommendation, notes: notes))
    }
}
