import Foundation
import PolicyTrackerCore

/// What a run of lines past the snapshot is made of.
enum TailKind: CaseIterable {
    /// Each item marked again with the status it has.
    case sameStatusMarks
    case reviews
    /// Pairs: an item marked, then that mark undone (the undo a user makes right after).
    case undos
    /// The summary edited.
    case edits

    /// For the tracker's directory name.
    var slug: String {
        switch self {
        case .sameStatusMarks: "same-status-marks"
        case .reviews: "reviews"
        case .undos: "undos"
        case .edits: "edits"
        }
    }

    var label: String {
        switch self {
        case .sameStatusMarks: "same-status marks"
        case .reviews: "reviews"
        case .undos: "undos"
        case .edits: "edits"
        }
    }

    var description: String {
        switch self {
        case .sameStatusMarks: "each line marks an item with the status it already has"
        case .reviews: "each line a review"
        case .undos: "a mark, then its undo (a revert of that mark), item after item"
        case .edits: "each line an edit of an item's summary"
        }
    }
}

/// The rows of the cliffs: log tails past the snapshot, no snapshot, the browser's saves
/// (see `BrowserSaves.swift`).
extension Operation {
    /// Lines past the snapshot the tail rows lay down, in turn, on one tracker.
    static let tailLengths = [1000, 10000]
    /// The same for the smoke run, which must stay quick.
    static let smokeTailLengths = [100, 1000]

    static func tail(_ kind: TailKind, _ lines: Int) -> String { "tail of \(Format.grouped(lines)) \(kind.label)" }
    /// In-process `report`, the snapshot kept behind.
    static func tailReport(_ kind: TailKind, _ lines: Int) -> String { "\(tail(kind, lines)): report (text), lock held" }
    /// A whole process, the snapshot kept behind: `command` is "report", "report --format json" or "list --json".
    static func tailProcess(_ command: String, _ kind: TailKind, _ lines: Int) -> String {
        "process: \(command), \(tail(kind, lines)), lock held"
    }
    static let tailCommands = ["report", "report --format json", "list --json"]
    /// `ptrack report` with the lock free, starting from the snapshot that far behind.
    static func tailFirstRead(_ kind: TailKind, _ lines: Int) -> String { "process: report, \(tail(kind, lines)), first read" }
    /// `ptrack report` with the lock free, after a first read.
    static func tailLaterRead(_ kind: TailKind, _ lines: Int) -> String { "process: report, \(tail(kind, lines)), later reads" }

    static func tailRows(_ kind: TailKind, _ lines: Int) -> [String] {
        [tailReport(kind, lines)] + tailCommands.map { tailProcess($0, kind, lines) } + [tailFirstRead(kind, lines), tailLaterRead(kind, lines)]
    }

    static let noSnapshotFirst = "process: report, no snapshot (fresh clone)"
    static let noSnapshotSecond = "process: report, the one after it"

    static func cliffs(tailLengths: [Int]) -> [String] {
        TailKind.allCases.flatMap { kind in tailLengths.flatMap { tailRows(kind, $0) } }
            + [noSnapshotFirst, noSnapshotSecond] + browserSaves
    }
}

/// How far the snapshot of a tracker lies behind its log, read from the files.
enum SnapshotDistance {
    /// Complete lines of `changes.jsonl`.
    static func logLines(_ directory: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/changes.jsonl"), options: .alwaysMapped)
        return data.withUnsafeBytes { raw in
            guard var cursor = raw.baseAddress else { return 0 }
            let end = cursor + raw.count
            var lines = 0
            while cursor < end, let found = memchr(cursor, 0x0A, end - cursor) {
                lines += 1
                cursor = UnsafeRawPointer(found) + 1
            }
            return lines
        }
    }

    /// `log.lines` of the snapshot's header; nil when there is no snapshot.
    static func snapshotLines(_ directory: String) throws -> Int? {
        guard let object = try header(directory) else { return nil }
        guard let log = object["log"] as? [String: Any], let lines = log["lines"] as? Int
        else { throw ProcessError(description: "the header of \(directory)/snapshot.jsonl has no log.lines") }
        return lines
    }

    /// The snapshot's header; nil when there is no snapshot.
    static func header(_ directory: String) throws -> [String: Any]? {
        guard let handle = FileHandle(forReadingAtPath: directory + "/snapshot.jsonl") else { return nil }
        defer { try? handle.close() }
        var header = Data()
        while true {
            guard let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty else { break }
            if let newline = piece.firstIndex(of: 0x0A) {
                header.append(piece[piece.startIndex..<newline])
                break
            }
            header.append(piece)
        }
        guard let object = try JSONSerialization.jsonObject(with: header) as? [String: Any]
        else { throw ProcessError(description: "the header of \(directory)/snapshot.jsonl is not an object") }
        return object
    }

