import Foundation
import PolicyTrackerApp
import PolicyTrackerCore

/// The operations, in table order. Keystroke rows name the query as it stands after the key.
enum Operation {
    static let loadSnapshot = "load: snapshot + log tail → state"
    static let loadReplay = "load: full replay (no snapshot)"
    static let history = "history(): decode every change"
    static let reportText = "report (text): load + history + StatusReport + write"
    static let reportJSON = "report --format json"
    static let listJSON = "list --json: load + filter + ItemOutput + JSONWriter"
    static let stateAsOf = "state(asOf:): replay all history to a date"
    static let reportAsOf = "report --as-of (text)"
    static let mark = "mark: record one status change"
    static let markCheckpoint = "mark + snapshot rewrite (1 mark in 256)"
    static let undo = "undo: revert the last change"
    static let browserModel = "browser model: load + history + AppState"
    static let firstFrame = "first frame: View.render 80×24"
    static let searchOpen = "search: \"/\" opens the prompt"
    static func searchKey(_ query: String) -> String { "search key → \"\(query)\"" }
    static let moveNarrow = "move j + render 80×24"
    static let moveWide = "move j + render 200×60"
    static func sort(_ order: String) -> String { "sort s → \(order)" }
    static let filterOpen = "filter: f opens the status picker"
    static let filterStalled = "filter: 5 → stalled"
    static let filterAny = "filter: f 0 → any (clear)"
    static let processVersion = "process: ptrack --version (start-up floor)"
    static let processReport = "process: ptrack report"
    static let processList = "process: ptrack list --json"
    static let processAsOf = "process: ptrack report --as-of"
    static let processMark = "process: ptrack mark"
    static let processUndo = "process: ptrack undo"
    static let tmuxFloor = "tmux floor: sh prints the status text"
    static let tmuxBrowser = "browser start → first frame (tmux)"
    /// The rows that need tmux.
    static var tmuxRows: Set<String> { [tmuxFloor, tmuxBrowser, tmuxSave, tmuxExternalMark] }

    /// The search queries: the worst cases of the issue ("e" matches nearly everything,
    /// "eqz" nothing), Korean text, and a query extended key by key.
    static let queries = ["eqz", "한국", "tril"]

    /// Every operation the suite runs when the ptrack binary and tmux are there, the tails
    /// `tailLengths` lines long.
    static func all(tailLengths: [Int]) -> [String] { suite + cliffs(tailLengths: tailLengths) }

    /// The operations before the cliffs.
    static var suite: [String] {
        var names = [loadSnapshot, loadReplay, history, reportText, reportJSON, listJSON, stateAsOf, reportAsOf,
                     mark, markCheckpoint, undo, browserModel, firstFrame, searchOpen]
        for query in queries {
            for end in query.indices { names.append(searchKey(String(query[...end]))) }
        }
        names += [moveNarrow, moveWide] + sortOrders.map { sort($0.label) }
        names += [filterOpen, filterStalled, filterAny]
        names += [processVersion, processReport, processList, processAsOf, processMark, processUndo, tmuxFloor, tmuxBrowser]
        return names
    }

    /// The orders `s` steps through from the default (id), in that order.
    static var sortOrders: [PolicyTrackerApp.SortOrder] { Array(PolicyTrackerApp.SortOrder.allCases.dropFirst()) + [PolicyTrackerApp.SortOrder.allCases[0]] }
}

/// What one size measured.
struct SizeResult {
    var count: Int
    var changesPerItem: Int
    var catalogBytes: Int
    var logBytes: Int
    var generationSeconds: Double
    var generatedBy: String
    var rows: [Row]
    var benchPeakRSSKiB: Int
}

