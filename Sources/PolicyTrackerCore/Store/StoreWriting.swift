import Foundation

/// What a write did: the lines it appended, and each item they are about as it stood just
/// before and just after them.
public struct WriteResult {
    /// The changes appended, in log order; empty when there was nothing to record.
    public var changes: [Change]
    /// Each item the changes are about, in the order they first name it.
    public var items: [ItemChange]
    /// The whole tracker after the write, when the writer read it whole; nil when only the
    /// items the write is about were read (through the snapshot's index).
    public var model: ReadModel?

    /// The item `id` after the write, if the write was about it and the tracker has it.
    public func after(_ id: String) -> Item? {
        items.first { $0.id == id }?.after
    }
}

/// One item before and after a write.
public struct ItemChange: Equatable, Sendable {
    public var id: String
    /// Nil for an item the write added.
    public var before: Item?
    /// Nil for an item the tracker no longer has (an addition reverted).
    public var after: Item?

    public init(id: String, before: Item?, after: Item?) {
        self.id = id
        self.before = before
        self.after = after
    }
}

/// What a writer reads under the lock, as much as it asks for: one item through the
/// snapshot's index while that can serve, else the whole tracker. Everything it returns is
/// the tracker as it is on disk now.
public final class WriteContext {
    let store: TrackerStore
    /// The whole tracker, once something needed it.
    private(set) var model: ReadModel?
    /// The snapshot's index with the log past it, while only items were asked for.
    private(set) var index: IndexedTail?

    init(store: TrackerStore) {
        self.store = store
    }

    /// The item `query` names (an id or a unique prefix, as ``Lookup/item(_:in:)`` resolves
    /// it): read alone through the snapshot's index when it can serve, else from the whole
    /// tracker, which words any error.
    public func item(_ query: String) throws(TrackerError) -> Item {
        if model == nil {
            if index == nil { index = try IndexedTail(store) }
            if let index, let id = index.resolve(query), let item = index.item(id) { return item }
        }
        return try Lookup.item(query, in: try state())
    }

    /// The whole tracker's state.
    public func state() throws(TrackerError) -> TrackerState {
        try wholeModel().state
    }

    func wholeModel() throws(TrackerError) -> ReadModel {
        if let model { return model }
        let read = try store.currentModel()
        model = read
        return read
    }

    /// Every change in log order (read on demand: most writes do not need it).
    public func history() throws(TrackerError) -> [Change] { try store.history() }

    /// What ``ChangeFactory/undo(_:history:)`` needs to revert `changeId`: the whole log
    /// for a named change; for the latest change in effect (nil), only the end of the log,
    /// back to that change, since whether a change is reverted depends only on the lines
    /// after it.
    public func history(forUndoOf changeId: String?) throws(TrackerError) -> [Change] {
        guard changeId == nil else { return try history() }
        return try store.logSuffix(before: try position().end) { changes in
            let cancelled = Replay.cancelledChangeIds(changes)
            return changes.contains { !$0.kind.isRevert && !cancelled.contains($0.changeId) }
        }
    }

    /// The items `ids` as they stand (nil for one the tracker lacks): through the index while
    /// only items were read and it has them all, else from the whole tracker.
    func items(_ ids: [String]) throws(TrackerError) -> [String: Item?] {
        if let found = indexedItems(ids) { return found }
        return try wholeModel().state.items(ids)
    }

    /// The items `ids` through the snapshot's index alone, with `changes` applied after the
    /// lines past the snapshot; nil when the whole tracker was read, or the index cannot tell.
    func indexedItems(_ ids: [String], appending changes: [Change] = []) -> [String: Item?]? {
        guard model == nil, let index else { return nil }
        var found: [String: Item?] = [:]
        for id in ids {
            guard index.lookup.contains(id), let item = index.item(id, then: changes) else { return nil }
            found[id] = item
        }
        return found
    }

    /// Where the log ends for the writer to append: from the snapshot's index while the
    /// whole tracker was not read (an undo reads only the end of the log), else the model's.
    func position() throws(TrackerError) -> LogPosition {
        if model == nil {
            if index == nil { index = try IndexedTail(store) }
            if let index { return index.position }
        }
        return try wholeModel().position
    }
}

extension TrackerState {
    /// The items `ids`, each nil when the tracker lacks it.
    func items(_ ids: [String]) -> [String: Item?] {
        Dictionary(uniqueKeysWithValues: ids.map { ($0, items[$0]) })
    }
}

