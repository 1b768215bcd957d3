import Foundation
import PolicyTrackerApp
import PolicyTrackerCore

/// The rows of the browser's saves: its own, in-process and on screen, and another
/// process's mark on screen.
extension Operation {
    static let browserSave = "browser save: Enter on the note → \"Saved\" (in-process)"
    static let tmuxSave = "browser save: Enter on the note → \"Saved\" on screen (tmux)"
    static let tmuxExternalMark = "another process's mark → on screen (tmux)"

    static let browserSaves = [browserSave, tmuxSave, tmuxExternalMark]
}

/// A terminal for the browser's runtime that draws nothing and has no input of its own: the
/// benchmark dispatches the messages.
final class BenchTerminal: TerminalBackend {
    let size: Size
    var terminationRequested: Bool { false }

    init(size: Size) { self.size = size }

    func present(_ buffer: Buffer) {}
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent? { nil }
    func suspend<Value>(_ body: () -> Value) -> Value { body() }
    func copyToClipboard(_ text: String) {}
}

/// The browser running in a detached tmux session of a private tmux server, driven by keys.
final class TmuxSession {
    let tmux: String
    let clock: ContinuousClock
    private let base: [String]
    /// Mean time between two captures in the last wait: the granularity of the measurement.
    private(set) var lastPollInterval = 0.0

    init(tmux: String, command: String, width: Int, height: Int, clock: ContinuousClock) throws {
        self.tmux = tmux
        self.clock = clock
        base = ["-L", "ptrack-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", "-f", "/dev/null"]
        try Child.output([tmux] + base + ["new-session", "-d", "-s", "bench", "-x", "\(width)", "-y", "\(height)", command], clock: clock)
    }

    private var killed = false

    func kill() {
        guard !killed else { return }
        killed = true
        _ = try? Child.output([tmux] + base + ["kill-server"], clock: clock)
    }

    deinit { kill() }

    func capture() throws -> String {
        try Child.output([tmux] + base + ["capture-pane", "-p", "-t", "bench"], clock: clock)
    }

    /// Sends tmux key names ("x", "Enter", "j").
    func send(_ keys: String...) throws {
        try Child.output([tmux] + base + ["send-keys", "-t", "bench"] + keys, clock: clock)
    }

    /// Sends `text` as typed.
    func type(_ text: String) throws {
        try Child.output([tmux] + base + ["send-keys", "-t", "bench", "-l", text], clock: clock)
    }

    /// Captures the pane until `isDone` holds for it; the milliseconds from `start` to that
    /// capture. Captures follow each other back to back for the first 200 ms, then with a
    /// pause of 1 % of the time waited (at most 50 ms), so that a wait of seconds does not
    /// spend a core on tmux clients while the browser needs it.
    @discardableResult
    func waitUntil(from start: ContinuousClock.Instant? = nil, timeoutSeconds: Double, _ what: String, _ isDone: (String) -> Bool) throws -> Double {
        let start = start ?? clock.now
        let firstPoll = clock.now
        var polls = 0
        while true {
            let screen = try capture()
            polls += 1
            let now = clock.now
            if isDone(screen) {
                lastPollInterval = (now - firstPoll).ms / Double(polls)
                return (now - start).ms
            }
            let waited = (now - start).ms
            if waited / 1000 > timeoutSeconds {
                throw ProcessError(description: "\(what) did not happen within \(Int(timeoutSeconds)) s; the screen showed:\n\(screen)")
            }
            if waited > 200 { usleep(UInt32(min(waited * 0.01, 50) * 1000)) }
        }
    }
}

extension SizeSuite {
    // MARK: The browser's save

    /// The browser's runtime on the write copy, its history read: `x`, a note in the change
    /// form, then Enter,
    /// timed from the Enter (`Update` returns the mark's effect, the runtime records it
    /// through the store, checks the log grew by that line alone and takes it in) until the
    /// state says "Saved", then the frame drawn.
    func measureBrowserSave() {
        let operation = Operation.browserSave
        guard bench.wants(operation) else { return }
        do {
            let store = TrackerStore(directory: writeDirectory)
            let runtime = try BrowserRuntime(
                store: store, backend: BenchTerminal(size: Size(width: 100, height: 30)), message: nil, now: { Timestamp(Date()) })
            if runtime.state.historyIsLoading {
                // What the runtime's background thread does after the first frame.
                let history = try store.history()
                runtime.dispatch(.historyLoaded(history, HistoryViews(history: history, items: Array(runtime.state.tracker.items.values))))
            }
            guard !runtime.state.historyIsLoading else { throw ProcessError(description: "the runtime did not take the history") }
            bench.note(operation, "BrowserRuntime.dispatch of Enter in the change form: Update → Effect.record → TrackerStore.record → appended(since:) → .recorded → take-in; then View.render 100×30")
            bench.passes([operation], runs: cliffRuns) { record in
                // Untimed: the next item, x, the note typed.
                for key in ["j", "x"] + "ptrack-bench note".map(String.init) {
                    runtime.dispatch(.input(.key(.character(Character(key)))))
                }
                guard case .form = runtime.state.mode else { throw ProcessError(description: "x did not open the change form") }
                let start = bench.clock.now
                runtime.dispatch(.input(.key(.enter)))
                let saved = bench.clock.now
                let buffer = View.render(runtime.state)
                let end = bench.clock.now
                blackHole(buffer)
                guard let message = runtime.state.message?.text, message.hasPrefix("Saved:") else {
                    throw ProcessError(description: "the status line says \"\(runtime.state.message?.text ?? "")\", not \"Saved: …\"")
                }
                if record { bench.add(operation, ms: (end - start).ms, renderMs: (end - saved).ms) }
            }
            if let row = bench.row(operation), let render = Statistics.median(row.renderSamples) {
                bench.note(operation, "render \(Format.ms(render)) ms of it")
            }
        } catch {
            bench.fail(operation, error)
        }
    }
    // MARK: The browser in tmux: its own save, and another process's mark

