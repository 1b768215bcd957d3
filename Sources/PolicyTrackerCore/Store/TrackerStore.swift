import Foundation

/// A tracker's data directory: the only code that reads or writes its files.
///
/// Three files hold a tracker (see `docs/data-format.md`): `catalog.json`, the catalog as
/// published; `changes.jsonl`, every change ever recorded, only appended to; and
/// `snapshot.json`, a cache of the replayed log that lets a command skip the history it has
/// already seen. Reading needs no lock and no write access. Writing takes the lock,
/// re-reads what is on disk, appends the new changes with one flushed write, and from time
/// to time refreshes the snapshot, so a mark costs the same however long the history grows.
///
/// After each write the lock file records the log's size, modification and status-change
/// times and inode (its *seal*). A load trusts the snapshot only while the log still matches
/// the seal: any other program that touched the log — an editor, git, a script — changed its
/// status-change time, and the whole log is then replayed and so checked.
public final class TrackerStore {
    /// The data directory.
    public let directory: String
    /// How long a writer waits for another to finish.
    public let lockTimeout: Double
    /// Refresh the snapshot once this many log lines lie beyond it.
    public let checkpointLines: Int

    /// Called with a sentence when the store repairs or leaves out something on its own, for
    /// the user to see.
    public var onNotice: (String) -> Void = { _ in }

    /// Whether the user was told of a torn last line of the log (a writer, which removes it,
    /// says so instead).
    private var toldOfTornTail = false

    public init(directory: String, lockTimeout: Double = 10, checkpointLines: Int = 256) {
        self.directory = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        self.lockTimeout = lockTimeout
        self.checkpointLines = checkpointLines
    }

    public var catalogPath: String { path(TrackerFiles.catalog) }
    public var changesPath: String { path(TrackerFiles.changes) }
    public var snapshotPath: String { path(TrackerFiles.snapshot) }
    var lockPath: String { path(TrackerFiles.lock) }

    func path(_ name: String) -> String { directory + "/" + name }

    // MARK: Initialising

    /// Creates the tracker from the bundled agenda when the directory is missing or empty.
    /// Returns true when it did; fails when the directory has other files but no catalog.
    @discardableResult
    public func initialiseIfNeeded() throws(TrackerError) -> Bool {
        if try FileSystem.fingerprint(catalogPath) != nil { return false }
        // Checked before the lock file is made, so a foreign directory is left untouched.
        guard try isFreshDirectory() else { throw TrackerError.notATracker(path: directory) }
        try FileSystem.createDirectory(directory)
        let lock = try FileLock(path: lockPath, timeout: lockTimeout)
        defer { lock.release() }
        if try FileSystem.fingerprint(catalogPath) != nil { return false }
        guard try isFreshDirectory() else { throw TrackerError.notATracker(path: directory) }
        removeTemporaryFiles()
        // The catalog is written last: its presence is what marks a finished tracker.
        try FileSystem.replaceAtomically(changesPath, with: BundledAgenda.changesBytes)
        try FileSystem.replaceAtomically(catalogPath, with: BundledAgenda.catalogBytes)
        _ = try refreshSnapshot(loadingFully())
        try lock.writeNote(try currentSeal())
        return true
    }

    /// Empty, or holding only what an interrupted initialisation leaves (the lock, temporary
    /// files and a log that is a prefix of the bundled one) and git's files.
    private func isFreshDirectory() throws(TrackerError) -> Bool {
        for name in try FileSystem.contents(directory) ?? [] {
            switch name {
            case TrackerFiles.lock, TrackerFiles.snapshot, TrackerFiles.legacySnapshot: continue
            case TrackerFiles.changes:
                let bytes = try FileSystem.read(changesPath) ?? []
                if !BundledAgenda.changesBytes.starts(with: bytes) { return false }
            default:
                if !FileSystem.isTemporaryName(name), !TrackerFiles.gitFiles.contains(name) { return false }
            }
        }
        return true
    }

    // MARK: Reading

    /// The tracker's present state, from the snapshot and the log lines past it when the
    /// snapshot still matches the files, else by replaying the whole log.
    public func load() throws(TrackerError) -> TrackerState {
        try loadView().state
    }

    /// Every change in log order, reverts included.
    public func history() throws(TrackerError) -> [Change] {
        try readLog(from: 0, firstLine: 1).decoded.changes
    }