/// The benchmarks at one size, on a tracker already generated in `readDirectory` (read
/// operations and the browser) and a copy of it in `writeDirectory` (mark, undo).
struct SizeSuite {
    let count: Int
    let readDirectory: String
    let writeDirectory: String
    let bench: Bench
    /// The release ptrack binary, for the whole-process and tmux rows; nil skips them.
    let ptrack: String?
    let tmux: String?
    /// GNU time, for the peak RSS of whole processes.
    let gnuTime: String?
    let tmuxRuns: Int
    let tmuxTimeoutSeconds: Double
    /// Where the suite may put further trackers (the tails').
    let scratchDirectory: String
    /// Whether those trackers stay after the run (`--work-dir`).
    let keepTrackers: Bool
    /// Lines past the snapshot of the tail rows, in turn.
    let tailLengths: [Int]
    /// The smoke run: the cliffs' rows run once, and whole processes run under GNU time,
    /// their peak RSS taken from the timed runs instead of one more.
    let quick: Bool
    /// Timed runs of each cliff row.
    var cliffRuns: Int { quick ? 1 : bench.runs }
    let now = Timestamp(Date())

    func run() throws {
        let reader = TrackerStore(directory: readDirectory)
        let writer = TrackerStore(directory: writeDirectory)
        // One record in each copy, untimed, so each has a snapshot that matches its files.
        for store in [reader, writer] {
            try store.record { context throws(TrackerError) in
                guard let item = try context.state().sortedItems.first else { return [] }
                return [try ChangeFactory(now: now).review(item, note: "ptrack-bench: settles the snapshot")]
            }
        }
        guard FileManager.default.fileExists(atPath: reader.snapshotPath) else {
            throw ProcessError(description: "no snapshot.jsonl after a record in \(readDirectory)")
        }
        let state = try reader.load()
        let sorted = state.sortedItems
        guard !sorted.isEmpty else { throw ProcessError(description: "the generated tracker has no recommendations") }
        let markId = sorted[sorted.count / 2].id
        let history = try reader.history()
        let asOf = Self.middleDate(of: history) ?? now.day
        bench.progress("\(Format.grouped(state.items.count)) items, \(Format.grouped(history.count)) changes; marking \(markId); as-of \(asOf.text)")

        measureStore(reader)
        measureCommands(reader, asOf: asOf)
        measureWrites(writer, markId: markId)
        measureBrowser(reader, tracker: state, history: history)
        measureProcesses(markId: markId, asOf: asOf)
        measureStartUp()
        measureTails(ids: sorted.map(\.id))
        measureNoSnapshot()
        measureBrowserSave()
        measureTmuxBrowser(externalId: sorted[0].id)
    }

    /// The `happened` date half way through the log: `--as-of` then keeps about half the statuses.
    static func middleDate(of history: [Change]) -> PolicyDate? {
        let dates = history.map(\.happened).sorted()
        return dates.isEmpty ? nil : dates[dates.count / 2]
    }

    // MARK: Store

    private func measureStore(_ store: TrackerStore) {
        bench.measure(Operation.loadSnapshot) { try store.load() }
        let aside = store.snapshotPath + ".ptrack-bench-aside"
        if bench.wants(Operation.loadReplay) {
            if rename(store.snapshotPath, aside) == 0 {
                // Held by this process, the lock keeps the load from writing the snapshot
                // anew, which would make every run after the first a load from it.
                do {
                    let lock = try HeldLock(directory: store.directory)
                    defer { lock.release() }
                    bench.measure(Operation.loadReplay, note: "snapshot.jsonl moved aside; this process holds the lock, so the load does not write it anew") {
                        try store.load()
                    }
                } catch {
                    bench.fail(Operation.loadReplay, error)
                }
                if FileManager.default.fileExists(atPath: store.snapshotPath) { bench.fail(Operation.loadReplay, ProcessError(description: "a load wrote the snapshot anew")) }
                rename(aside, store.snapshotPath)
            } else {
                bench.fail(Operation.loadReplay, ProcessError(description: "cannot move snapshot.jsonl aside"))
            }
        }
        bench.measure(Operation.history) { try store.history() }
    }

    // MARK: Commands in-process, as the CLI runs them

    func report(_ store: TrackerStore, asOf: PolicyDate?, format: ReportFormat) throws -> Int {
        let report = try store.report(asOf: asOf, now: now, recentLimit: 10) { state in ItemFilter().apply(to: state) }
        var text = ""
        report.write(format, style: TextStyle(enabled: false), to: &text)
        return text.utf8.count
    }

