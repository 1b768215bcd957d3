/// What every read of a tracker is a query on: the state the log gives, the latest status
/// transitions as far as they are known without the history, and where the log ended when
/// it was read. Built from the snapshot and the log lines past it (``Replay/apply(_:to:wholeLog:asOf:recent:locate:locateLink:)``,
/// the one function that says what lines of the log do), or by replaying the whole log.
public struct ReadModel {
    /// The tracker's present.
    public var state: TrackerState
    /// The latest status transitions, when known without the history.
    public var recent: RecentTransitions?
    /// Where the log ended when it was read.
    var position: LogPosition
    /// Every change id in the log, as far as it was read.
    var changeIds: ChangeIdSet
    /// Complete log lines past the snapshot (all of them when there was none).
    var linesPastSnapshot: Int
    /// Whether the model continues a snapshot that matched the files.
    public internal(set) var continuesSnapshot: Bool
    /// The snapshot's part-way digest of the data, when the model continues a snapshot.
    var digest: DataDigest?
    /// The catalog file and the log as they were when the model was read.
    var files: TrackerFilesSeen

    /// Applies `changes`, just appended as `lines` after the model's log, as
    /// ``Replay/apply(_:to:wholeLog:asOf:recent:locate:locateLink:)`` does; false, having
    /// changed nothing, when only the log can tell what they do (a revert of a change before
    /// them) or the filter of change ids is full.
    mutating func applyAppended(_ changes: [Change], lines: [UInt8]) -> Bool {
        guard !changeIds.isOverfull, !changes.contains(where: \.kind.isRevert) else { return false }
        guard Replay.applyIfSound(changes, to: &state, recent: &recent) else { return false }
        for change in changes { changeIds.insert(change.changeId) }
        position.append(lines, count: changes.count)
        linesPastSnapshot += changes.count
        return true
    }
}

/// Where the complete lines of the log end, and the last of them: what a writer appends
/// after and a snapshot records it covers.
struct LogPosition: Equatable {
    /// Bytes of complete lines.
    var end: Int
    /// Complete lines, blank ones included.
    var lines: Int
    /// Where the last complete line starts, and a hash of it with its newline.
    var lastLineOffset: Int
    var lastLineHash: String
    /// Bytes of a torn last line after `end`, which the next append cuts away.
    var tornTailBytes: Int

    /// The position of the lines `log` read; when it read none past `snapshot`, the
    /// snapshot's.
    init(_ log: LogRead, after snapshot: Snapshot? = nil) {
        if let snapshot, log.decoded.completeBytes == 0 {
            (end, lines, lastLineOffset, lastLineHash) = (snapshot.logBytes, snapshot.logLines, snapshot.lastLineOffset, snapshot.lastLineHash)
            tornTailBytes = log.decoded.tornTailBytes
            return
        }
        let bytes = log.text.bytes
        let covered = log.decoded.completeBytes
        var lastLineStart = covered == 0 ? 0 : covered - 1
        while lastLineStart > 0, bytes[lastLineStart - 1] != 0x0A { lastLineStart -= 1 }
        end = log.endOffset
        lines = log.endLine
        lastLineOffset = log.start + lastLineStart
        lastLineHash = Snapshot.hash(bytes[lastLineStart..<covered])
        tornTailBytes = log.decoded.tornTailBytes
    }

    /// The position after `bytes` holding `count` whole lines (and perhaps the newline a
    /// last line lacked) were appended at ``end``.
    mutating func append(_ bytes: [UInt8], count: Int) {
        var lastLineStart = bytes.count - 1
        while lastLineStart > 0, bytes[lastLineStart - 1] != 0x0A { lastLineStart -= 1 }
        lastLineOffset = end + lastLineStart
        lastLineHash = Snapshot.hash(bytes[lastLineStart...])
        end += bytes.count
        lines += count
        tornTailBytes = 0
    }
}

/// The fingerprints of `catalog.json` and `changes.jsonl` taken before a read, so a reader
/// that would keep the snapshot knows the files are still those it read.
struct TrackerFilesSeen: Equatable {
    var catalog: FileSystem.Fingerprint?
    var log: FileSystem.Fingerprint?
    /// The lock file's epoch (see ``LockNote``).
    var epoch: Int?
}

/// The log as read: its changes, the byte range covered and how to locate a change.
struct LogRead {
    var text: SourceText
    var start: Int
    var decoded: ChangeLogFormat.Decoded

    var endOffset: Int { start + decoded.completeBytes }
    var endLine: Int { text.firstLine + decoded.lineCount - 1 }

    func locate(_ index: Int, _ member: String, _ message: String) -> TrackerError {
        ChangeLogFormat.problem(in: text, changeIndex: index, member: member, message)
    }
}