    /// The state as of a date: the whole log replayed, counting status changes that
    /// happened on or before `date`.
    public func state(asOf date: PolicyDate) throws(TrackerError) -> TrackerState {
        try stateAndHistory(asOf: date).state
    }

    /// The state as of a date and the history it was replayed from, the log read once.
    public func stateAndHistory(asOf date: PolicyDate) throws(TrackerError) -> (state: TrackerState, history: [Change]) {
        let catalog = try readCatalog()
        let log = try readLog(from: 0, firstLine: 1)
        let changes = log.decoded.changes
        let state = try Replay.state(catalog: catalog, changes: changes, asOf: date, locate: log.locate, locateLink: linkLocator(log))
        return (state, changes)
    }

    /// The state and the latest status transitions, as far as the snapshot knows them
    /// without the history (nil when it cannot tell; see ``RecentTransitions``).
    public func loadWithRecent() throws(TrackerError) -> (state: TrackerState, recent: RecentTransitions?) {
        let view = try loadView()
        return (view.state, view.recent)
    }

    /// What a load saw: the state, and where the log ended, so a writer knows where to append.
    struct View {
        var state: TrackerState
        var log: LogRead
        /// Every change id in the log, as far as it was read.
        var changeIds: ChangeIdSet
        /// The latest status transitions, when known.
        var recent: RecentTransitions?
        /// Complete log lines past the snapshot (all of them when there was none).
        var linesPastSnapshot: Int
        var snapshotWasUsable: Bool
        /// The snapshot's part-way digest of the data, when the view continues a snapshot.
        var digest: DataDigest?

        /// Applies changes read or written after the view was taken.
        mutating func apply(_ changes: [Change]) {
            for change in changes {
                if let item = state.items[change.recommendationId] { recent = recent?.adding(change, over: item) }
                Replay.apply(change, to: &state)
            }
        }
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

    /// Locates links for error messages: in `log`, or in `catalog.json`, read again (only
    /// errors need positions, and its text is not kept while the log is replayed).
    private func linkLocator(_ log: LogRead) -> Replay.LinkLocator {
        { [catalogPath] site, target, message in
            switch site {
            case .catalog(let index):
                let bytes = (try? FileSystem.read(catalogPath)) ?? nil
                return CatalogFormat.problem(in: SourceText(path: catalogPath, bytes: bytes ?? []), recommendation: index, linkTo: target, message)
            case let .change(index, member):
                return ChangeLogFormat.problem(in: log.text, changeIndex: index, member: member, linkTo: target, message)
            }
        }
    }

    func loadView() throws(TrackerError) -> View {
        if var found = try snapshotAndTail(readSnapshot), let view = try? continueFrom(&found.0, found.1) {
            return view
        }
        return try loadingFully()
    }

    /// The snapshot `read` gives and the log past it, when the snapshot still matches the
    /// files (see `docs/data-format.md`, "When the snapshot is used"); nil means "replay".
    func snapshotAndTail(_ read: () -> Snapshot?) throws(TrackerError) -> (Snapshot, Tail)? {
        // The seal is read before the log is looked at: a write in between then shows as a
        // mismatch (a replay), never as a match.
        let seal = try? FileSystem.read(lockPath)
        let catalogFile = try catalogFingerprint()
        try FileSystem.checkReadable(catalogPath)
        guard let snapshot = read(), snapshot.catalogFile == catalogFile,
              let seal, seal == Array(try currentSeal().utf8),
              let tail = try? logTail(after: snapshot)
        else { return nil }
        return (snapshot, tail)
    }

    /// The log lines past a snapshot, and the change ids with theirs added.
    struct Tail {
        var log: LogRead
        var changeIds: ChangeIdSet
    }

    /// The log past `snapshot`; nil when the log no longer starts as the snapshot saw it, or
    /// the new lines hold a revert or an id the snapshot may have seen (a full replay then
    /// decides).
    private func logTail(after snapshot: Snapshot) throws(TrackerError) -> Tail? {
        guard try FileSystem.fingerprint(changesPath)?.inode ?? 0 == snapshot.logInode,
              let bytes = try FileSystem.read(changesPath, from: snapshot.lastLineOffset),
              snapshot.logBytes >= snapshot.lastLineOffset,
              bytes.count >= snapshot.logBytes - snapshot.lastLineOffset,
              Snapshot.hash(bytes[0..<(snapshot.logBytes - snapshot.lastLineOffset)]) == snapshot.lastLineHash
        else { return nil }
        let tail = SourceText(path: changesPath, bytes: Array(bytes[(snapshot.logBytes - snapshot.lastLineOffset)...]), firstLine: snapshot.logLines + 1)
        let log = try decodeLog(tail, start: snapshot.logBytes)
        // A revert of a change past the snapshot is replayed with the tail; one of an earlier
        // change would change what the snapshot holds.
        let tailIds = Set(log.decoded.changes.map(\.changeId))
        for change in log.decoded.changes {
            if case .revert(let target) = change.kind, !tailIds.contains(target) { return nil }
        }
        var changeIds = snapshot.changeIds
        for change in log.decoded.changes {
            if changeIds.mightContain(change.changeId) { return nil }
            changeIds.insert(change.changeId)
        }
        return Tail(log: log, changeIds: changeIds)
    }