    private func measureCommands(_ store: TrackerStore, asOf: PolicyDate) {
        bench.measure(Operation.reportText) { try report(store, asOf: nil, format: .text) }
        bench.measure(Operation.reportJSON) { try report(store, asOf: nil, format: .json) }
        bench.measure(Operation.listJSON) {
            let state = try store.load()
            let items = ItemFilter().apply(to: state)
            return JSONWriter.pretty(.array(items.map(ItemOutput.json))).utf8.count
        }
        bench.measure(Operation.stateAsOf, note: "as of \(asOf.text)") { try store.state(asOf: asOf) }
        bench.measure(Operation.reportAsOf) { try report(store, asOf: asOf, format: .text) }
    }

    // MARK: Writes

    private func measureWrites(_ store: TrackerStore, markId: String) {
        var flip = false
        func mark(_ store: TrackerStore) throws -> WriteResult {
            flip.toggle()
            let factory = ChangeFactory(now: Timestamp(Date()))
            let status: Status = flip ? .stalled : .implemented
            return try store.record { context throws(TrackerError) in
                [try factory.mark(try context.item(markId), status, happened: nil, note: "ptrack-bench mark", source: nil)]
            }
        }
        bench.measure(Operation.mark, note: "lock, look the item up in the snapshot, append one line, fsync") { try mark(store) }
        let checkpointing = TrackerStore(directory: store.directory, checkpointLines: 1)
        bench.measure(Operation.markCheckpoint, note: "a store that rewrites snapshot.jsonl after every mark") { try mark(checkpointing) }
        bench.measure(Operation.undo, note: "finds the change from the end of the log; the snapshot replays the revert") {
            let factory = ChangeFactory(now: Timestamp(Date()))
            return try store.record { context throws(TrackerError) in
                [try factory.undo(nil, history: try context.history(forUndoOf: nil)).revert]
            }
        }
    }

    // MARK: Browser in-process

    private func press(_ key: Key, _ state: inout AppState) {
        blackHole(Update.update(&state, .input(.key(key))))
    }

    /// Times one key: update, then render; records both.
    private func timeKey(_ key: Key, _ state: inout AppState, as operation: String, record: Bool) {
        let start = bench.clock.now
        let effects = Update.update(&state, .input(.key(key)))
        let updated = bench.clock.now
        let buffer = View.render(state)
        let end = bench.clock.now
        blackHole(effects)
        blackHole(buffer)
        if record { bench.add(operation, ms: (end - start).ms, renderMs: (end - updated).ms) }
    }