extension TrackerStore {
    /// The read model of the tracker as it is now: from the snapshot and the log lines past
    /// it when the snapshot matches the files and those lines can be applied to it, else by
    /// replaying the whole log. A read that had to replay, or found the snapshot far behind,
    /// keeps the snapshot for the commands after it (see ``keepSnapshot(_:)``).
    public func readModel() throws(TrackerError) -> ReadModel {
        var model = try currentModel()
        if let epoch = keepSnapshot(model) { model.files.epoch = epoch }
        return model
    }

    /// The catalog file, the log and the lock file's epoch as they are now.
    func filesSeen() throws(TrackerError) -> TrackerFilesSeen {
        TrackerFilesSeen(catalog: try catalogFingerprint(), log: try FileSystem.fingerprint(changesPath), epoch: lockNote()?.epoch)
    }

    /// ``readModel()`` without keeping the snapshot: what a writer, which refreshes it
    /// itself after appending, reads under its lock.
    func currentModel() throws(TrackerError) -> ReadModel {
        let files = try filesSeen()
        if let lookup = SnapshotLookup(path: snapshotPath), let tail = try snapshotTail(lookup.snapshot),
           var snapshot = try? lookup.wholeSnapshot(),
           let model = try continuing(&snapshot, tail, files: files) {
            return model
        }
        return try replayingWholeLog(files: files)
    }

    /// The whole log replayed over `catalog.json`.
    func replayingWholeLog(files: TrackerFilesSeen) throws(TrackerError) -> ReadModel {
        let catalog = try readCatalog()
        let (log, state) = try replayedLog(catalog, size: files.log?.size ?? 0)
        let changes = log.decoded.changes
        return ReadModel(
            state: state, recent: RecentTransitions(history: changes), position: LogPosition(log),
            changeIds: ChangeIdSet(changes.map(\.changeId)), linesPastSnapshot: log.decoded.lineCount, continuesSnapshot: false,
            files: files)
    }

    /// The whole log of `size` bytes, read and replayed over `catalog`, each step told to
    /// ``TrackerStore/progress``.
    func replayedLog(_ catalog: CatalogDocument, size: Int) throws(TrackerError) -> (LogRead, TrackerState) {
        let log = try progress.run("reading the change log", total: size, unit: "bytes") { counter throws(TrackerError) in
            try readLog(from: 0, firstLine: 1, progress: counter)
        }
        let state = try progress.run("replaying the change log", total: log.decoded.changes.count, unit: "changes") {
            counter throws(TrackerError) in
            try Replay.state(catalog: catalog, changes: log.decoded.changes, locate: log.locate, locateLink: linkLocator(log), progress: counter)
        }
        return (log, state)
    }

    /// The log's bytes from the start of the last line `snapshot` covers, when the log is
    /// the file the snapshot was made of (its inode) and that line is still there, unchanged;
    /// else nil.
    func logPastLastLine(of snapshot: Snapshot) throws(TrackerError) -> [UInt8]? {
        guard try FileSystem.fingerprint(changesPath)?.inode ?? 0 == snapshot.logInode,
              snapshot.logBytes >= snapshot.lastLineOffset,
              let bytes = try FileSystem.read(changesPath, from: snapshot.lastLineOffset),
              bytes.count >= snapshot.logBytes - snapshot.lastLineOffset,
              Snapshot.hash(bytes[0..<(snapshot.logBytes - snapshot.lastLineOffset)]) == snapshot.lastLineHash
        else { return nil }
        return bytes
    }

    /// The snapshot's state with the log lines past it applied; nil when a line past it
    /// adds an item, or reverts a change the snapshot holds (the whole log then decides).
    /// (The snapshot's items are moved into the model, so applying the tail changes them in
    /// place instead of copying every item first.)
    private func continuing(_ snapshot: inout Snapshot, _ tail: Tail, files: TrackerFilesSeen) throws(TrackerError) -> ReadModel? {
        // An addition may continue the sequence of lines before the snapshot about an id it
        // did not have (see `Replay.applyChecked`), which only the whole log holds.
        guard !tail.log.decoded.changes.contains(where: \.kind.isAddition) else { return nil }
        var state = TrackerState(catalogs: snapshot.state.catalogs, sources: snapshot.state.sources, items: [:])
        swap(&state.items, &snapshot.state.items)
        var recent = snapshot.recent
        guard try Replay.apply(
            tail.log.decoded.changes, to: &state, recent: &recent, locate: tail.log.locate, locateLink: linkLocator(tail.log)) != nil
        else { return nil }
        return ReadModel(
            state: state, recent: recent, position: LogPosition(tail.log, after: snapshot), changeIds: tail.changeIds,
            linesPastSnapshot: tail.log.decoded.lineCount, continuesSnapshot: true, digest: snapshot.digest, files: files)
    }

    /// The log lines past a snapshot, and the change ids with theirs added.
    struct Tail {
        var log: LogRead
        var changeIds: ChangeIdSet
    }