    /// The log's size, modification and status-change times and inode, as the lock file
    /// records them.
    private func currentSeal() throws(TrackerError) -> String {
        guard let log = try FileSystem.fingerprint(changesPath) else { return "changes.jsonl absent\n" }
        return "changes.jsonl \(log.size) \(log.modifiedNanoseconds) \(log.changedNanoseconds) \(log.inode)\n"
    }

    private func loadingFully() throws(TrackerError) -> View {
        let catalog = try readCatalog()
        let log = try readLog(from: 0, firstLine: 1)
        let changes = log.decoded.changes
        let state = try Replay.state(catalog: catalog, changes: changes, locate: log.locate, locateLink: linkLocator(log))
        return View(
            state: state, log: log, changeIds: ChangeIdSet(changes.map(\.changeId)), recent: RecentTransitions(history: changes),
            linesPastSnapshot: log.decoded.lineCount, snapshotWasUsable: false)
    }

    /// The snapshot's state with the log lines past it applied.
    /// (The snapshot's items are moved into the view, so applying the tail changes them in
    /// place instead of copying every item first.)
    private func continueFrom(_ snapshot: inout Snapshot, _ tail: Tail) throws(TrackerError) -> View {
        var state = TrackerState(catalogs: snapshot.state.catalogs, sources: snapshot.state.sources, items: [:])
        swap(&state.items, &snapshot.state.items)
        var view = View(
            state: state, log: tail.log, changeIds: tail.changeIds, recent: snapshot.recent,
            linesPastSnapshot: tail.log.decoded.lineCount, snapshotWasUsable: true, digest: snapshot.digest)
        let changes = tail.log.decoded.changes
        try Replay.validate(changes, against: &view.state, locate: tail.log.locate, locateLink: linkLocator(tail.log))
        let cancelled = Replay.cancelledChangeIds(changes)
        view.apply(changes.filter { !cancelled.contains($0.changeId) })
        return view
    }

    private func catalogFingerprint() throws(TrackerError) -> FileSystem.Fingerprint {
        guard let fingerprint = try FileSystem.fingerprint(catalogPath) else {
            if FileSystem.isDirectory(directory) { throw TrackerError.notATracker(path: directory) }
            throw TrackerError.io(path: directory, message: "no such data directory")
        }
        return fingerprint
    }

    /// `catalog.json` as published, before any change.
    public func catalogDocument() throws(TrackerError) -> CatalogDocument {
        try readCatalog()
    }

    /// Whether the directory holds a tracker (a `catalog.json`) already.
    public var isInitialised: Bool {
        ((try? FileSystem.fingerprint(catalogPath)) ?? nil) != nil
    }

    /// `catalog.json` and every change, as they are, or, for a directory that a write would
    /// first fill with the bundled agenda (see ``initialiseIfNeeded()``), as it would then be:
    /// what a preview compares against, creating nothing.
    public func catalogAndHistory() throws(TrackerError) -> (catalog: CatalogDocument, history: [Change]) {
        guard try FileSystem.fingerprint(catalogPath) == nil, try isFreshDirectory() else { return (try readCatalog(), try history()) }
        let catalog = try CatalogFormat.decode(SourceText(path: TrackerFiles.catalog, bytes: BundledAgenda.catalogBytes))
        return (catalog, try ChangeLogFormat.decode(SourceText(path: TrackerFiles.changes, bytes: BundledAgenda.changesBytes)).changes)
    }

    func readCatalog() throws(TrackerError) -> CatalogDocument {
        guard let bytes = try FileSystem.read(catalogPath) else { throw TrackerError.notATracker(path: directory) }
        return try CatalogFormat.decode(SourceText(path: catalogPath, bytes: bytes))
    }

