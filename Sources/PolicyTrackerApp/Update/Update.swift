import PolicyTrackerCore

/// The browser's logic: `update(&state, message)` changes the state and returns the work
/// the runtime must do. Pure: no files, no terminal, no clock.
public enum Update {
    public static func update(_ state: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .input(.resize(let size)):
            state.size = size
            state.scrollToSelection()
            state.scrollTimelineToSelection()
            return []
        case .input(.key(.control("c"))):
            return state.requestQuit()
        case .input(.key(let key)):
            return handleKey(key, in: &state)
        case .input(.mouse(let mouse)):
            handleMouse(mouse, in: &state)
            return []
        case let .reloaded(tracker, history, external):
            state.replaceData(tracker, history)
            state.noteReloaded(external: external)
            return []
        case let .historyLoaded(history, views):
            state.takeLoadedHistory(history, views)
            return []
        case let .recorded(changes, items):
            if let items { state.takeRecorded(changes, items: items) }
            state.noteRecorded(changes)
            return []
        case .appended(let changes):
            guard state.applyAppended(changes) else { return [.reload] }
            state.noteReloaded(external: true)
            return []
        case .failed(let text):
            state.message = StatusMessage(text, isError: true)
            return []
        case .notice(let text):
            state.message = StatusMessage([state.message?.text, text].compactMap { $0 }.joined(separator: " · "), isError: true)
            return []
        case let .notSaved(effect, reason):
            state.keepUnsaved(effect, reason: reason)
            return []
        case let .noteEdited(form, note):
            guard let note else {
                state.message = StatusMessage("Cancelled: the note was empty, nothing recorded")
                return []
            }
            var form = form
            form.focus = form.fields.firstIndex { $0.name == .note }!
            form.fields[form.focus].field.text = note
            return FormKeys.save(form, in: &state)
        }
    }

    static func handleKey(_ key: Key, in state: inout AppState) -> [Effect] {
        switch state.mode {
        case .browse:
            if case .paste = key { return [] }
            if state.showsHelp, let action = Keymap.action(for: key), action.scrolls {
                return perform(action, in: &state)
            }
            if state.showsHelp, key != .character("?") {
                state.showsHelp = false
                return key == .character("q") || key == .escape ? [] : handleKey(key, in: &state)
            }
            guard let action = Keymap.action(for: key) else { return [] }
            return perform(action, in: &state)
        case .search(let field, let origin):
            return Prompts.search(key, field: field, origin: origin, in: &state)
        case .picker(let picker):
            return Prompts.pick(key, picker: picker, in: &state)
        case .form(let form):
            return FormKeys.handle(key, form: form, in: &state)
        }
    }

    // MARK: Actions

    static func perform(_ action: Action, in state: inout AppState) -> [Effect] {
        state.message = nil
        if action != .quit, action != .forceQuit { state.quitIsConfirmed = false }
        switch action {
        case .moveDown: state.move(by: 1)
        case .moveUp: state.move(by: -1)
        case .pageDown: state.move(by: state.pageSize)
        case .pageUp: state.move(by: -state.pageSize)
        case .top: state.move(by: -Int.max / 2)
        case .bottom: state.move(by: Int.max / 2)
        case .open: state.open()
        case .back: state.back()
        case .followLink: state.pickLink()
        case .quit:
            if state.screen == .list || (state.screen == .detail && state.isWide) { return state.requestQuit() }
            state.back()
        case .forceQuit:
            return state.requestQuit()
        case .search: state.mode = .search(field: TextField(), origin: state.selectedId)
        case .nextMatch: state.jumpToMatch(forward: true)
        case .previousMatch: state.jumpToMatch(forward: false)
        case .filterStatus:
            state.openPicker(.filterStatus, title: "Filter by status", options: ["any"] + Status.names)
        case .filterCategory:
            let categories = Set(state.tracker.items.values.map(\.recommendation.category)).sorted()
            state.openPicker(.filterCategory, title: "Filter by category", options: ["any"] + categories)
        case .filterActor:
            let actors = state.tracker.vocabulary.actors.map(\.id)
            state.openPicker(.filterActor, title: "Filter by actor", options: ["any"] + actors)
        case .filterCatalog:
            state.openPicker(.filterCatalog, title: "Filter by catalog", options: ["any"] + state.tracker.catalogs.map(\.id).sorted())
        case .toggleWatchedOnly:
            state.filter.watchedOnly.toggle()
            state.rebuildRows()
        case .toggleNewOnly: state.toggleNewOnly()
        case .clearFilters:
            state.filter = ItemFilter()
            state.news.only = false
            state.lastSearch = ""
            state.searchMatches = []
            state.rebuildRows()
        case .cycleSort:
            let orders = SortOrder.allCases
            state.sort = orders[(orders.firstIndex(of: state.sort)! + 1) % orders.count]
            state.rebuildRows()
            state.message = StatusMessage("Sorted by \(state.sort.label)")
        case .toggleGrouping:
            state.groupsByCategory.toggle()
            state.rebuildRows()
        case .toggleGroup: state.toggleGroupOfSelection()
        case .markImplemented:
            if let item = state.focusedItem { state.mode = .form(.mark(item, status: .implemented, today: state.today)) }
        case .review:
            if let item = state.focusedItem { state.mode = .form(.review(item, today: state.today)) }
        case .add:
            let catalogs = state.tracker.catalogs.map(\.id)
            let catalog = state.filter.catalog ?? state.tracker.defaultCatalog
            state.mode = .form(.add(catalogs: catalogs, catalog: catalog, vocabulary: state.tracker.vocabulary(of: catalog ?? "")))
        case .edit:
            if let item = state.focusedItem {
                state.mode = .form(.edit(item, vocabulary: state.tracker.vocabulary(of: item.recommendation.catalog)))
            }
        case .pickStatus: openStatusPicker(noteInEditor: false, in: &state)
        case .markInEditor: openStatusPicker(noteInEditor: true, in: &state)
        case .toggleWatch:
            if let item = state.focusedItem { return [.setWatched(itemId: item.id, watched: !item.recommendation.watched)] }
        case .undo:
            guard let last = state.sessionChanges.last else {
                state.message = StatusMessage("Nothing to undo: this session has recorded no change")
                return []
            }
            return [.undo(changeId: last)]
        case .nextScreen:
            let screens = Screen.allCases
            state.screen = screens[(screens.firstIndex(of: state.screen)! + 1) % screens.count]
        case .showScreen(let screen): state.screen = screen
        case .reload: return [.reload]
        case .saveAgain: return state.takeUnsaved()
        case .openSource: return state.openSource()
        case .copy: state.pickCopy()
        case .help:
            state.showsHelp.toggle()
            state.helpOffset = 0
        }
        state.scrollToSelection()
        return []
    }

    /// The statuses to mark the focused item with, the cursor on its current one; the
    /// change form follows, or the editor.
    private static func openStatusPicker(noteInEditor: Bool, in state: inout AppState) {
        guard let item = state.focusedItem else { return }
        let title = noteInEditor ? "Mark \(item.id), note in the editor" : "Mark \(item.id)"
        state.openPicker(.markStatus(itemId: item.id, noteInEditor: noteInEditor), title: title, options: Status.names,
                         cursor: Status.allCases.firstIndex(of: item.status) ?? 0)
    }

    // MARK: Mouse

    static func handleMouse(_ mouse: MouseEvent, in state: inout AppState) {
        let layout = Layout(size: state.size)
        switch mouse.kind {
        case .wheelUp: state.move(by: -3)
        case .wheelDown: state.move(by: 3)
        case .press:
            guard state.mode == .browse, !state.showsHelp else { return }
            if state.screen == .list || (state.screen == .detail && layout.isWide), layout.listBody.contains(x: mouse.x, y: mouse.y) {
                let row = state.listOffset + mouse.y - layout.listBody.y
                if row < state.rows.count { state.select(row: row) }
            } else if state.screen == .timeline, layout.timelineBody.contains(x: mouse.x, y: mouse.y) {
                let index = state.timelineOffset + mouse.y - layout.timelineBody.y
                if index < state.timeline.count { state.timelineIndex = index }
            }
        }
    }
}