extension TrackerStore {
    /// The one way to write: takes the lock, lets `makeChanges` read what it needs of the
    /// tracker as it is on disk now (``WriteContext``) and say what to record, appends those
    /// changes with one flushed write, and returns what it did. Nothing is written when
    /// `makeChanges` throws or returns no change.
    @discardableResult
    public func record(_ makeChanges: (WriteContext) throws(TrackerError) -> [Change]) throws(TrackerError) -> WriteResult {
        try withWriteLock { lock throws(TrackerError) in
            let context = WriteContext(store: self)
            let changes = try makeChanges(context)
            guard !changes.isEmpty else { return WriteResult(changes: [], items: [], model: context.model) }
            var ids: [String] = []
            for change in changes where !change.recommendationId.isEmpty && !ids.contains(change.recommendationId) {
                ids.append(change.recommendationId)
            }
            let position = try context.position()
            let before = try context.items(ids)
            let lines = try append(changes, at: position)
            sealAfterSaving(lock)
            // Saved: what follows only reads back, and a failure is a notice, not an error.
            var after: [String: Item?] = [:]
            var model: ReadModel?
            afterSaving("the tracker could not be read back") { () throws(TrackerError) in
                (after, model) = try itemsAfter(ids, changes, lines, context)
            }
            return WriteResult(
                changes: changes, items: ids.map { ItemChange(id: $0, before: before[$0] ?? nil, after: after[$0] ?? nil) }, model: model)
        }
    }

    /// The items `ids` after `changes` were appended as `lines`: from the index when the
    /// writer read only items (the snapshot refreshed from the files when it is due),
    /// else from the whole tracker, applied in place or read again; with that tracker.
    private func itemsAfter(
        _ ids: [String], _ changes: [Change], _ lines: [UInt8], _ context: WriteContext
    ) throws(TrackerError) -> ([String: Item?], ReadModel?) {
        if let index = context.index, let items = context.indexedItems(ids, appending: changes) {
            if index.tail.log.decoded.lineCount + changes.count >= checkpointLines || index.snapshot.digest == nil {
                afterSaving("the snapshot could not be updated") { () throws(TrackerError) in try refreshSnapshot(try currentModel()) }
            }
            return (items, nil)
        }
        var model = try context.wholeModel()
        if !model.applyAppended(changes, lines: lines) { model = try currentModel() }
        // A snapshot without the data's digest (made by an earlier version) is replaced too.
        if model.linesPastSnapshot >= checkpointLines || !model.continuesSnapshot || model.digest == nil {
            afterSaving("the snapshot could not be updated") { () throws(TrackerError) in try refreshSnapshot(model) }
        }
        return (model.state.items(ids), model)
    }

    /// Takes the lock, reads `catalog.json` and the whole log afresh, and has `plan` work out
    /// what to write from them and the state they replay to (an import, see ``ImportPlan``,
    /// or an update of the bundled agenda, see ``AgendaUpdate``). Writes the plan's
    /// `catalog.json`, when it has one, by atomic replace, then appends its changes. A write
    /// interrupted in between leaves a sound tracker with the new catalog and without the
    /// changes, which running the same command again appends (as it appends those a power
    /// cut during the append took, when it left the first ones). Returns the plan.
    @discardableResult
    public func importing<Plan: CatalogAndLogPlan>(
        _ plan: (CatalogDocument, [Change], TrackerState) throws(TrackerError) -> Plan
    ) throws(TrackerError) -> Plan {
        try withWriteLock { lock throws(TrackerError) in
            let files = try filesSeen()
            let catalog = try readCatalog()
            let (log, state) = try replayedLog(catalog, size: files.log?.size ?? 0)
            let result = try plan(catalog, log.decoded.changes, state)
            if let catalog = result.catalog {
                try FileSystem.replaceAtomically(catalogPath, with: Array(CatalogFormat.encode(catalog).utf8))
            }
            if !result.changes.isEmpty {
                _ = try append(result.changes, at: LogPosition(log))
                sealAfterSaving(lock)
            }
            if !result.isEmpty {
                afterSaving("the snapshot could not be updated") { () throws(TrackerError) in
                    try refreshSnapshot(try replayingWholeLog(files: files))
                }
            }
            return result
        }
    }