    func readLog(from offset: Int, firstLine: Int) throws(TrackerError) -> LogRead {
        let bytes = try FileSystem.read(changesPath, from: offset) ?? []
        return try decodeLog(SourceText(path: changesPath, bytes: bytes, firstLine: firstLine), start: offset)
    }

    private func decodeLog(_ text: SourceText, start: Int) throws(TrackerError) -> LogRead {
        let log = LogRead(text: text, start: start, decoded: try ChangeLogFormat.decode(text))
        if log.decoded.tornTailBytes > 0, !toldOfTornTail { tellOfTornTail(log) }
        return log
    }

    /// Says, with the line shown, that the log ends in a torn line the reader leaves out.
    private func tellOfTornTail(_ log: LogRead) {
        toldOfTornTail = true
        let line = log.endLine + 1
        let excerpt = log.text.excerpt(line: line, column: nil).map { "\n" + $0 } ?? ""
        onNotice("\(changesPath):\(line): ignoring an incomplete last line (\(log.decoded.tornTailBytes) bytes) left by an interrupted write" + excerpt)
    }

    /// The snapshot, or nil when it is missing, unreadable or of another version: it is a
    /// cache, so any doubt means "replay".
    private func readSnapshot() -> Snapshot? {
        guard let file = try? FileSystem.map(snapshotPath) else { return nil }
        return try? SnapshotFormat.decode(file.bytes, path: snapshotPath)
    }

    // MARK: Watching

    /// The fingerprints of `catalog.json` and `changes.jsonl` (nil for one missing or out
    /// of reach): a reader that keeps them notices any change another program makes.
    public func fingerprints() -> [FileSystem.Fingerprint?] {
        [catalogPath, changesPath].map { (try? FileSystem.fingerprint($0)) ?? nil }
    }

    /// ``fingerprints()`` as the last successful ``record(_:)`` or ``record(about:_:)`` left
    /// the files, taken under its lock, so that a change another process makes as soon as
    /// the lock is released still shows as a difference.
    public private(set) var fingerprintsAfterRecord: [FileSystem.Fingerprint?] = []

    // MARK: Writing

    /// What a writer sees under the lock: the state as it is on disk now.
    public struct WriteContext {
        public let state: TrackerState
        let store: TrackerStore

        /// Every change in log order (read on demand: most writes do not need it).
        public func history() throws(TrackerError) -> [Change] { try store.history() }

        /// What ``ChangeFactory/undo(_:history:)`` needs to revert `changeId`: the whole log
        /// for a named change; for the latest change in effect (nil), only the end of the log,
        /// back to that change, since whether a change is reverted depends only on the lines
        /// after it.
        public func history(forUndoOf changeId: String?) throws(TrackerError) -> [Change] {
            guard changeId == nil else { return try history() }
            return try store.logSuffix { changes in
                let cancelled = Replay.cancelledChangeIds(changes)
                return changes.contains { !$0.kind.isRevert && !cancelled.contains($0.changeId) }
            }
        }
    }

    /// The shortest run of whole lines at the end of the log (read in growing pieces) for
    /// which `isEnough` holds, else the whole log. A piece that does not decode is read again
    /// as the whole log, which words the error with its true line.
    func logSuffix(until isEnough: ([Change]) -> Bool) throws(TrackerError) -> [Change] {
        let size = try FileSystem.fingerprint(changesPath)?.size ?? 0
        var length = 1 << 16
        while length < size {
            guard let bytes = try FileSystem.read(changesPath, from: size - length),
                  let firstNewline = bytes.firstIndex(of: 0x0A),
                  let decoded = try? ChangeLogFormat.decode(SourceText(path: changesPath, bytes: Array(bytes[(firstNewline + 1)...])))
            else { break }
            if isEnough(decoded.changes) { return decoded.changes }
            length *= 4
        }
        return try history()
    }

    /// Takes the lock, re-reads the tracker, asks `makeChanges` what to record, and appends
    /// those changes durably. Returns the state after them. Nothing is written when
    /// `makeChanges` throws or returns no change.
    @discardableResult
    public func record(_ makeChanges: (WriteContext) throws(TrackerError) -> [Change]) throws(TrackerError) -> TrackerState {
        try withWriteLock { lock throws(TrackerError) in try recordLocked(lock, makeChanges) }
    }