    /// The filter of change ids in the snapshot's header.
    static func changeIds(_ directory: String) throws -> ChangeIdSet {
        guard let object = try header(directory), let ids = object["changeIds"] as? [String: Any],
              let capacity = ids["capacity"] as? Int, let count = ids["count"] as? Int, let bits = ids["bloomFilter"] as? String,
              let filter = ChangeIdSet(capacity: capacity, count: count, encodedBits: bits)
        else { throw ProcessError(description: "the header of \(directory)/snapshot.jsonl has no filter of change ids") }
        return filter
    }

    /// Lines of the log past the snapshot; nil when there is no snapshot.
    static func behind(_ directory: String) throws -> Int? {
        guard let covered = try snapshotLines(directory) else { return nil }
        return try logLines(directory) - covered
    }
}

/// The change ids of a tail as a read checks them: against the snapshot's filter of change
/// ids. An id the filter flags (a false alarm: ids are random) is looked for in the lines the
/// snapshot covers, a scan of the log the rows then include; the count goes in the notes.
struct TailIds {
    let filter: ChangeIdSet
    /// Ids of the tail the filter flagged.
    var flagged = 0

    /// `change`, counted when the filter flags its id.
    mutating func counted(_ change: Change) -> Change {
        if filter.mightContain(change.changeId) { flagged += 1 }
        return change
    }
}

extension SizeSuite {
    // MARK: Tails past the snapshot

    /// For each kind of tail: a copy of the tracker whose snapshot lies 1,000, then 10,000
    /// lines behind the log (written through a store that never refreshes it), read with
    /// the lock held by this process (so no read can keep the snapshot) and then with the
    /// lock free (the default bound: a read that finds it over 1,024 lines behind writes it
    /// anew).
    func measureTails(ids: [String]) {
        for kind in TailKind.allCases {
            let rows = tailLengths.flatMap { Operation.tailRows(kind, $0) }
            guard rows.contains(where: bench.wants) else { continue }
            let directory = scratchDirectory + "/tracker-tail-" + kind.slug
            defer { if !keepTrackers { try? FileManager.default.removeItem(atPath: directory) } }
            do {
                try measureTail(kind, ids: ids, in: directory)
            } catch {
                for row in rows where bench.wants(row) && bench.row(row).map({ $0.samples.isEmpty && $0.failure == nil }) ?? true {
                    bench.fail(row, error)
                }
            }
        }
    }

    private func measureTail(_ kind: TailKind, ids: [String], in directory: String) throws {
        let fileManager = FileManager.default
        try? fileManager.removeItem(atPath: directory)
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["catalog.json", "changes.jsonl"] {
            try fileManager.copyItem(atPath: readDirectory + "/" + name, toPath: directory + "/" + name)
        }
        // Writers that never refresh the snapshot, nor keep it on a read.
        let writer = TrackerStore(directory: directory, checkpointLines: .max, readerCheckpointLines: .max)
        // The first record replays the copy and writes its snapshot, as the first write to a copy does.
        try writer.record { context throws(TrackerError) in
            [try ChangeFactory(now: Timestamp(Date())).review(try context.item(ids[0]), note: "ptrack-bench: settles the snapshot")]
        }
        guard try SnapshotDistance.behind(directory) == 0 else {
            throw ProcessError(description: "the copy has no snapshot matching its log after a record")
        }
        // The snapshot as it lies before the tail, put back should anything rewrite it.
        let savedSnapshot = scratchDirectory + "/snapshot-before-tail.jsonl"
        try? fileManager.removeItem(atPath: savedSnapshot)
        try fileManager.copyItem(atPath: directory + "/snapshot.jsonl", toPath: savedSnapshot)
        defer { try? fileManager.removeItem(atPath: savedSnapshot) }

        // The filter of change ids a read checks the tail's ids against (see `TailIds`).
        var tailIds = TailIds(filter: try SnapshotDistance.changeIds(directory))
        var written = 0
        let lengths = tailLengths.filter { lines in tailLengths.contains { $0 >= lines && Operation.tailRows(kind, $0).contains(where: bench.wants) } }
        for lines in lengths {
            bench.progress("\(Operation.tail(kind, lines)): writing \(Format.grouped(lines - written)) lines")
            try appendTail(kind, lines: lines - written, startingAt: written, ids: ids, tailIds: &tailIds, through: writer)
            written = lines
            // Each read must start from the snapshot `lines` behind: put it back when a
            // writer or an earlier read rewrote it.
            let restore: () throws -> Void = {
                if try SnapshotDistance.behind(directory) != lines {
                    try FileSystem.replaceAtomically(directory + "/snapshot.jsonl", with: Array(try Data(contentsOf: URL(fileURLWithPath: savedSnapshot))))
                }
                guard try SnapshotDistance.behind(directory) == lines else {
                    throw ProcessError(description: "the snapshot does not lie \(lines) lines behind the log")
                }
            }
            try restore()
            let idsNote = "\(tailIds.flagged) of the tail's change ids flagged by the snapshot's filter, so looked for in the log"
            measureTailReads(kind, lines, directory: directory, idsNote: idsNote, restore: restore)
        }
    }