    /// Runs `body` under the lock, after initialising a new tracker and ``prepareToWrite()``;
    /// then, still under the lock, notes ``fingerprintsAfterRecord``.
    func withWriteLock<Result>(_ body: (FileLock) throws(TrackerError) -> Result) throws(TrackerError) -> Result {
        try initialiseIfNeeded()
        let lock = try FileLock(path: lockPath, timeout: lockTimeout)
        defer { lock.release() }
        epochToSeal = try epoch(after: lockNote())
        try prepareToWrite()
        try declareVocabulariesIfOlder()
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

    /// Rewrites a `catalog.json` of an earlier schema version in the current one, under the
    /// lock, before the first write of this version: each catalog gains the vocabulary it
    /// was read with (see ``CatalogDocument/completeVocabularies(undeclared:)``) and every
    /// value the log's additions and edits gave its items. The file is replaced atomically
    /// and only once it was read whole; one that cannot be read is left as it is.
    private func declareVocabulariesIfOlder() throws(TrackerError) {
        guard let version = try CatalogFormat.writtenVersion(at: catalogPath), version < SchemaVersion.current else { return }
        var catalog = try readCatalog()
        let (_, state) = try replayedLog(catalog, size: try FileSystem.fingerprint(changesPath)?.size ?? 0)
        catalog.declareValues(of: state)
        try FileSystem.replaceAtomically(catalogPath, with: Array(CatalogFormat.encode(catalog).utf8))
    }

    /// The shortest run of whole lines before byte `end` of the log (where its whole lines
    /// end: a torn tail past it is never read as changes), read in growing pieces, for which
    /// `isEnough` holds; else the whole log. A piece that does not decode is read again as the
    /// whole log, which words the error with its true line.
    func logSuffix(before end: Int, until isEnough: ([Change]) -> Bool) throws(TrackerError) -> [Change] {
        guard let log = try FileSystem.openForReading(changesPath) else { return [] }
        var length = 1 << 16
        while length < end {
            // Only the piece itself is read: not the rest of the file, torn tail included.
            let bytes = log.bytes(end - length..<end)
            guard bytes.count == length, let firstNewline = bytes.firstIndex(of: 0x0A),
                  let decoded = try? ChangeLogFormat.decode(SourceText(path: changesPath, bytes: Array(bytes[(firstNewline + 1)...])))
            else { break }
            if isEnough(decoded.changes) { return decoded.changes }
            length *= 4
        }
        return try history()
    }

    /// Appends the lines in one write at `position` and flushes them, and returns the bytes
    /// written. A torn tail left by an interrupted append (see ``ChangeLogFormat/Decoded/tornTailBytes``)
    /// is cut away first; a last line missing only its newline gets one.
    private func append(_ changes: [Change], at position: LogPosition) throws(TrackerError) -> [UInt8] {
        var text = changes.map { ChangeLogFormat.encodeLine($0) + "\n" }.joined()
        let end = position.end
        if end > 0, try FileSystem.read(changesPath, from: end - 1)?.first != 0x0A { text = "\n" + text }
        if position.tornTailBytes > 0 {
            onNotice("\(changesPath): removed the incomplete end of the log (\(position.tornTailBytes) bytes) left by an interrupted write")
        }
        let isNew = try FileSystem.fingerprint(changesPath) == nil
        let bytes = Array(text.utf8)
        try FileSystem.append(bytes, to: changesPath, truncatingTo: end)
        if isNew { try FileSystem.syncDirectory(directory) }
        return bytes
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

    /// Writes the seal of the log just appended to (see ``afterSaving(_:_:)``), with the
    /// epoch moved on when the writer found the seal broken (see ``LockNote``).
    private func sealAfterSaving(_ lock: FileLock) {
        afterSaving("the lock file's seal could not be written") { () throws(TrackerError) in
            try lock.writeNote(LockNote(seal: try currentSeal(), epoch: epochToSeal).text)
        }
    }

    /// Writes a snapshot of `model`.
    func refreshSnapshot(_ model: ReadModel) throws(TrackerError) {
        try progress.run("writing the snapshot", total: model.state.items.count, unit: "items") { counter throws(TrackerError) in
            try writeSnapshot(model, progress: counter)
        }
    }

    private func writeSnapshot(_ model: ReadModel, progress: ProgressCounter) throws(TrackerError) {
        let position = model.position
        // The window is lost only when a change was recorded out of order; the log then tells.
        var recent = model.recent
        if recent == nil { recent = RecentTransitions(history: try history()) }
        let catalogFile = try catalogFingerprint()
        let snapshot = Snapshot(
            catalogFile: catalogFile, logInode: try FileSystem.fingerprint(changesPath)?.inode ?? 0,
            logBytes: position.end, logLines: position.lines,
            lastLineOffset: position.lastLineOffset, lastLineHash: position.lastLineHash,
            changeIds: model.changeIds, recent: recent,
            itemCount: model.state.items.count, state: model.state,
            digest: try dataDigest(carrying: model.digest, catalogFile: catalogFile, logEnd: position.end))
        try FileSystem.replaceAtomically(snapshotPath, with: SnapshotFormat.encode(snapshot, progress: progress))
        unlink(path(TrackerFiles.legacySnapshot))
    }

    /// Temporary files found while holding the lock were left by a writer that died.
    func removeTemporaryFiles() {
        for name in (try? FileSystem.contents(directory)) ?? [] where FileSystem.isTemporaryName(name) {
            unlink(path(name))
        }
    }
}

/// What a write that may replace `catalog.json` and append to the log will do (see
/// ``TrackerStore/importing(_:)``).
public protocol CatalogAndLogPlan {
    /// `catalog.json` afterwards; nil when it stays as it is.
    var catalog: CatalogDocument? { get }
    /// The changes to append, in order.
    var changes: [Change] { get }
    /// True when the plan writes nothing.
    var isEmpty: Bool { get }
}

extension ImportPlan: CatalogAndLogPlan {}

