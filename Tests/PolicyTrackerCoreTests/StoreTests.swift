import Foundation
import PolicyTrackerCore
import Testing

/// The data directory on disk: initialisation, appends, the snapshot, repairs and locking.
@Suite struct StoreTests {
    private let factory = ChangeFactory(now: Fixture.now)

    /// Records a status change of `id` through `store`.
    @discardableResult
    private func mark(_ store: TrackerStore, _ id: String, _ status: Status, happened: String? = nil) throws -> TrackerState {
        try #require(try store.record { context throws(TrackerError) in
            [try factory.mark(try context.state().items[id]!, status, happened: happened.map(day), note: nil, source: nil)]
        }.model).state
    }

    /// The state a full replay of the files on disk gives.
    private func fullReplay(_ store: TrackerStore) throws -> TrackerState {
        let catalog = try CatalogFormat.decode(SourceText(path: store.catalogPath, bytes: try #require(fileBytes(store.catalogPath))))
        let log = try ChangeLogFormat.decode(SourceText(path: store.changesPath, bytes: try #require(fileBytes(store.changesPath))))
        return try Replay.state(catalog: catalog, changes: log.changes, locate: Fixture.locate, locateLink: Fixture.locateLink)
    }

    private func snapshot(_ store: TrackerStore) throws -> Snapshot {
        try SnapshotFormat.decode(SourceText(path: store.snapshotPath, bytes: try #require(fileBytes(store.snapshotPath))))
    }

    private func lineCount(_ path: String) -> Int {
        (fileBytes(path) ?? []).filter { $0 == 0x0A }.count
    }

    // MARK: Initialising

    @Test func initialisesFromTheBundleOnce() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory + "/tracker/")
            #expect(store.catalogPath == directory + "/tracker/catalog.json")
            #expect(try store.initialiseIfNeeded() == true)
            #expect(fileBytes(store.catalogPath) == BundledAgenda.catalogBytes)
            #expect(fileBytes(store.changesPath) == BundledAgenda.changesBytes)
            let snapshot = try snapshot(store)
            #expect(snapshot.logBytes == BundledAgenda.changesBytes.count)
            #expect(snapshot.logLines == Bundled.lineCount)
            #expect(snapshot.state == (try Bundled.state()))
            #expect(try store.initialiseIfNeeded() == false)
            #expect(directoryContents(directory + "/tracker") == [".lock", "catalog.json", "changes.jsonl", "snapshot.jsonl"])
            #expect(try store.load() == (try Bundled.state()))
        }
    }

    @Test func foreignDirectoryIsNotATracker() throws {
        try withTemporaryDirectory { directory in
            try writeFile(directory + "/notes.txt", "mine\n")
            let store = TrackerStore(directory: directory)
            let error = thrown { try store.initialiseIfNeeded() }
            #expect(error == .notATracker(path: directory))
            #expect(error?.exitCode == 66)
            #expect(thrown { _ = try store.load() } == .notATracker(path: directory))
            #expect(fileText(directory + "/notes.txt") == "mine\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"])
        }
    }

    @Test func loadOfAMissingDirectoryIsAnIOError() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory + "/missing")
            #expect(thrown { _ = try store.load() } == .io(path: directory + "/missing", message: "no such data directory"))
        }
    }

    // MARK: Recording

    @Test func recordAppendsOneLinePerChange() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            let returned = try mark(store, "dtt", .inProgress, happened: "2024-01-20")
            #expect(lineCount(store.changesPath) == Bundled.lineCount + 1)
            let bytes = try #require(fileBytes(store.changesPath))
            #expect(Array(bytes.prefix(BundledAgenda.changesBytes.count)) == BundledAgenda.changesBytes)
            let history = try store.history()
            #expect(history.count == Bundled.lineCount + 1)
            let last = try #require(history.last)
            #expect(last.kind == .status(.inProgress))
            #expect(last.recommendationId == "dtt")
            #expect(last.happened == day("2024-01-20"))
            #expect(String(decoding: bytes.dropFirst(BundledAgenda.changesBytes.count), as: UTF8.self) == ChangeLogFormat.encodeLine(last) + "\n")
            let loaded = try store.load()
            #expect(loaded.items["dtt"]?.status == .inProgress)
            #expect(loaded == returned)
        }
    }

    @Test func recordWritesSeveralChangesAtOnce() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try store.record { context throws(TrackerError) in
                [try factory.review(try context.state().items["gsomia"]!, note: "one"), factory.watch(try context.state().items["gsomia"]!, true)!]
            }
            #expect(lineCount(store.changesPath) == Bundled.lineCount + 2)
            #expect(try store.load().items["gsomia"]?.recommendation.watched == true)
            #expect(try store.history().suffix(2).map(\.note) == ["one", nil])
        }
    }

    @Test func recordWritesNothingForNoChanges() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try store.record { _ in [] }
            #expect(fileBytes(store.changesPath) == BundledAgenda.changesBytes)
            let error = thrown { try store.record { _ throws(TrackerError) in throw .usage("refused") } }
            #expect(error == .usage("refused"))
            #expect(fileBytes(store.changesPath) == BundledAgenda.changesBytes)
        }
    }

    @Test func recordInitialisesAnEmptyDirectory() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try mark(store, "gsomia", .implemented)
            #expect(lineCount(store.changesPath) == Bundled.lineCount + 1)
            #expect(fileBytes(store.catalogPath) == BundledAgenda.catalogBytes)
        }
    }

    // MARK: Snapshot

    @Test func snapshotIsRefreshedEveryCheckpointAndAgreesWithAFullReplay() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory, checkpointLines: 3)
            try store.initialiseIfNeeded()
            try mark(store, "dtt", .inProgress, happened: "2024-01-20")
            try mark(store, "gsomia", .implemented)
            #expect(try snapshot(store).logBytes == BundledAgenda.changesBytes.count)
            try mark(store, "222-dialogue", .partial)
            let size = try #require(fileBytes(store.changesPath)).count
            let refreshed = try snapshot(store)
            #expect(refreshed.logBytes == size)
            #expect(refreshed.logLines == Bundled.lineCount + 3)
            #expect(refreshed.state == (try fullReplay(store)))
            try mark(store, "dtt", .implemented)
            #expect(try snapshot(store).logBytes == size)
            let loaded = try store.load()
            #expect(loaded == (try fullReplay(store)))
            #expect(loaded.items["dtt"]?.status == .implemented)
            let bundledCount = try Bundled.item("dtt").changeCount
            #expect(loaded.items["dtt"]?.changeCount == bundledCount + 2, "bundled \(bundledCount)")
        }
    }

    /// The digests a report records equal those of the files read whole, whether finished
    /// from the snapshot's midstate (carried on from one snapshot to the next) or not.
    @Test func dataDigestsFromTheSnapshotAreThoseOfTheFiles() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory, checkpointLines: 2)
            try store.initialiseIfNeeded()
            let whole = { DataDigests(catalog: fileBytes(store.catalogPath) ?? [], log: fileBytes(store.changesPath) ?? []) }
            let first = try #require(try snapshot(store).digest)
            #expect(try store.dataDigests() == whole())
            for (index, id) in ["dtt", "gsomia", "222-dialogue", "dtt", "gsomia"].enumerated() {
                try mark(store, id, index % 2 == 0 ? .partial : .implemented)
                #expect(try store.dataDigests() == whole(), "after mark \(index + 1)")
            }
            let carried = try #require(try snapshot(store).digest)
            #expect(carried.catalogSHA256 == first.catalogSHA256 && carried.logPrefix > first.logPrefix)
            #expect((try snapshot(store).catalogFile.size + carried.logPrefix) % 64 == 0)
            try writeFile(store.snapshotPath, "")
            #expect(try store.dataDigests() == whole())
        }
    }

    /// Completion's ids and `--edit`'s item: from the snapshot's index, and from a full load
    /// once an item was added past the snapshot; a missing directory gives an error and is
    /// not created.
    @Test func idsStartingWithAPrefixForCompletion() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory + "/t")
            #expect(thrown { _ = try store.ids(startingWith: "g", limit: 10) } != nil)
            #expect(!FileManager.default.fileExists(atPath: directory + "/t"))
            try store.initialiseIfNeeded()
            #expect(try store.ids(startingWith: "g", limit: 10) == ["gsomia"])
            #expect(try store.ids(startingWith: "a", limit: 2) == ["acceptable-functional-cooperation", "alliance-vision"])
            try store.record { context throws(TrackerError) in
                let catalog = try context.state().catalogs[0].id
                return [try factory.add(Fixture.recommendation("gsomia-follow-up", catalog: catalog), to: try context.state(), note: nil)]
            }
            #expect(try store.ids(startingWith: "gso", limit: 10) == ["gsomia", "gsomia-follow-up"])
            // One item, as a full load gives it, past the snapshot's changes included.
            try mark(store, "dtt", .partial)
            #expect(try store.item("dt") == (try fullReplay(store)).items["dtt"])
            #expect(thrown { _ = try store.item("nonexistent") }?.exitCode == 64)
        }
    }

    @Test func revertThroughTheStoreAgreesWithAFullReplay() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory, checkpointLines: 2)
            try store.initialiseIfNeeded()
            try mark(store, "gsomia", .implemented)
            let result = try store.record { context throws(TrackerError) in
                [try factory.undo(nil, history: try context.history()).revert]
            }
            #expect(result.after("gsomia")?.status == (try Bundled.item("gsomia").status))
            #expect(try store.load() == (try fullReplay(store)))
        }
    }

    @Test func handEditedCatalogIsPickedUp() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            #expect(try store.load().items["dtt"]?.recommendation.title != "Renamed by hand, and longer than before")
            var document = try Bundled.catalog()
            let index = try #require(document.recommendations.firstIndex { $0.id == "dtt" })
            document.recommendations[index].title = "Renamed by hand, and longer than before"
            try writeFile(store.catalogPath, CatalogFormat.encode(document))
            let loaded = try store.load()
            #expect(loaded.items["dtt"]?.recommendation.title == "Renamed by hand, and longer than before")
            #expect(loaded.items["dtt"]?.status == (try Bundled.item("dtt").status))
            #expect(loaded == (try fullReplay(store)))
        }
    }

    /// Replaces `old` with `new`, of the same length, writing the file in place, then sets
    /// its modification time back: only the status-change time still tells.
    private func rewriteInPlaceKeepingTime(_ path: String, _ old: String, _ new: String) throws {
        let before = try #require(try FileSystem.fingerprint(path))
        let text = try #require(fileText(path))
        #expect(text.contains(old) && old.utf8.count == new.utf8.count)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(text.replacingOccurrences(of: old, with: new).utf8))
        try handle.close()
        let time = timespec(tv_sec: before.modifiedNanoseconds / 1_000_000_000, tv_nsec: before.modifiedNanoseconds % 1_000_000_000)
        #expect(utimensat(AT_FDCWD, path, [time, time], 0) == 0)
        let after = try #require(try FileSystem.fingerprint(path))
        #expect([after.size, after.modifiedNanoseconds] == [before.size, before.modifiedNanoseconds] && after.inode == before.inode)
        #expect(after != before)
    }

    @Test func catalogRewrittenInPlaceWithItsTimeSetBackIsPickedUp() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try rewriteInPlaceKeepingTime(store.catalogPath, "Revamp the Defence", "Rework the Defence")
            let loaded = try store.load()
            #expect(loaded.items["dtt"]?.recommendation.title == "Rework the Defence Trilateral Talks (DTT)")
            #expect(loaded == (try fullReplay(store)))
        }
    }

    @Test func logRewrittenInPlaceWithItsTimeSetBackBreaksTheSeal() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try mark(store, "dtt", .stalled)
            try rewriteInPlaceKeepingTime(store.changesPath, "\"status\":\"stalled\"", "\"status\":\"partial\"")
            #expect(try store.load().items["dtt"]?.status == .partial)
        }
    }

    @Test func fingerprintsAfterRecordAreTheFilesAsTheWriteLeftThem() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try mark(store, "dtt", .stalled)
            #expect(store.fingerprintsAfterRecord == store.fingerprints())
            #expect(store.fingerprintsAfterRecord.allSatisfy { $0 != nil })
            try appendToFile(store.changesPath, "\n")
            #expect(store.fingerprintsAfterRecord != store.fingerprints())
        }
    }

    @Test func aReaderReadsOnlyWhatPtrackAppendedSinceItsMark() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            let model = try store.readModel()
            let result = try TrackerStore(directory: directory).record { context throws(TrackerError) in
                [try factory.mark(try context.item("dtt"), .stalled, happened: nil, note: nil, source: nil)]
            }
            let grown = try #require(try store.appended(since: model.mark))
            #expect(grown.changes == result.changes)
            #expect(try store.appended(since: grown.mark)?.changes == [])
            // Another program writes the log, then ptrack writes after it: only a whole read can tell what changed.
            try appendToFile(store.changesPath, "\n")
            #expect(try store.appended(since: grown.mark) == nil)
            try mark(store, "gsomia", .stalled)
            #expect(try store.appended(since: grown.mark) == nil)
            let reread = try store.readModel()
            try mark(store, "gsomia", .partial)
            #expect(try store.appended(since: reread.mark)?.changes.count == 1)
        }
    }

    @Test func deletedSnapshotIsRebuiltByTheNextCommand() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try FileManager.default.removeItem(atPath: store.snapshotPath)
            #expect(try store.load() == (try Bundled.state()))
            #expect(try snapshot(store).logBytes == (try #require(fileBytes(store.changesPath))).count)
            try FileManager.default.removeItem(atPath: store.snapshotPath)
            try mark(store, "dtt", .stalled)
            #expect(try snapshot(store).logBytes == (try #require(fileBytes(store.changesPath))).count)
        }
    }

    @Test func aReadThatCannotTakeTheLockAnswersFromAReplayAndWritesNothing() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try FileManager.default.removeItem(atPath: store.snapshotPath)
            let lock = try FileLock(path: directory + "/.lock", timeout: 1)
            #expect(try store.load() == (try Bundled.state()))
            #expect(!FileManager.default.fileExists(atPath: store.snapshotPath))
            lock.release()
            #expect(try store.load() == (try Bundled.state()))
            #expect(FileManager.default.fileExists(atPath: store.snapshotPath))
        }
    }

    @Test func aTailIdTheFilterFlagsButTheLogLacksStillContinuesTheSnapshot() throws {
        try withTemporaryDirectory { directory in
            // A snapshot whose filter of change ids is nearly full, so random ids are often flagged.
            let store = TrackerStore(directory: directory, checkpointLines: 1, readerCheckpointLines: .max)
            try store.initialiseIfNeeded()
            try store.record { context throws(TrackerError) in
                try (0..<900).map { _ throws(TrackerError) in try factory.review(try context.item("dtt"), note: "filler") }
            }
            let filter = try snapshot(store).changeIds
            var change = try factory.review(try store.load().items["gsomia"]!, note: "flagged")
            while !filter.mightContain(change.changeId) { change.changeId = ChangeIdGenerator().next(at: Fixture.now) }
            let behind = TrackerStore(directory: directory, checkpointLines: .max, readerCheckpointLines: .max)
            try behind.record { _ throws(TrackerError) in [change] }
            let model = try behind.readModel()
            #expect(model.continuesSnapshot)
            #expect(model.state == (try fullReplay(store)))
        }
    }

    @Test func mayHoldFindsAnIdAcrossPiecesAndDoubtsEscapes() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/log"
            let text = String(repeating: "x", count: 1000) + "{\"changeId\":\"abc-123\"}\n" + String(repeating: "y", count: 1000)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            for pieceSize in [1, 7, 1005, 1 << 20] {
                #expect(try FileSystem.mayHold(["zzz", "abc-123"], path: path, before: text.utf8.count, pieceSize: pieceSize))
                #expect(try !FileSystem.mayHold(["abc-12", "bc-123"], path: path, before: text.utf8.count, pieceSize: pieceSize))
                #expect(try !FileSystem.mayHold(["abc-123"], path: path, before: 1010, pieceSize: pieceSize))
            }
            #expect(try FileSystem.mayHold(["a\"b"], path: path, before: 10))
            try Data(#"{"changeId":"ab\u0063"}"#.utf8).write(to: URL(fileURLWithPath: path))
            #expect(try FileSystem.mayHold(["abc"], path: path, before: 100))
        }
    }

    // MARK: Repairs and refusals

    @Test func tornLastLineIsIgnoredThenRemoved() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            var notices: [String] = []
            store.onNotice = { notices.append($0) }
            try store.initialiseIfNeeded()
            let torn = #"{"changeId":"zq-torn","happ"#
            try appendToFile(store.changesPath, torn)
            #expect(try store.load() == (try Bundled.state()))
            #expect(try store.history().count == Bundled.lineCount)
            let ignored = "\(store.changesPath):\(Bundled.lineCount + 1): ignoring the incomplete end of the log (\(torn.utf8.count) bytes) left by an interrupted write"
            let number = String(Bundled.lineCount + 1)
            #expect(notices == [ignored + "\n" + String(repeating: " ", count: 5 - number.count) + number + " | " + torn])    // said once, with the line shown
            try mark(store, "dtt", .inProgress)
            let text = try #require(fileText(store.changesPath))
            #expect(!text.contains("zq-torn"))
            let last = try #require(try store.history().last)
            #expect(text == Bundled.changesText + ChangeLogFormat.encodeLine(last) + "\n")
            #expect(notices.dropFirst() == ["\(store.changesPath): removed the incomplete end of the log (\(torn.utf8.count) bytes) left by an interrupted write"])
        }
    }

    /// Zeros a power cut left past the last acknowledged line, then the part of the append
    /// that reached the disk and a whole line of it: left out by readers, cut away by the next
    /// writer.
    @Test func powerCutTailIsIgnoredThenRemoved() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            var notices: [String] = []
            store.onNotice = { notices.append($0) }
            try store.initialiseIfNeeded()
            let tail = ChangeLogSplitTests.powerCutTails[2]
            try appendToFile(store.changesPath, tail)
            #expect(try store.load() == (try Bundled.state()))
            #expect(try store.history().count == Bundled.lineCount)
            #expect(notices.count == 1)
            #expect(notices.first?.hasPrefix("\(store.changesPath):\(Bundled.lineCount + 1): ignoring the incomplete end of the log (\(tail.utf8.count) bytes)") == true)
            try mark(store, "dtt", .inProgress)
            let last = try #require(try store.history().last)
            #expect(fileText(store.changesPath) == Bundled.changesText + ChangeLogFormat.encodeLine(last) + "\n")
            #expect(notices.last == "\(store.changesPath): removed the incomplete end of the log (\(tail.utf8.count) bytes) left by an interrupted write")
        }
    }

    /// Zeros where a snapshot of the same log says whole lines were are damage to
    /// acknowledged changes, not a power cut's remains: refused, and nothing is cut away.
    @Test func zerosBeforeWhatTheSnapshotVouchesForAreRefused() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try mark(store, "dtt", .inProgress)
            var bytes = try #require(fileBytes(store.changesPath))
            let middle = bytes.count / 2
            bytes.replaceSubrange(middle..<middle + 600, with: [UInt8](repeating: 0, count: 600))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: store.changesPath))
            try handle.write(contentsOf: Data(bytes))
            try handle.close()
            // The seal no longer matches (the file was written again): the log is read whole.
            #expect(throws: TrackerError.self) { try TrackerStore(directory: directory).load() }
            #expect(throws: TrackerError.self) { try mark(TrackerStore(directory: directory), "gsomia", .stalled) }
            #expect(fileBytes(store.changesPath) == bytes)
        }
    }

    @Test func directoryInPlaceOfTheSnapshotIsRefusedBeforeAnythingIsWritten() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try FileManager.default.removeItem(atPath: store.snapshotPath)
            try FileManager.default.createDirectory(atPath: store.snapshotPath, withIntermediateDirectories: false)
            #expect(try store.load() == (try Bundled.state()))
            #expect(thrown { try mark(store, "dtt", .stalled) } == .io(path: store.snapshotPath, message: "is a directory, not a file"))
            #expect(fileText(store.changesPath) == Bundled.changesText)
        }
    }

    @Test func danglingSymbolicLinkIsRefused() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try FileManager.default.removeItem(atPath: store.changesPath)
            try FileManager.default.createSymbolicLink(atPath: store.changesPath, withDestinationPath: "gone.jsonl")
            let expected = TrackerError.io(path: store.changesPath, message: "is a symbolic link to gone.jsonl, which does not exist")
            #expect(thrown { _ = try store.load() } == expected)
            #expect(thrown { try mark(store, "dtt", .stalled) } == expected)
            #expect(fileBytes(directory + "/gone.jsonl") == nil)
        }
    }

    @Test func lastLineWithoutNewlineGetsOne() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try writeFile(store.changesPath, String(Bundled.changesText.dropLast()))
            #expect(try store.load() == (try Bundled.state()))
            try mark(store, "dtt", .inProgress)
            let last = try #require(try store.history().last)
            #expect(fileText(store.changesPath) == Bundled.changesText + ChangeLogFormat.encodeLine(last) + "\n")
        }
    }

    @Test func invalidCatalogIsRefusedAndNothingChanges() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try writeFile(store.catalogPath, "{\n  \"schemaVersion\": 1,\n}")
            let before = directoryContents(directory).map { ($0, fileBytes(directory + "/" + $0)) }
            let expected = TrackerError.badData(path: store.catalogPath, line: 2, column: 21, message: "trailing comma before '}'")
            #expect(thrown { _ = try store.load() } == expected)
            let recordError = thrown { try mark(store, "dtt", .implemented) }
            #expect(recordError == expected)
            #expect(recordError?.exitCode == 65)
            let after = directoryContents(directory).map { ($0, fileBytes(directory + "/" + $0)) }
            #expect(after.map(\.0) == before.map(\.0))
            #expect(after.map(\.1) == before.map(\.1))
        }
    }

    @Test func busyLockMakesAWriterGiveUp() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory, lockTimeout: 0.2)
            try store.initialiseIfNeeded()
            let holder = try FileLock(path: directory + "/.lock", timeout: 1)
            let started = Date()
            let error = thrown { try mark(store, "dtt", .implemented) }
            guard case let .lockBusy(path, seconds, heldBy) = error else {
                Issue.record("expected a busy lock, got \(String(describing: error))")
                return
            }
            #expect(path == directory + "/.lock" && seconds == 0.2)
            #expect(heldBy?.hasPrefix("process \(getpid()) (") == true, "the holder is this process: \(heldBy ?? "none")")
            #expect(error?.exitCode == 75)
            #expect(Date().timeIntervalSince(started) >= 0.2)
            #expect(fileBytes(store.changesPath) == BundledAgenda.changesBytes)
            #expect(try store.load() == (try Bundled.state()))
            holder.release()
            try mark(store, "dtt", .implemented)
            #expect(lineCount(store.changesPath) == Bundled.lineCount + 1)
        }
    }

    @Test func staleTemporaryFilesAreRemovedByTheNextWrite() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try writeFile(directory + "/.catalog.json.tmp-1-2", "half a catalog")
            try writeFile(directory + "/.snapshot.json.tmp-99-7", "")
            #expect(try store.load() == (try Bundled.state()))
            #expect(directoryContents(directory).contains(".catalog.json.tmp-1-2"))
            try mark(store, "dtt", .implemented)
            #expect(directoryContents(directory) == [".lock", "catalog.json", "changes.jsonl", "snapshot.jsonl"])
        }
    }

    // MARK: FileSystem

    private func permissions(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func replaceAtomicallyKeepsPermissions() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/private.json"
            try writeFile(path, "old")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            try FileSystem.replaceAtomically(path, with: Array("new contents".utf8))
            #expect(fileText(path) == "new contents")
            #expect(try permissions(path) == 0o600)
            #expect(directoryContents(directory) == ["private.json"])
        }
    }

    @Test func replaceAtomicallyFollowsASymlink() throws {
        try withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory + "/real", withIntermediateDirectories: false)
            let target = directory + "/real/data.json"
            let link = directory + "/link.json"
            try writeFile(target, "old")
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            try FileSystem.replaceAtomically(link, with: Array("new".utf8))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
            #expect(fileText(target) == "new")
            #expect(fileText(link) == "new")
            #expect(directoryContents(directory) == ["link.json", "real"])
            #expect(directoryContents(directory + "/real") == ["data.json"])
        }
    }

    @Test func replaceAtomicallyCreatesAMissingFile() throws {
        try withTemporaryDirectory { directory in
            try FileSystem.replaceAtomically(directory + "/fresh", with: [0x41, 0x0A])
            #expect(fileBytes(directory + "/fresh") == [0x41, 0x0A])
            #expect(directoryContents(directory) == ["fresh"])
        }
    }

    @Test func temporaryNames() {
        #expect(FileSystem.isTemporaryName(".catalog.json.tmp-1-2"))
        #expect(!FileSystem.isTemporaryName("catalog.json.tmp-1-2"))
        #expect(!FileSystem.isTemporaryName(".lock"))
    }

    @Test func dataDirectoryPrecedence() {
        #expect(TrackerFiles.dataDirectory(explicit: "/x", environment: ["PTRACK_DATA": "/y"]) == "/x")
        #expect(TrackerFiles.dataDirectory(explicit: "", environment: ["PTRACK_DATA": "/y", "XDG_DATA_HOME": "/z"]) == "/y")
        #expect(TrackerFiles.dataDirectory(explicit: nil, environment: ["XDG_DATA_HOME": "/z", "HOME": "/h"]) == "/z/ptrack")
        #expect(TrackerFiles.dataDirectory(explicit: nil, environment: ["XDG_DATA_HOME": "rel", "HOME": "/h"]) == "/h/.local/share/ptrack")
    }
}