    private func measureBrowser(_ store: TrackerStore, tracker: TrackerState, history: [Change]) {
        let browserOperations = Operation.suite.filter {
            !$0.hasPrefix("process:") && $0 != Operation.tmuxFloor && $0 != Operation.tmuxBrowser
        }.drop { $0 != Operation.browserModel }
        guard browserOperations.contains(where: bench.wants) else { return }
        let narrow = Size(width: 80, height: 24)
        bench.measure(Operation.browserModel, note: "what the browser does before its first frame") {
            AppState(tracker: try store.load(), history: try store.history(), dataDirectory: store.directory, size: narrow, today: now.day)
        }
        var live = AppState(tracker: tracker, history: history, dataDirectory: store.directory, size: narrow, today: now.day)
        bench.measure(Operation.firstFrame) { View.render(live) }

        // Search: "/" then each character; Esc (untimed) returns to browsing between passes.
        bench.passes([Operation.searchOpen]) { record in
            timeKey(.character("/"), &live, as: Operation.searchOpen, record: record)
            press(.escape, &live)
        }
        for query in Operation.queries {
            let names = query.indices.map { Operation.searchKey(String(query[...$0])) }
            bench.passes(names) { record in
                press(.character("/"), &live)
                for (character, name) in zip(query, names) {
                    timeKey(.character(character), &live, as: name, record: record && bench.wants(name))
                }
                press(.escape, &live)
            }
        }
        for operation in Operation.queries.flatMap({ query in query.indices.map { Operation.searchKey(String(query[...$0])) } }) {
            if let row = bench.row(operation), let render = Statistics.median(row.renderSamples) {
                bench.note(operation, "render \(Format.ms(render)) ms of it")
            }
        }

        // One frame: a move and the render, at two sizes.
        for (size, operation) in [(narrow, Operation.moveNarrow), (Size(width: 200, height: 60), Operation.moveWide)] {
            blackHole(Update.update(&live, .input(.resize(size))))
            press(.character("g"), &live)
            bench.passes([operation]) { record in timeKey(.character("j"), &live, as: operation, record: record) }
            if let row = bench.row(operation), let render = Statistics.median(row.renderSamples) {
                bench.note(operation, "render \(Format.ms(render)) ms of it")
            }
        }
        blackHole(Update.update(&live, .input(.resize(narrow))))

        // Sort: each `s` rebuilds the rows in the next order.
        let sortNames = Operation.sortOrders.map { Operation.sort($0.label) }
        bench.passes(sortNames) { record in
            for name in sortNames { timeKey(.character("s"), &live, as: name, record: record && bench.wants(name)) }
        }

        // Filter by status: open the picker, choose "stalled", then clear with f 0.
        bench.passes([Operation.filterOpen, Operation.filterStalled, Operation.filterAny]) { record in
            timeKey(.character("f"), &live, as: Operation.filterOpen, record: record && bench.wants(Operation.filterOpen))
            timeKey(.character("5"), &live, as: Operation.filterStalled, record: record && bench.wants(Operation.filterStalled))
            press(.character("f"), &live)
            timeKey(.character("0"), &live, as: Operation.filterAny, record: record && bench.wants(Operation.filterAny))
        }
        if bench.wants(Operation.filterAny) { bench.note(Operation.filterAny, "the time of the 0 key") }
    }

    // MARK: Whole processes

    private func measureProcesses(markId: String, asOf: PolicyDate) {
        let operations = [Operation.processVersion, Operation.processReport, Operation.processList, Operation.processAsOf,
                          Operation.processMark, Operation.processUndo]
        guard ptrack != nil else {
            for operation in operations where bench.wants(operation) { bench.skip(operation, "no ptrack binary beside ptrack-bench") }
            return
        }
        var flip = false
        let commands: [(String, () -> [String])] = [
            (Operation.processVersion, { ["--version"] }),
            (Operation.processReport, { ["report", "--data", readDirectory] }),
            (Operation.processList, { ["list", "--json", "--data", readDirectory] }),
            (Operation.processAsOf, { ["report", "--as-of", asOf.text, "--data", readDirectory] }),
            (Operation.processMark, {
                flip.toggle()
                return ["mark", markId, flip ? "stalled" : "implemented", "--note", "ptrack-bench", "--data", writeDirectory]
            }),
            (Operation.processUndo, { ["undo", "--data", writeDirectory] }),
        ]
        for (operation, arguments) in commands {
            measureProcess(operation, arguments)
        }
    }

    /// Times `ptrack` with `arguments` as a whole process, then takes its peak RSS from one
    /// more run under GNU time; `prepare` runs, untimed, before every run, that one included.
    func measureProcess(
        _ operation: String, note: String? = nil, runs: Int? = nil, prepare: () throws -> Void = {}, _ arguments: () -> [String]
    ) {
        guard bench.wants(operation) else { return }
        guard ptrack != nil else {
            bench.skip(operation, "no ptrack binary beside ptrack-bench")
            return
        }
        bench.note(operation, "wall time of the whole process")
        if let note { bench.note(operation, note) }
        if quick, gnuTime != nil {
            // The smoke run: each run under GNU time, which gives its peak RSS too.
            bench.measure(operation, runs: runs, prepare: prepare) { () throws -> Double in
                let (ms, kib) = try runPtrackMeasuringRSS(arguments())
                bench.attachRSS(operation, kib)
                return ms
            }
            return
        }
        bench.measure(operation, runs: runs, prepare: prepare) { try runPtrack(arguments()) }
        // Peak RSS from one more run under GNU time: wait4's own figure is useless here,
        // because Linux carries a vfork parent's peak across exec into the child.
        guard bench.row(operation)?.failure == nil else { return }
        guard gnuTime != nil else {
            bench.note(operation, "no /usr/bin/time: peak RSS not measured")
            return
        }
        do {
            try prepare()
            bench.attachRSS(operation, try peakRSS(arguments()))
        } catch {
            bench.note(operation, "peak RSS not measured: \(error)")
        }
    }