    /// The browser on the write copy in a detached tmux session (200×50, so the detail shows
    /// beside the list), once its first frame is drawn and its history read: the save of a
    /// mark made with `x`, a note and Enter, timed from sending Enter until the pane shows
    /// "Saved:"; then, the list filtered to stalled items, `ptrack mark` run from outside on
    /// `externalId`, timed from its start until the pane shows the item come or go.
    func measureTmuxBrowser(externalId: String) {
        let wanted = [Operation.tmuxSave, Operation.tmuxExternalMark].filter(bench.wants)
        guard !wanted.isEmpty else { return }
        guard let (tmux, ptrack) = tmuxAndPtrack(orSkip: wanted) else { return }
        let timeout = tmuxTimeoutSeconds
        var current = Operation.tmuxSave
        do {
            if bench.wants(Operation.tmuxExternalMark) {
                // Untimed: the item another process marks is made not stalled first.
                _ = try runPtrack(["mark", externalId, "implemented", "--note", "ptrack-bench: before the browser starts", "--data", writeDirectory])
            }
            let command = "exec env TERM=xterm-256color \(shellQuoted(ptrack)) --data \(shellQuoted(writeDirectory))"
            let session = try TmuxSession(tmux: tmux, command: command, width: 200, height: 50, clock: bench.clock)
            defer { session.kill() }
            try session.waitUntil(timeoutSeconds: timeout, "the first frame with the history read") {
                $0.contains("shown") && !$0.contains("reading the history")
            }

            if bench.wants(Operation.tmuxSave) {
                var intervals: [Double] = []
                for run in 0..<min(tmuxRuns, cliffRuns) {
                    try session.send("j")
                    try session.waitUntil(timeoutSeconds: timeout, "the status line back") { !$0.contains("Saved:") && $0.contains("shown") }
                    try session.send("x")
                    try session.waitUntil(timeoutSeconds: timeout, "the change form") { $0.contains("Enter saves") }
                    let note = "ptrack-bench tmux save \(run) \(UInt32.random(in: 0...UInt32.max))"
                    try session.type(note)
                    try session.waitUntil(timeoutSeconds: timeout, "the note typed") { $0.contains(note) }
                    let start = bench.clock.now
                    try session.send("Enter")
                    let ms = try session.waitUntil(from: start, timeoutSeconds: timeout, "\"Saved:\" on screen") { $0.contains("Saved:") }
                    intervals.append(session.lastPollInterval)
                    bench.add(Operation.tmuxSave, ms: ms)
                    if ms / 1000 > bench.budgetSeconds { break }
                }
                bench.note(Operation.tmuxSave, "from tmux send-keys Enter until capture-pane shows \"Saved:\"; polled every \(Format.ms(Statistics.median(intervals) ?? 0)) ms (back to back, then every 1 % of the wait)")
                bench.reportProgress(Operation.tmuxSave)
            }

            current = Operation.tmuxExternalMark
            if bench.wants(Operation.tmuxExternalMark) {
                try session.send("f")
                try session.waitUntil(timeoutSeconds: timeout, "the status picker") { $0.contains("Filter by status") }
                try session.send("5")
                try session.waitUntil(timeoutSeconds: timeout, "the list filtered to stalled items") { $0.contains("status: stalled") }
                guard !(try session.capture()).contains(externalId) else {
                    throw ProcessError(description: "\(externalId) is on screen before it is marked stalled")
                }
                var intervals: [Double] = []
                for run in 0..<min(tmuxRuns, cliffRuns) {
                    if run > 0 {
                        try session.send("j")
                        try session.send("k")
                        try session.waitUntil(timeoutSeconds: timeout, "the status line back") { $0.contains("status: stalled") }
                    }
                    let stalled = run % 2 == 0
                    let start = bench.clock.now
                    _ = try runPtrack(["mark", externalId, stalled ? "stalled" : "implemented", "--note", "ptrack-bench: marked from outside", "--data", writeDirectory])
                    let ms = try session.waitUntil(from: start, timeoutSeconds: timeout, "\(externalId) \(stalled ? "listed" : "gone") after its mark") {
                        $0.contains("Changed by another process") && $0.contains(externalId) == stalled
                    }
                    intervals.append(session.lastPollInterval)
                    bench.add(Operation.tmuxExternalMark, ms: ms)
                    if ms / 1000 > bench.budgetSeconds { break }
                }
                bench.note(Operation.tmuxExternalMark, "list filtered to stalled items; from the start of `ptrack mark` (alternately stalled and implemented) until capture-pane shows the item listed or gone; the browser looks at the files every 250 ms; polled every \(Format.ms(Statistics.median(intervals) ?? 0)) ms (back to back, then every 1 % of the wait)")
                bench.reportProgress(Operation.tmuxExternalMark)
            }
        } catch {
            bench.fail(current, error)
            if current == Operation.tmuxSave, bench.wants(Operation.tmuxExternalMark) { bench.fail(Operation.tmuxExternalMark, error) }
        }
    }
}