    /// The log past `snapshot` when the snapshot still matches the files (see
    /// `docs/data-format.md`, "When the snapshot is used"); nil means "replay": the files
    /// changed behind ptrack's back, or a line past the snapshot repeats an id it holds.
    func snapshotTail(_ snapshot: Snapshot) throws(TrackerError) -> Tail? {
        // The seal is read before the log is looked at: a write in between then shows as a
        // mismatch (a replay), never as a match.
        let note = lockNote()
        let catalogFile = try catalogFingerprint()
        try FileSystem.checkReadable(catalogPath)
        guard snapshot.catalogFile == catalogFile, try isSealed(note), let bytes = try logPastLastLine(of: snapshot) else { return nil }
        let text = SourceText(
            path: changesPath, bytes: Array(bytes[(snapshot.logBytes - snapshot.lastLineOffset)...]), firstLine: snapshot.logLines + 1)
        let log = try decodeLog(text, start: snapshot.logBytes)
        var changeIds = snapshot.changeIds
        var flagged: [String] = []
        for change in log.decoded.changes {
            if snapshot.changeIds.mightContain(change.changeId) { flagged.append(change.changeId) }
            changeIds.insert(change.changeId)
        }
        // The filter's "perhaps" (about one new id in 5,000) is settled by looking for the
        // ids in the covered lines; the tail's own repeats are the replay's to refuse.
        if !flagged.isEmpty, try FileSystem.mayHold(flagged, path: changesPath, before: snapshot.logBytes) { return nil }
        return Tail(log: log, changeIds: changeIds)
    }

    // MARK: Keeping the snapshot

    /// Writes the snapshot of `model` when it had to be replayed, or the snapshot lacks the
    /// data's digest or lies more than ``readerCheckpointLines`` behind: taken by any command
    /// that can take the lock at once and finds the files still as `model` read them, so
    /// the commands after it start from the snapshot. Otherwise (a read-only directory, a
    /// busy lock, files changed meanwhile) nothing is written and nothing is said. Returns
    /// the lock file's epoch after sealing, when it did.
    func keepSnapshot(_ model: ReadModel) -> Int? {
        guard !model.continuesSnapshot || model.digest == nil || model.linesPastSnapshot > readerCheckpointLines,
              let lock = try? FileLock(path: lockPath, timeout: 0)
        else { return nil }
        defer { lock.release() }
        guard (try? filesSeen()) == model.files, !FileSystem.isDirectory(snapshotPath) else { return nil }
        removeTemporaryFiles()
        // The log is the one just read, whole or past a snapshot that matched: the seal may
        // vouch for it.
        do {
            let epoch = try epoch(after: lockNote())
            try refreshSnapshot(model)
            try lock.writeNote(LockNote(seal: try currentSeal(), epoch: epoch).text)
            return epoch
        } catch {
            return nil
        }
    }
}

/// Where a read of the log ended, and the files it read: what a reader that keeps the
/// tracker in memory (the browser) needs to read only the lines appended since.
public struct LogMark: Equatable, Sendable {
    var catalog: FileSystem.Fingerprint?
    var logInode: UInt64?
    /// Bytes of complete lines read.
    public var end: Int
    /// Complete lines read.
    var lines: Int
    /// The lock file's epoch when the log was read (see ``LockNote``).
    var epoch: Int?
}

extension ReadModel {
    /// Where this model's read of the log ended.
    public var mark: LogMark {
        LogMark(catalog: files.catalog, logInode: files.log?.inode, end: position.end, lines: position.lines, epoch: files.epoch)
    }
}

extension TrackerStore {
    /// The changes appended to the log after `mark`, in log order, and the mark after them;
    /// nil when the files changed otherwise, which only a whole read can follow:
    /// `catalog.json` written, the log replaced or cut short, or written by another program
    /// than ptrack (the seal no longer matches it), which may have changed earlier lines.
    public func appended(since mark: LogMark) throws(TrackerError) -> (changes: [Change], mark: LogMark)? {
        let note = lockNote()
        let catalog = try catalogFingerprint()
        guard catalog == mark.catalog, let log = try FileSystem.fingerprint(changesPath), log.inode == mark.logInode,
              log.size >= mark.end, try isSealed(note), note?.epoch == mark.epoch
        else { return nil }
        if mark.end > 0, try FileSystem.read(changesPath, from: mark.end - 1)?.first != 0x0A { return nil }
        let read = try readLog(from: mark.end, firstLine: mark.lines + 1)
        return (read.decoded.changes, LogMark(catalog: catalog, logInode: log.inode, end: read.endOffset, lines: read.endLine, epoch: mark.epoch))
    }

    /// Every change in log order up to `mark`, reverts included: the history that goes with
    /// the read model `mark` came from, whatever was appended since.
    public func history(upTo mark: LogMark) throws(TrackerError) -> [Change] {
        var bytes = try FileSystem.read(changesPath) ?? []
        if bytes.count > mark.end { bytes.removeSubrange(mark.end...) }
        return try decodeLog(SourceText(path: changesPath, bytes: bytes), start: 0).decoded.changes
    }
}
