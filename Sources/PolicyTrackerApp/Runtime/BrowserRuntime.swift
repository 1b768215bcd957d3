import Foundation
import PolicyTrackerCore

/// Runs the browser: turns terminal events into messages, lets ``Update`` decide, performs
/// the effects it asks for through the store, and draws ``View``'s buffer. The only place
/// where the browser's logic meets files and the clock.
public final class BrowserRuntime {
    private let store: TrackerStore
    private let backend: TerminalBackend
    private let now: () -> Timestamp
    /// Who records the changes the browser makes.
    private let author: String?
    /// Where the changes the browser showed are remembered; nil remembers nothing.
    private let seen: SeenFile?
    /// Set once what is new since the last look was shown (when the history is there).
    private var lookedAt = false
    public private(set) var state: AppState
    /// How often the files are checked for changes by other processes.
    private let pollInterval: TimeInterval = 0.25
    private var knownFiles: [FileSystem.Fingerprint?] = []
    /// Where the data the browser holds ends in the log: lines appended after it are read
    /// and applied alone.
    private var mark: LogMark
    private var lastPoll = Date.distantPast
    /// A log larger than this is read after the first frame, on another thread.
    static let backgroundHistoryBytes = 1 << 20
    /// The history being read in the background, if any; dropped when newer data arrives.
    private var pendingHistory: PendingHistory?
    /// What the store had to say while the terminal is ours (standard error would scribble
    /// over the screen), shown on the status line.
    private var notices: [String] = []

    /// Loads the tracker and prepares the first frame; `message` (a warning) opens the status
    /// line; the dashboard lists the items not reviewed in `staleDays` days; the list starts
    /// filtered to `catalog` (an id or unique prefix) when it names one; the changes it
    /// records carry `author`; what is new since the changes `seen` remembers is marked, and
    /// what the browser shows is remembered there.
    public init(
        store: TrackerStore, backend: TerminalBackend, message: String?, staleDays: Int = 180, catalog: String? = nil,
        author: String? = nil, seen: SeenFile? = nil, now: @escaping () -> Timestamp
    ) throws(TrackerError) {
        self.store = store
        self.backend = backend
        self.now = now
        self.author = author
        self.seen = seen
        var notices: [String] = []
        store.onNotice = { notices.append($0) }
        knownFiles = store.fingerprints()
        let model = try store.readModel()
        let tracker = model.state
        mark = model.mark
        let deferred = mark.end > Self.backgroundHistoryBytes
        state = AppState(
            tracker: tracker, history: deferred ? [] : try store.history(upTo: mark), historyIsLoading: deferred,
            dataDirectory: store.directory, size: backend.size, today: now().day, staleDays: staleDays)
        var warnings = [message].compactMap { $0 } + notices
        if let catalog {
            do {
                state.filter.catalog = try Lookup.resolve(catalog, among: tracker.catalogs.map(\.id), noun: "catalog")
                state.rebuildRows()
            } catch {
                warnings.append(error.description)
            }
        }
        do {
            state.checkSilences = try store.silences()
        } catch {
            warnings.append(error.description)
        }
        state.sourceTexts = store.sourceTexts().mapValues(QuoteMatch.Text.init)
        let agenda = Self.newerAgendaNotice(tracker.catalogs)
        state.message = warnings.isEmpty ? agenda.map { StatusMessage($0) }
            : StatusMessage((warnings + [agenda].compactMap { $0 }).joined(separator: " · "), isError: true)
        store.onNotice = { [unowned self] in self.notices.append($0) }
    }

    /// What the status line says at start when the tracker was made from an earlier edition
    /// of the bundled agenda than this ptrack carries; nil otherwise.
    static func newerAgendaNotice(_ catalogs: [Catalog]) -> String? {
        guard let bundled = try? BundledAgenda.catalog(), AgendaUpdate.isAvailable(for: catalogs, bundled: bundled.catalogs) else {
            return nil
        }
        return "A newer edition of the bundled agenda is available: run `ptrack agenda update`"
    }

