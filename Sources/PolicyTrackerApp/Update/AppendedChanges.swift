import PolicyTrackerCore

/// Changes appended to the log since the browser read it — its own saves and other
/// processes' — taken in without reading the tracker again: the items they are about, their
/// histories and what derives from them, the rest kept.
extension AppState {
    /// Takes in `changes` this browser recorded; `items` are the items they are about as the
    /// store left them after the write.
    mutating func takeRecorded(_ changes: [Change], items: [ItemChange]) {
        let before = items.map { ($0.id, $0.before) }
        for item in items { tracker.items[item.id] = item.after }
        let dictionary = Dictionary(before) { first, _ in first }
        takeAppended(changes, before: dictionary, about: Set(dictionary.keys))
    }

    /// Applies `changes`, appended to the log by another process, as a replay applies them
    /// (``Replay/applyIfSound(_:to:recent:alsoKnown:)``); false,
    /// having changed nothing, when only a whole read can tell what they do (a revert of a
    /// change before them, a rule broken).
    mutating func applyAppended(_ changes: [Change]) -> Bool {
        let before = Dictionary(changes.map { ($0.recommendationId, tracker.items[$0.recommendationId]) }) { first, _ in first }
        var noWindow: RecentTransitions?
        guard Replay.applyIfSound(changes, to: &tracker, recent: &noWindow) else { return false }
        takeAppended(changes, before: before, about: Set(before.keys))
        return true
    }

    /// Brings what derives from the data up to date once `changes` were appended to the log,
    /// the items `ids` they are about already changed in ``tracker``: each of those items'
    /// changes, notes, forks, transitions and search text, derived from its own history; the
    /// list's keys; the dashboard, changed for those items alone when `before` says what they
    /// were, else counted again.
    /// While the history is still being read, the changes wait in ``appendedWhileLoading``
    /// and only the list and the dashboard's counts follow.
    private mutating func takeAppended(_ changes: [Change], before: [String: Item?]?, about ids: Set<String>) {
        let itemsAddedOrGone = ids.contains { listIndex.numbers[$0] == nil || tracker.items[$0] == nil }
        if historyIsLoading {
            appendedWhileLoading += changes
            listIndex = itemsAddedOrGone ? ListIndex(tracker.items) : listIndex.updating(ids, from: tracker.items) ?? ListIndex(tracker.items)
            refreshData(historyViews, itemsChanged: false)
            scrollToSelection()
            return
        }
        let atNewest = timelineIsAtNewest
        let earlier = ids.map { historyViews.transitions(of: $0, in: history) }
        historyViews.note(changes, at: history.count)
        history += changes
        if itemsAddedOrGone {
            refreshData(HistoryViews(history: history, items: Array(tracker.items.values)), timelineWasAtNewest: atNewest)
        } else {
            // Changed in place: a copy of the views would copy every item's changes.
            var later: [Transition] = []
            for id in ids {
                let own = historyViews.changes(of: id, in: history)
                historyViews.takeHistory(of: id, own, recommendation: tracker.items[id]!.recommendation, number: Int(listIndex.numbers[id]!))
                later += Timeline.transitions(own)
            }
            historyViews.timeline.splice(replacing: earlier.flatMap { $0 }, with: later)
            if let updated = listIndex.updating(ids, from: tracker.items) { listIndex = updated } else { listIndex = ListIndex(tracker.items) }
            if changes.contains(where: { Replay.linksSet(by: $0) != nil }) { links = LinkIndex(tracker.items) }
            if let before {
                refreshData(changing: before, timelineWasAtNewest: atNewest)
            } else {
                refreshData(historyViews, itemsChanged: false, timelineWasAtNewest: atNewest)
            }
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
        // The dashboard already counts what they did (see ``takeAppended(_:before:)``).
        if !waiting.isEmpty { takeAppended(waiting, before: nil, about: Set(waiting.map(\.recommendationId))) }
    }
}

extension HistoryViews {
    /// Notes where `changes`, appended to `history` at `start`, are.
    mutating func note(_ changes: [Change], at start: Int) {
        for (offset, change) in changes.enumerated() { positions[change.recommendationId, default: []].append(start + offset) }
    }

    /// The changes of the item `id` in `history`, in log order.
    func changes(of id: String, in history: [Change]) -> [Change] {
        (positions[id] ?? []).map { history[$0] }
    }

    /// The transitions of the item `id` that `history` gives.
    func transitions(of id: String, in history: [Change]) -> [Transition] {
        Timeline.transitions(changes(of: id, in: history))
    }

    /// The views of the item `id` derived again from `changes`, its own history in log order,
    /// with its search text from `recommendation` and those notes (numbered `number`).
    mutating func takeHistory(of id: String, _ changes: [Change], recommendation: Recommendation, number: Int) {
        changesByItem[id] = changes.sorted { $0.precedence > $1.precedence }
        notes[id] = changes.notesByItem()[id]
        forks[id] = Forks.unresolved(in: changes)[id]
        search.replace(number, fields: SearchIndex.fields(of: recommendation, notes: notes))
    }
}

extension [Transition] {
    /// This timeline (in order of precedence) with the transitions `old` replaced by `new`:
    /// those of some items derived again. Each transition is found by binary search on its
    /// precedence; one whose change stays is changed in place, so only the transitions that
    /// come or go move the rest.
    mutating func splice(replacing old: [Transition], with new: [Transition]) {
        let staying = Set(new.map(\.change.changeId))
        for transition in old where !staying.contains(transition.change.changeId) {
            if let index = position(of: transition.change) { remove(at: index) }
        }
        let existing = Set(old.map(\.change.changeId))
        for transition in new {
            if existing.contains(transition.change.changeId), let index = position(of: transition.change) {
                self[index] = transition
            } else {
                insert(transition, at: partitioningIndex { $0.change.precedence > transition.change.precedence })
            }
        }
    }

    /// Where the transition of `change` is.
    private func position(of change: Change) -> Int? {
        let precedence = change.precedence
        let index = partitioningIndex { $0.change.precedence >= precedence }
        return index < count && self[index].change.changeId == change.changeId ? index : nil
    }
}