    /// Runs `ptrack` with `arguments` to completion; its wall time in milliseconds.
    func runPtrack(_ arguments: [String]) throws -> Double {
        guard let ptrack else { throw ProcessError(description: "no ptrack binary beside ptrack-bench") }
        let child = try Child.run([ptrack] + arguments, clock: bench.clock)
        guard child.exitCode == 0 else {
            throw ProcessError(description: "exit \(child.exitCode): \(child.standardError.prefix(400))")
        }
        return child.ms
    }

    /// The peak RSS in KiB of one run of `ptrack` with `arguments`, under GNU time.
    func peakRSS(_ arguments: [String]) throws -> Int {
        try runPtrackMeasuringRSS(arguments).kib
    }

    /// One run of `ptrack` with `arguments` under GNU time: its wall time (GNU time's own
    /// start included) and peak RSS in KiB.
    func runPtrackMeasuringRSS(_ arguments: [String]) throws -> (ms: Double, kib: Int) {
        guard let ptrack else { throw ProcessError(description: "no ptrack binary beside ptrack-bench") }
        guard let gnuTime else { throw ProcessError(description: "no /usr/bin/time") }
        let rssPath = NSTemporaryDirectory() + "ptrack-bench-rss-\(getpid())"
        defer { unlink(rssPath) }
        let child = try Child.run([gnuTime, "-f", "%M", "-o", rssPath, ptrack] + arguments, clock: bench.clock)
        let text = (try? String(contentsOfFile: rssPath, encoding: .utf8)) ?? ""
        guard child.exitCode == 0, let kib = text.split(separator: "\n").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw ProcessError(description: "/usr/bin/time -f %M gave \"\(text)\" (exit \(child.exitCode)): \(child.standardError.prefix(400))")
        }
        return (child.ms, kib)
    }

    // MARK: Browser start-up through tmux

    /// tmux and the ptrack binary, for rows timed through tmux; nil, each of `operations`
    /// skipped with the reason, when one of them is missing.
    func tmuxAndPtrack(orSkip operations: [String]) -> (tmux: String, ptrack: String)? {
        guard let tmux else {
            for operation in operations { bench.skip(operation, "tmux is not installed") }
            return nil
        }
        guard let ptrack else {
            for operation in operations { bench.skip(operation, "no ptrack binary beside ptrack-bench") }
            return nil
        }
        return (tmux, ptrack)
    }

    private func measureStartUp() {
        let operations = [Operation.tmuxFloor, Operation.tmuxBrowser]
        guard operations.contains(where: bench.wants) else { return }
        guard let (tmux, ptrack) = tmuxAndPtrack(orSkip: operations) else { return }
        let probe = TmuxProbe(tmux: tmux, timeoutSeconds: tmuxTimeoutSeconds)
        let browser = "exec env TERM=xterm-256color \(shellQuoted(ptrack)) --data \(shellQuoted(readDirectory))"
        let floor = "printf '1/1 shown\\n'; exec sleep 600"
        for (operation, command) in [(Operation.tmuxFloor, floor), (Operation.tmuxBrowser, browser)] where bench.wants(operation) {
            var intervals: [Double] = []
            do {
                for _ in 0..<tmuxRuns {
                    let sighting = try probe.firstSighting(of: "shown", command: command, clock: bench.clock)
                    bench.add(operation, ms: sighting.ms)
                    intervals.append(sighting.pollIntervalMs)
                    if sighting.ms / 1000 > bench.budgetSeconds { break }
                }
                let interval = Statistics.median(intervals) ?? 0
                bench.note(operation, "tmux new-session until capture-pane shows \"shown\"; polled every \(Format.ms(interval)) ms")
                bench.reportProgress(operation)
            } catch {
                bench.fail(operation, error)
            }
        }
    }
}