    /// Runs until the user quits or SIGTERM, SIGHUP or SIGINT arrives.
    public func run() {
        backend.present(View.render(state))
        if state.historyIsLoading {
            pendingHistory = PendingHistory(directory: store.directory, mark: mark, items: Array(state.tracker.items.values))
        }
        if lookAtNews() { backend.present(View.render(state)) }
        while !state.quitting, !backend.terminationRequested {
            var changed = receiveHistory()
            changed = lookAtNews() || changed
            if let event = backend.nextEvent(timeoutMilliseconds: 100) {
                dispatch(.input(event))
                changed = true
            }
            if Date().timeIntervalSince(lastPoll) >= pollInterval {
                lastPoll = Date()
                changed = pollFiles() || changed
            }
            if changed, !state.quitting { backend.present(View.render(state)) }
        }
        rememberSeen()
    }

    // MARK: New since the last look

    /// Once the history is there: marks what is new since the last look and remembers every
    /// change as seen, since the browser now shows them. True when it did (the frame changed).
    private func lookAtNews() -> Bool {
        guard let seen, !lookedAt, !state.historyIsLoading else { return false }
        lookedAt = true
        do throws(TrackerError) {
            state.showNew(SeenChanges.new(in: state.history, seen: try seen.read(), reader: author))
        } catch {
            dispatch(.notice("ignored what was seen before: \(error.description)"))
        }
        rememberSeen()
        return true
    }

    /// Remembers every change the browser holds as seen: it has shown them, or shows them
    /// as they arrive. A failure goes to the status line while the browser runs.
    private func rememberSeen() {
        guard let seen, lookedAt else { return }
        do throws(TrackerError) {
            try seen.write(Set(state.history.lazy.map(\.changeId)))
        } catch {
            if !state.quitting { dispatch(.notice("could not remember what was seen: \(error.description)")) }
        }
    }

    /// Applies `message`, then performs the effects `update` returns (which may bring
    /// further messages).
    public func dispatch(_ message: Message) {
        var pending = [message]
        while !pending.isEmpty {
            let effects = Update.update(&state, pending.removeFirst())
            pending += effects.flatMap(perform)
            pending += notices.map(Message.notice)
            notices = []
        }
    }

    // MARK: Effects

    private func perform(_ effect: Effect) -> [Message] {
        do throws(TrackerError) {
            switch effect {
            case .record(let request):
                return try record { context, factory throws(TrackerError) in
                    try request.change(factory, item: { id throws(TrackerError) in try item(id, context) }, state: {
                        () throws(TrackerError) in try context.state()
                    }).map { [$0] } ?? []
                }
            case let .setWatched(itemId, watched):
                return try record { context, factory throws(TrackerError) in
                    factory.watch(try item(itemId, context), watched).map { [$0] } ?? []
                }
            case .undo(let changeId):
                return try record { context, factory throws(TrackerError) in
                    [try factory.undo(changeId, history: try context.history(forUndoOf: changeId)).revert]
                }
            case .editNote(let form):
                return editNote(form)
            case .openAddress(let address):
                return openAddress(address)
            case .copy(let text):
                backend.copyToClipboard(text)
                return []
            case .reload:
                return [reloaded(external: false)]
            case .quit:
                return []
            }
        } catch {
            // A change naming what no longer exists cannot be saved later either.
            if case .usage = error { return [.failed("Not saved: \(error.description)")] }
            return [.notSaved(effect, reason: error.description)]
        }
    }

    /// Runs the editor on the note's template with the terminal handed over; then the
    /// terminal's size, if it changed meanwhile, and the note written, or why there is none.
    private func editNote(_ form: Form) -> [Message] {
        let template = noteTemplate(form)
        let written = backend.suspend { Result { () throws(TrackerError) in try Editor.edit(template) } }
        let resized = resizedMeanwhile()
        switch written {
        case .success(let text): return resized + [.noteEdited(form, note: NoteTemplate.note(from: text))]
        case .failure(let error): return resized + [.failed(error.description)]
        }
    }

    /// The editor's starting text for the note of `form`: the note so far, then what the
    /// change is about as comments.
    private func noteTemplate(_ form: Form) -> String {
        switch form.purpose {
        case .mark(let id), .review(let id):
            if let item = state.tracker.items[id] {
                return NoteTemplate.text(for: item, status: Status(rawValue: form[.status]), note: form[.note])
            }
        case .add, .edit: break
        }
        return NoteTemplate.text(heading: form.title, detail: nil, note: form[.note])
    }