    /// Appends `lines` lines of `kind` through `store`, each batch one write of at most one
    /// line per item (so each item's `follows` and `sequence` chain as separate writes make them).
    private func appendTail(
        _ kind: TailKind, lines: Int, startingAt start: Int, ids: [String], tailIds: inout TailIds, through store: TrackerStore
    ) throws {
        let perItem = kind == .undos ? 2 : 1
        var position = start / perItem
        var remaining = lines / perItem
        while remaining > 0 {
            let offset = position % ids.count
            let batch = Array(ids[offset..<min(ids.count, offset + remaining)])
            let factory = ChangeFactory(now: Timestamp(Date()))
            var drawn = tailIds
            try store.record { context throws(TrackerError) in
                drawn = tailIds
                var changes: [Change] = []
                changes.reserveCapacity(batch.count * perItem)
                for id in batch {
                    let item = try context.item(id)
                    switch kind {
                    case .sameStatusMarks:
                        changes.append(drawn.counted(try factory.mark(item, item.status, happened: nil, note: "ptrack-bench: the same status again", source: nil)))
                    case .reviews:
                        changes.append(drawn.counted(try factory.review(item, note: "ptrack-bench: reviewed, nothing changed")))
                    case .undos:
                        let mark = drawn.counted(try factory.mark(
                            item, item.status == .stalled ? .implemented : .stalled, happened: nil, note: "ptrack-bench: marked, then undone", source: nil))
                        changes.append(mark)
                        changes.append(drawn.counted(try factory.undo(mark.changeId, history: [mark]).revert))
                    case .edits:
                        let patch = RecommendationPatch(summary: item.recommendation.summary + " Revised.")
                        guard let edit = try factory.edit(item, patch, note: "ptrack-bench: summary revised") else {
                            throw .usage("the edit of \(id) changed nothing")
                        }
                        changes.append(drawn.counted(edit))
                    }
                }
                return changes
            }
            tailIds = drawn
            position += batch.count
            remaining -= batch.count
        }
    }

    private func measureTailReads(_ kind: TailKind, _ lines: Int, directory: String, idsNote: String, restore: @escaping () throws -> Void) {
        let tail = "\(Format.grouped(lines)) lines past the snapshot (\(kind.description)); \(idsNote)"
        // With the lock held: the reads cannot keep the snapshot, so every one reads the tail.
        let heldRows = [Operation.tailReport(kind, lines)] + Operation.tailCommands.map { Operation.tailProcess($0, kind, lines) }
        if heldRows.contains(where: bench.wants) {
            do {
                let lock = try HeldLock(directory: directory)
                defer { lock.release() }
                let reader = TrackerStore(directory: directory, checkpointLines: .max, readerCheckpointLines: .max)
                bench.measure(Operation.tailReport(kind, lines), note: tail + "; this process holds the lock, so no read keeps the snapshot", runs: cliffRuns) {
                    try report(reader, asOf: nil, format: .text)
                }
                for command in Operation.tailCommands {
                    let operation = Operation.tailProcess(command, kind, lines)
                    measureProcess(operation, note: "this process holds the lock, so no read keeps the snapshot", runs: cliffRuns) {
                        command.split(separator: " ").map(String.init) + ["--data", directory]
                    }
                }
                let after = try SnapshotDistance.behind(directory)
                if after != lines {
                    for row in heldRows where bench.wants(row) {
                        bench.fail(row, ProcessError(description: "the snapshot moved while the lock was held: \(after.map(String.init) ?? "none") lines behind"))
                    }
                }
            } catch {
                for row in heldRows where bench.wants(row) { bench.fail(row, error) }
            }
        }

        // With the lock free, as a user has it: the first read starts from the snapshot that
        // far behind (put back before each run); the later reads come after one read.
        let first = Operation.tailFirstRead(kind, lines), later = Operation.tailLaterRead(kind, lines)
        var kept: Int??
        measureProcess(first, note: "lock free (the default bound: a read keeps the snapshot past 1,024 lines behind); the snapshot put back \(Format.grouped(lines)) lines behind before each run", runs: cliffRuns, prepare: restore) {
            ["report", "--data", directory]
        }
        if bench.wants(first) {
            kept = try? SnapshotDistance.behind(directory)
            switch kept {
            case .some(.some(0)): bench.note(first, "it rewrote the snapshot")
            case .some(.some(let behind)): bench.note(first, "it left the snapshot \(Format.grouped(behind)) lines behind")
            default: bench.note(first, "no snapshot after it")
            }
        }
        guard bench.wants(later) else { return }
        do {
            try restore()
            bench.progress("\(later): one untimed first read")
            _ = try runPtrack(["report", "--data", directory])
        } catch {
            bench.fail(later, error)
            return
        }
        let behind = (try? SnapshotDistance.behind(directory)).flatMap { $0 }
        measureProcess(later, note: "lock free, after one read that " + (behind == 0 ? "rewrote the snapshot" : "left it \(Format.grouped(behind ?? lines)) lines behind"), runs: cliffRuns) {
            ["report", "--data", directory]
        }
    }