    /// Records changes about the one item `query` names (an id or a unique prefix, as
    /// ``Lookup/item(_:in:)`` resolves it), made by `makeChanges` from the item as it stands.
    /// The same as ``record(_:)``, but while the snapshot is current only that item's line is
    /// read from it, so a mark costs the same at any size. Returns the item after the changes.
    @discardableResult
    public func record(about query: String, _ makeChanges: (Item) throws(TrackerError) -> [Change]) throws(TrackerError) -> Item {
        try withWriteLock { lock throws(TrackerError) in
            if let item = try recordQuickly(about: query, lock, makeChanges) { return item }
            var id = ""
            let state = try recordLocked(lock) { context throws(TrackerError) in
                let item = try Lookup.item(query, in: context.state)
                id = item.id
                return try makeChanges(item)
            }
            return state.items[id]!
        }
    }

    /// Takes the lock, reads `catalog.json` and the whole log afresh, and has `plan` work out
    /// an import from them and the state they replay to (see ``ImportPlan``). Writes the plan's `catalog.json`, when it has
    /// one, by atomic replace, then appends its changes. An import interrupted in between
    /// leaves a sound tracker with the new recommendations and without the changes, which
    /// importing the same file again appends. Returns the plan.
    @discardableResult
    public func importing(
        _ plan: (CatalogDocument, [Change], TrackerState) throws(TrackerError) -> ImportPlan
    ) throws(TrackerError) -> ImportPlan {
        try withWriteLock { lock throws(TrackerError) in
            let view = try loadingFully()
            let result = try plan(try readCatalog(), view.log.decoded.changes, view.state)
            if let catalog = result.catalog {
                try FileSystem.replaceAtomically(catalogPath, with: Array(CatalogFormat.encode(catalog).utf8))
            }
            if !result.changes.isEmpty {
                try append(result.changes, after: view.log)
                sealAfterSaving(lock)
            }
            if !result.isEmpty {
                afterSaving("the snapshot could not be updated") { () throws(TrackerError) in _ = try refreshSnapshot(try loadingFully()) }
            }
            return result
        }
    }

    /// Runs `body` under the lock, after initialising a new tracker and ``prepareToWrite()``;
    /// then, still under the lock, notes ``fingerprintsAfterRecord``.
    private func withWriteLock<Result>(_ body: (FileLock) throws(TrackerError) -> Result) throws(TrackerError) -> Result {
        try initialiseIfNeeded()
        let lock = try FileLock(path: lockPath, timeout: lockTimeout)
        defer { lock.release() }
        try prepareToWrite()
        let result = try body(lock)
        fingerprintsAfterRecord = fingerprints()
        return result
    }

    /// What a writer does first, under the lock: removes what dead writers left, and refuses
    /// a directory where the snapshot is, which it could not replace after appending.
    private func prepareToWrite() throws(TrackerError) {
        removeTemporaryFiles()
        if FileSystem.isDirectory(snapshotPath) { throw TrackerError.io(path: snapshotPath, message: "is a directory, not a file") }
        toldOfTornTail = true
    }

    private func recordLocked(
        _ lock: FileLock, _ makeChanges: (WriteContext) throws(TrackerError) -> [Change]
    ) throws(TrackerError) -> TrackerState {
        var view = try loadView()
        let changes = try makeChanges(WriteContext(state: view.state, store: self))
        guard !changes.isEmpty else { return view.state }
        try append(changes, after: view.log)
        sealAfterSaving(lock)
        if view.changeIds.isOverfull {
            view = try loadingFully()
        } else if changes.contains(where: { $0.kind.isRevert }) {
            // The files again: from the snapshot when the reverted change lies past it.
            view = try loadView()
        } else {
            for change in changes { view.changeIds.insert(change.changeId) }
            view.apply(changes)
            view = try loadAfterAppend(view, adding: changes.count)
        }
        // A snapshot without the data's digest (made by an earlier version) is replaced too.
        if view.linesPastSnapshot >= checkpointLines || !view.snapshotWasUsable || view.digest == nil {
            afterSaving("the snapshot could not be updated") { () throws(TrackerError) in _ = try refreshSnapshot(view) }
        }
        return view.state
    }