    /// Runs the web browser on `address` with the terminal handed over; then the terminal's
    /// size, if it changed meanwhile, and why the address could not be opened, if it could not.
    private func openAddress(_ address: String) -> [Message] {
        let opened = backend.suspend { Result { () throws(TrackerError) in try WebBrowser.open(address) } }
        guard case .failure(let error) = opened else { return resizedMeanwhile() }
        return resizedMeanwhile() + [.failed(error.description)]
    }

    /// The terminal's size as a message when it changed while a program had the terminal.
    private func resizedMeanwhile() -> [Message] {
        backend.size == state.size ? [] : [.input(.resize(backend.size))]
    }

    private func item(_ id: String, _ context: WriteContext) throws(TrackerError) -> Item {
        guard let item = try? context.item(id), item.id == id else { throw .usage("\(id) no longer exists") }
        return item
    }

    /// Records through the store (which re-reads the files under its lock, so a change made
    /// by another process meanwhile is kept) and returns the result as messages.
    private func record(
        _ make: (WriteContext, ChangeFactory) throws(TrackerError) -> [Change]
    ) throws(TrackerError) -> [Message] {
        let factory = ChangeFactory(now: now(), author: author)
        let result = try store.record { context throws(TrackerError) in try make(context, factory) }
        knownFiles = store.fingerprintsAfterRecord
        // The log past what the browser holds is its own save alone, unless another process
        // wrote meanwhile: then everything is read again.
        if let grown = try? store.appended(since: mark), grown.changes == result.changes {
            mark = grown.mark
            return [.recorded(changes: result.changes, items: result.items)]
        }
        return [reloaded(external: true), .recorded(changes: result.changes, items: nil)]
    }

    /// Reads the files again. Their fingerprints are taken first, so a change made while
    /// they are read shows at the next poll, and a file that cannot be read is tried again
    /// only once it changes.
    private func reloaded(external: Bool) -> Message {
        knownFiles = store.fingerprints()
        do throws(TrackerError) {
            let model = try store.readModel()
            let message = Message.reloaded(model.state, try store.history(upTo: model.mark), external: external)
            mark = model.mark
            pendingHistory = nil
            return message
        } catch {
            return .failed("Could not reload: \(error.description)")
        }
    }

    // MARK: Reading the history in the background

    /// Applies the history read in the background once it is there; true when it was.
    private func receiveHistory() -> Bool {
        guard let result = pendingHistory?.take() else { return false }
        pendingHistory = nil
        switch result {
        case .success(let (history, views)): dispatch(.historyLoaded(history, views))
        case .failure(let error): dispatch(.failed("Could not read the history: \(error.description)"))
        }
        return true
    }

    // MARK: Watching the files

    /// Takes in what another process changed: the lines it appended, when it only appended
    /// (and the history is read), else the files read again whole. True when anything changed.
    private func pollFiles() -> Bool {
        let files = store.fingerprints()
        guard files != knownFiles else { return false }
        if let grown = try? store.appended(since: mark) {
            knownFiles = files
            mark = grown.mark
            if !grown.changes.isEmpty { dispatch(.appended(grown.changes)) }
            return true
        }
        dispatch(reloaded(external: true))
        return true
    }
}

/// The history of a tracker and what derives from it, read and derived on a thread of its
/// own so the first frame need not wait and the keys are not held up after it.
private final class PendingHistory: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<([Change], HistoryViews), TrackerError>?

    init(directory: String, mark: LogMark, items: [Item]) {
        Thread.detachNewThread { [self] in
            let read = Result { () throws(TrackerError) in
                let history = try TrackerStore(directory: directory).history(upTo: mark)
                return (history, HistoryViews(history: history, items: items))
            }
            lock.withLock { result = read }
        }
    }

    /// The outcome, once the read has finished.
    func take() -> Result<([Change], HistoryViews), TrackerError>? {
        lock.withLock { result }
    }
}