    // MARK: No snapshot

    /// `ptrack report` on the tracker without `snapshot.jsonl` and `.lock` (as a fresh clone
    /// has it): it replays the whole log and keeps the snapshot; then the report after it.
    func measureNoSnapshot() {
        let operations = [Operation.noSnapshotFirst, Operation.noSnapshotSecond]
        let wanted = operations.filter(bench.wants)
        guard !wanted.isEmpty else { return }
        guard ptrack != nil else {
            for operation in wanted { bench.skip(operation, "no ptrack binary beside ptrack-bench") }
            return
        }
        let directory = readDirectory
        let arguments = ["report", "--data", directory]
        func clone() throws {
            for name in ["snapshot.jsonl", ".lock"] where unlink(directory + "/" + name) != 0 && errno != ENOENT {
                throw ProcessError(description: "cannot remove \(name): \(String(cString: strerror(errno)))")
            }
        }
        // The smoke run takes the peak RSS from the timed runs, under GNU time.
        let underTime = quick && gnuTime != nil
        func report(_ operation: String) throws -> Double {
            guard underTime else { return try runPtrack(arguments) }
            let (ms, kib) = try runPtrackMeasuringRSS(arguments)
            if bench.wants(operation) { bench.attachRSS(operation, kib) }
            return ms
        }
        func firstRead() throws -> Double {
            try clone()
            let ms = try report(Operation.noSnapshotFirst)
            guard try SnapshotDistance.behind(directory) == 0 else {
                throw ProcessError(description: "the first report did not keep the snapshot")
            }
            return ms
        }
        bench.note(Operation.noSnapshotFirst, "wall time of the whole process")
        bench.note(Operation.noSnapshotFirst, "snapshot.jsonl and .lock removed before each run; the report replays the log and writes the snapshot")
        bench.note(Operation.noSnapshotSecond, "wall time of the whole process")
        bench.note(Operation.noSnapshotSecond, "right after the row above, from the snapshot it wrote")
        bench.passes(wanted, runs: cliffRuns) { record in
            let first = try firstRead()
            if record, bench.wants(Operation.noSnapshotFirst) { bench.add(Operation.noSnapshotFirst, ms: first) }
            let second = try report(Operation.noSnapshotSecond)
            if record, bench.wants(Operation.noSnapshotSecond) { bench.add(Operation.noSnapshotSecond, ms: second) }
        }
        // Peak RSS: one more pass under GNU time.
        if !underTime, !wanted.contains(where: { bench.row($0)?.failure != nil }) {
            do {
                try clone()
                let firstKiB = try peakRSS(arguments)
                let secondKiB = try peakRSS(arguments)
                if bench.wants(Operation.noSnapshotFirst) { bench.attachRSS(Operation.noSnapshotFirst, firstKiB) }
                if bench.wants(Operation.noSnapshotSecond) { bench.attachRSS(Operation.noSnapshotSecond, secondKiB) }
            } catch {
                for operation in wanted { bench.note(operation, "peak RSS not measured: \(error)") }
            }
        }
        // Leave the tracker with its snapshot, as the rows after this one expect.
        if (try? SnapshotDistance.behind(directory)) != 0 { _ = try? runPtrack(arguments) }
    }
}