    /// ``record(about:_:)`` through the snapshot's index (see ``indexedItem(_:)``): nil,
    /// having written nothing, when the index cannot serve (the full path then decides, and
    /// words any error).
    private func recordQuickly(
        about query: String, _ lock: FileLock, _ makeChanges: (Item) throws(TrackerError) -> [Change]
    ) throws(TrackerError) -> Item? {
        guard let found = try indexedItem(query) else { return nil }
        let (id, snapshot, tail) = (found.id, found.snapshot, found.tail)
        var state = found.state
        let changes = try makeChanges(state.items[id]!)
        guard !changes.isEmpty else { return state.items[id] }
        precondition(changes.allSatisfy { $0.recommendationId == id && !$0.kind.isRevert && !$0.kind.isAddition }, "changes about another item")
        try append(changes, after: tail.log)
        sealAfterSaving(lock)
        for change in changes { Replay.apply(change, to: &state) }
        if tail.log.decoded.lineCount + changes.count >= checkpointLines || snapshot.digest == nil {
            afterSaving("the snapshot could not be updated") { () throws(TrackerError) in _ = try refreshSnapshot(try loadView()) }
        }
        return state.items[id]
    }

    /// Appends the lines in one write and flushes them. A torn last line left by an
    /// interrupted append is cut away first; a last line missing only its newline gets one.
    private func append(_ changes: [Change], after log: LogRead) throws(TrackerError) {
        var text = changes.map { ChangeLogFormat.encodeLine($0) + "\n" }.joined()
        let end = log.endOffset
        if end > 0, try FileSystem.read(changesPath, from: end - 1)?.first != 0x0A { text = "\n" + text }
        if log.decoded.tornTailBytes > 0 {
            onNotice("\(changesPath): removed an incomplete last line (\(log.decoded.tornTailBytes) bytes) left by an interrupted write")
        }
        let isNew = try FileSystem.fingerprint(changesPath) == nil
        try FileSystem.append(Array(text.utf8), to: changesPath, truncatingTo: end)
        if isNew { try FileSystem.syncDirectory(directory) }
    }

    /// Once its lines are in the log and flushed, a change is saved: the seal and the
    /// snapshot only spare later reads work, so failing to update them is a notice, never an
    /// error that would call a saved change unsaved. Readers then find them out of date and
    /// read the log instead.
    private func afterSaving(_ failure: String, _ update: () throws(TrackerError) -> Void) {
        do { try update() } catch {
            onNotice("saved, but \(failure) (\(error.description)); later commands read the log instead")
        }
    }

    /// Writes the seal of the log just appended to (see ``afterSaving(_:_:)``).
    private func sealAfterSaving(_ lock: FileLock) {
        afterSaving("the lock file's seal could not be written") { () throws(TrackerError) in try lock.writeNote(try currentSeal()) }
    }

    /// The view after appending: the state already has the changes; only the log position moves.
    private func loadAfterAppend(_ view: View, adding count: Int) throws(TrackerError) -> View {
        var result = view
        result.log = try readLog(from: view.log.start, firstLine: view.log.text.firstLine)
        result.linesPastSnapshot = view.linesPastSnapshot + count
        return result
    }

    /// Writes a snapshot of `view` and returns its state.
    private func refreshSnapshot(_ view: View) throws(TrackerError) -> TrackerState {
        let log = view.log
        let bytes = log.text.bytes
        let coveredEnd = log.decoded.completeBytes
        var lastLineStart = coveredEnd == 0 ? 0 : coveredEnd - 1
        while lastLineStart > 0, bytes[lastLineStart - 1] != 0x0A { lastLineStart -= 1 }
        // The window is lost only when a change was recorded out of order; the log then tells.
        var recent = view.recent
        if recent == nil { recent = RecentTransitions(history: try history()) }
        let catalogFile = try catalogFingerprint()
        let snapshot = Snapshot(
            catalogFile: catalogFile, logInode: try FileSystem.fingerprint(changesPath)?.inode ?? 0,
            logBytes: log.endOffset, logLines: log.endLine,
            lastLineOffset: log.start + lastLineStart, lastLineHash: Snapshot.hash(bytes[lastLineStart..<coveredEnd]),
            changeIds: view.changeIds, recent: recent,
            itemCount: view.state.items.count, state: view.state,
            digest: try dataDigest(carrying: view.digest, catalogFile: catalogFile, logEnd: log.endOffset))
        try FileSystem.replaceAtomically(snapshotPath, with: SnapshotFormat.encode(snapshot))
        unlink(path(TrackerFiles.legacySnapshot))
        return view.state
    }

    /// Temporary files found while holding the lock were left by a writer that died.
    private func removeTemporaryFiles() {
        for name in (try? FileSystem.contents(directory)) ?? [] where FileSystem.isTemporaryName(name) {
            unlink(path(name))
        }
    }
}
