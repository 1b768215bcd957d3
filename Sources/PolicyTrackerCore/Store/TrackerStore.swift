import Foundation

/// A tracker's data directory: the only code that reads or writes its files. This file is
/// its front (where the files are, initialising a new tracker, reading the catalog and the
/// log); reading is in `ReadModel.swift`, writing in `StoreWriting.swift`.
///
/// Three files hold a tracker (see `docs/data-format.md`): `catalog.json`, the catalog as
/// published; `changes.jsonl`, every change ever recorded, only appended to; and
/// `snapshot.jsonl`, a cache of the replayed log that lets a command skip the history it has
/// already seen. Reading needs no lock and no write access. Writing takes the lock,
/// re-reads what is on disk, appends the new changes with one flushed write, and from time
/// to time refreshes the snapshot, so a mark costs the same however long the history grows.
///
/// After each write the lock file records the log's size, modification and status-change
/// times and inode (its *seal*, see ``LockNote``). A read trusts the snapshot only while the
/// log still matches the seal: any other program that touched the log — an editor, git, a
/// script — changed its status-change time, and the whole log is then replayed and so checked.
public final class TrackerStore {
    /// The data directory.
    public let directory: String
    /// How long a writer waits for another to finish.
    public let lockTimeout: Double
    /// A writer refreshes the snapshot once this many log lines lie beyond it.
    public let checkpointLines: Int
    /// A reader that can take the lock refreshes the snapshot once more than this many log
    /// lines lie beyond it (see ``keepSnapshot(_:)``).
    public let readerCheckpointLines: Int

    /// Called with a sentence when the store repairs or leaves out something on its own, for
    /// the user to see.
    public var onNotice: (String) -> Void = { _ in }

    /// Where long work tells how far it has come (replaying the whole log, writing the
    /// snapshot, streaming the log, checking a report): a terminal can show it.
    public var progress = ProgressSink.silent

    /// Bytes of the log a streamed read (``streamedState(asOf:)``) decodes at a time.
    public var streamPieceBytes = 16 << 20


    /// Whether the user was told of a torn last line of the log (a writer, which removes it,
    /// says so instead).
    var toldOfTornTail = false
    /// The epoch the writer holding the lock seals with (see ``LockNote``), decided when it
    /// took the lock.
    var epochToSeal = 0

    public init(directory: String, lockTimeout: Double = 10, checkpointLines: Int = 256, readerCheckpointLines: Int = 1024) {
        self.directory = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        self.lockTimeout = lockTimeout
        self.checkpointLines = checkpointLines
        self.readerCheckpointLines = readerCheckpointLines
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
        try refreshSnapshot(try replayingWholeLog(files: try filesSeen()))
        try lock.writeNote(LockNote(seal: try currentSeal(), epoch: 0).text)
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

    /// The tracker's present state (see ``readModel()``).
    public func load() throws(TrackerError) -> TrackerState {
        try readModel().state
    }

    /// Every change in log order, reverts included.
    public func history() throws(TrackerError) -> [Change] {
        try progress.run("reading the change log", total: try FileSystem.fingerprint(changesPath)?.size ?? 0, unit: "bytes") {
            counter throws(TrackerError) in try readLog(from: 0, firstLine: 1, progress: counter).decoded.changes
        }
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

    /// Locates links for error messages: in `log`, or in `catalog.json`, read again (only
    /// errors need positions, and its text is not kept while the log is replayed).
    func linkLocator(_ log: LogRead) -> Replay.LinkLocator {
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

    /// The log's size, modification and status-change times and inode, as the lock file
    /// records them (see ``LockNote``).
    func currentSeal() throws(TrackerError) -> String {
        guard let log = try FileSystem.fingerprint(changesPath) else { return "changes.jsonl absent" }
        return "changes.jsonl \(log.size) \(log.modifiedNanoseconds) \(log.changedNanoseconds) \(log.inode)"
    }

    func catalogFingerprint() throws(TrackerError) -> FileSystem.Fingerprint {
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
        return (try BundledAgenda.catalog(), try BundledAgenda.changes())
    }

    func readCatalog() throws(TrackerError) -> CatalogDocument {
        guard let bytes = try FileSystem.read(catalogPath) else { throw TrackerError.notATracker(path: directory) }
        return try CatalogFormat.decode(SourceText(path: catalogPath, bytes: bytes))
    }

    func readLog(from offset: Int, firstLine: Int, progress: ProgressCounter? = nil) throws(TrackerError) -> LogRead {
        let bytes = try FileSystem.read(changesPath, from: offset) ?? []
        return try decodeLog(SourceText(path: changesPath, bytes: bytes, firstLine: firstLine), start: offset, progress: progress)
    }

    /// The log `text` (its bytes from `start` on) decoded. A torn tail is told of once; one
    /// that starts where a snapshot of this log says whole lines were (see
    /// ``vouchedLogBytes()``) is damage to acknowledged lines, and is refused as such.
    func decodeLog(_ text: SourceText, start: Int, progress: ProgressCounter? = nil) throws(TrackerError) -> LogRead {
        let log = LogRead(text: text, start: start, decoded: try ChangeLogFormat.decode(text, progress: progress))
        if log.decoded.tornTailBytes > 0 {
            if start + log.decoded.completeBytes < vouchedLogBytes() {
                throw ChangeLogFormat.problem(ofLineAt: log.decoded.completeBytes, in: text)
            }
            if !toldOfTornTail { tellOfTornTail(log) }
        }
        return log
    }

    /// How many bytes at the start of the log a snapshot of this very file says were whole
    /// lines when it was written and flushed: acknowledged, so never part of a torn tail.
    /// The snapshot must name the log's inode and the last line it covers must still be
    /// there, unchanged; else (no snapshot, the log replaced or edited) zero.
    func vouchedLogBytes() -> Int {
        guard let lookup = SnapshotLookup(path: snapshotPath), (try? logPastLastLine(of: lookup.snapshot)) != nil else { return 0 }
        return lookup.snapshot.logBytes
    }

    /// Says, with its first line shown, that the log ends in a torn tail the reader leaves out.
    private func tellOfTornTail(_ log: LogRead) {
        toldOfTornTail = true
        let line = log.endLine + 1
        let excerpt = log.text.excerpt(line: line, column: nil).map { "\n" + $0 } ?? ""
        onNotice("\(changesPath):\(line): ignoring the incomplete end of the log (\(log.decoded.tornTailBytes) bytes) left by an interrupted write" + excerpt)
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
    public internal(set) var fingerprintsAfterRecord: [FileSystem.Fingerprint?] = []
}
