import Foundation
import PolicyTrackerCore
import Testing
import TrackerGenerator

/// What the snapshot lets a command skip: marks that read one item's line, and reports that
/// take their recent changes from the snapshot's window instead of the history.
@Suite struct SnapshotIndexTests {
    private let factory = ChangeFactory(now: Fixture.now)

    private func mark(_ store: TrackerStore, _ query: String, _ status: Status, happened: String? = nil) throws -> Item {
        try store.record(about: query) { item throws(TrackerError) in
            [try factory.mark(item, status, happened: happened.map(day), note: nil, source: nil)]
        }
    }

    private func replayed(_ store: TrackerStore) throws -> TrackerState {
        let catalog = try CatalogFormat.decode(SourceText(path: store.catalogPath, bytes: try #require(fileBytes(store.catalogPath))))
        let log = try ChangeLogFormat.decode(SourceText(path: store.changesPath, bytes: try #require(fileBytes(store.changesPath))))
        return try Replay.state(catalog: catalog, changes: log.changes, locate: Fixture.locate, locateLink: Fixture.locateLink)
    }

    // MARK: Marks through the index

    @Test func aMarkByPrefixAgreesWithAFullReplay() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory, checkpointLines: 4)
            try store.initialiseIfNeeded()
            let marked = try mark(store, "gsom", .implemented, happened: "2024-01-10")
            #expect(marked.id == "gsomia" && marked.status == .implemented)
            #expect(try mark(store, "GSOMIA", .stalled, happened: "2024-01-20").status == .stalled)
            // Recorded out of order: the later status stays.
            let older = try mark(store, "gsomia", .reversed, happened: "2020")
            let bundledCount = try Bundled.item("gsomia").changeCount
            #expect(older.status == .stalled && older.changeCount == bundledCount + 3)
            // The fourth line past the snapshot refreshes it.
            #expect(try mark(store, "dtt", .partial).status == .partial)
            #expect(try store.load() == (try replayed(store)))
            let lines = try #require(fileText(store.snapshotPath)).split(separator: "\n")
            #expect(lines.count == 1 + (try replayed(store)).items.count)
        }
    }

    @Test func aMarkReadsOnlyTheLineOfItsItem() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            // Damage another item's line: a mark through the index never reads it.
            var text = try #require(fileText(store.snapshotPath))
            let start = try #require(text.range(of: #"{"id":"dtt","item":"#))
            text.replaceSubrange(start.upperBound..<text.index(start.upperBound, offsetBy: 5), with: "#####")
            try writeFile(store.snapshotPath, text)
            #expect(try mark(store, "gsomia", .implemented).status == .implemented)
            #expect(try #require(fileText(store.snapshotPath)) == text, "the mark went through the full path")
            // A full load notices the damage and replays.
            #expect(try store.load() == (try replayed(store)))
        }
    }

    @Test func aSnapshotThatRepeatsAnItemIsRefused() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            var lines = try #require(fileText(store.snapshotPath)).split(separator: "\n").map(String.init)
            let count = lines.count - 1
            lines.insert(lines[1], at: 1)
            lines[0] = lines[0].replacingOccurrences(of: "\"itemCount\":\(count)", with: "\"itemCount\":\(count + 1)")
            try writeFile(store.snapshotPath, lines.joined(separator: "\n") + "\n")
            let text = SourceText(path: store.snapshotPath, bytes: try #require(fileBytes(store.snapshotPath)))
            #expect(thrown { _ = try SnapshotFormat.decode(text) }?.description.hasSuffix("the snapshot repeats an item") == true)
            #expect(try store.load() == (try replayed(store)))
        }
    }

    @Test func anAmbiguousOrUnknownNameGetsTheUsualError() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            let state = try store.load()
            for query in ["d", "no-such-item"] {
                let expected = thrown { _ = try Lookup.item(query, in: state) }
                #expect(expected != nil)
                #expect(thrown { _ = try mark(store, query, .stalled) } == expected)
            }
            #expect(fileBytes(store.changesPath) == BundledAgenda.changesBytes)
        }
    }

    @Test func everyIdAndUniquePrefixIsFound() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            let ids = (try store.load()).items.keys.sorted()
            for (index, id) in ids.enumerated() {
                #expect(try store.record(about: id) { _ in [] }.id == id)
                #expect(try store.record(about: id.uppercased()) { _ in [] }.id == id)
                // The shortest prefix no neighbour shares.
                let neighbours = [index > 0 ? ids[index - 1] : "", index + 1 < ids.count ? ids[index + 1] : ""]
                let length = (1...id.count).first { length in
                    neighbours.allSatisfy { !$0.hasPrefix(String(id.prefix(length))) }
                }
                if let length, !ids.contains(where: { $0 != id && $0.hasPrefix(String(id.prefix(length))) }) {
                    #expect(try store.record(about: String(id.prefix(length))) { _ in [] }.id == id)
                }
            }
            #expect(fileBytes(store.changesPath) == BundledAgenda.changesBytes)
        }
    }

    // MARK: The window of recent transitions

    /// A history of status changes over a few items, dates shuffled, some reverted.
    private func randomHistory(seed: UInt64, count: Int, from firstYear: Int = 2000, idPrefix: String = "") -> [Change] {
        var random = SplitMix64(seed: seed)
        var changes: [Change] = []
        for index in 0..<count {
            let subject = "item-\(random.below(6))"
            if index > 0, random.below(8) == 0 {
                let target = changes[random.below(changes.count)]
                changes.append(Fixture.change("\(idPrefix)r\(index)", target.recommendationId, .revert(changeId: target.changeId)))
                continue
            }
            let year = firstYear + random.below(20)
            let status = Status.allCases[random.below(Status.allCases.count)]
            changes.append(Fixture.change("\(idPrefix)c\(index)", subject, .status(status), happened: "\(year)"))
        }
        return changes
    }

    @Test(arguments: 0..<40) func theWindowIsTheTailOfTheTimeline(seed: UInt64) {
        let history = randomHistory(seed: seed, count: 30 + Int(seed) * 5)
        let all = Timeline.transitions(history)
        let window = RecentTransitions(history: history)
        #expect(window.total == all.count)
        #expect(window.transitions == Array(all.suffix(RecentTransitions.limit)))
    }

    @Test(arguments: 0..<40) func theLatestTransitionsAsOfADateAndForSomeItemsAreTheTimelinesTail(seed: UInt64) {
        let history = randomHistory(seed: seed, count: 40 + Int(seed) * 4)
        let asOf = day("\(2005 + Int(seed) % 15)")
        let wanted: Set<String> = ["item-1", "item-3", "item-4"]
        let all = Timeline.transitions(history, asOf: asOf).filter { wanted.contains($0.change.recommendationId) }
        for limit in [0, 1, 3, 10] {
            let latest = Timeline.latest(history, limit: limit, asOf: asOf) { wanted.contains($0.recommendationId) }
            #expect(latest.total == all.count)
            #expect(latest.transitions == Array(all.suffix(limit)))
        }
    }

    @Test(arguments: 0..<40) func aWindowKeptUpToDateMatchesOneRebuilt(seed: UInt64) throws {
        // Changes that take effect after everything before them, as marks of today do.
        let earlier = randomHistory(seed: seed, count: 60 + Int(seed) * 3)
        let later = randomHistory(seed: seed + 100, count: 40, from: 2030, idPrefix: "later-")
            .filter { !$0.kind.isRevert }.sorted { $0.precedence < $1.precedence }
        var state = try Fixture.state(ids: (0..<6).map { "item-\($0)" }, changes: earlier)
        var window = RecentTransitions(history: earlier)
        for change in later {
            window = try #require(window.adding(change, over: state.items[change.recommendationId]!))
            Replay.apply(change, to: &state)
        }
        #expect(window == RecentTransitions(history: earlier + later))
    }

    @Test func aChangeRecordedOutOfOrderLeavesTheWindowUnknown() throws {
        let history = [Fixture.change("a", "item-0", .status(.partial), happened: "2022")]
        let state = try Fixture.state(ids: ["item-0"], changes: history)
        let window = RecentTransitions(history: history)
        let older = Fixture.change("b", "item-0", .status(.stalled), happened: "2021")
        #expect(window.adding(older, over: state.items["item-0"]!) == nil)
        let newer = Fixture.change("c", "item-0", .status(.stalled), happened: "2023")
        #expect(window.adding(newer, over: state.items["item-0"]!)?.transitions.last?.from == .partial)
    }

    // MARK: Reports

    @Test func aReportFromTheWindowEqualsOneFromTheHistory() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            _ = try mark(store, "gsomia", .implemented)
            _ = try mark(store, "dtt", .stalled, happened: "2021")
            let state = try store.load()
            let history = try store.history()
            for (limit, statuses) in [(10, Set<Status>()), (3, [.stalled]), (50, [.implemented, .partial])] {
                var filter = ItemFilter()
                filter.statuses = statuses
                let made = try store.report(asOf: nil, now: Fixture.now, recentLimit: limit) { state in filter.apply(to: state) }
                let expected = StatusReport(
                    items: filter.apply(to: state), catalogs: state.catalogs, history: history, asOf: Fixture.now.day,
                    generated: Fixture.now, recentLimit: limit)
                #expect(made == expected)
            }
        }
    }
}

/// Undo without reading the whole history, and reverts replayed from the snapshot.
@Suite struct UndoFromTheEndTests {
    private let factory = ChangeFactory(now: Fixture.now)

    private func replayed(_ store: TrackerStore) throws -> TrackerState {
        let catalog = try CatalogFormat.decode(SourceText(path: store.catalogPath, bytes: try #require(fileBytes(store.catalogPath))))
        let log = try ChangeLogFormat.decode(SourceText(path: store.changesPath, bytes: try #require(fileBytes(store.changesPath))))
        return try Replay.state(catalog: catalog, changes: log.changes, locate: Fixture.locate, locateLink: Fixture.locateLink)
    }

    private func undo(_ store: TrackerStore) throws -> (revert: Change, target: Change, expected: Change) {
        var result: (Change, Change)?
        var expected: Change?
        try store.record { context throws(TrackerError) in
            expected = try factory.undo(nil, history: try context.history()).target
            let undo = try factory.undo(nil, history: try context.history(forUndoOf: nil))
            result = undo
            return [undo.revert]
        }
        let (revert, target) = try #require(result)
        return (revert, target, try #require(expected))
    }

    @Test func undoFindsTheSameChangeFromTheEndOfALongLog() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory, checkpointLines: 64)
            try store.initialiseIfNeeded()
            let ids = (try store.load()).items.keys.sorted()
            // About 150 KB of log, so the end is read in more than one piece.
            for index in 0..<150 {
                try store.record(about: ids[index % ids.count]) { item throws(TrackerError) in
                    [try factory.review(item, note: String(repeating: "evidence ", count: 120) + "\(index)")]
                }
            }
            #expect(try #require(fileBytes(store.changesPath)).count > 1 << 17)
            // Undo after undo walks back through the log: later undos must skip the reverts.
            for _ in 0..<5 {
                let (_, target, expected) = try undo(store)
                #expect(target == expected)
            }
            #expect(try store.load() == (try replayed(store)))
        }
    }

    /// Regression: a mark after `mark; undo` read the item through the snapshot's index with
    /// the undone mark still applied, so it answered with the undone status and followed the
    /// undone change.
    @Test func aMarkAfterAnUndoPastTheSnapshotSeesTheUndo() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            let stalled = try store.record { context throws(TrackerError) in
                [try factory.mark(try context.item("gsomia"), .stalled, happened: nil, note: nil, source: nil)]
            }.changes[0]
            _ = try undo(store)
            let result = try store.record { context throws(TrackerError) in
                [try factory.mark(try context.item("gsomia"), .partial, happened: nil, note: nil, source: nil)]
            }
            #expect(result.items[0].before?.status == (try Bundled.item("gsomia").status))
            #expect(result.items[0].after?.status == .partial)
            #expect(result.changes[0].follows?.contains(stalled.changeId) == false)
            #expect(try store.load() == (try replayed(store)))
        }
    }

    /// Regression: marks of one item in the same second were ordered by the random part of
    /// their ids, so a later one could lose to an earlier.
    @Test func marksInTheSameSecondTakeEffectInTheOrderTheyWereMade() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            // Ids that sort against the order of the marks.
            var next: UInt64 = 0xFFFF_FFFF_FFFF
            let descending = ChangeFactory(now: Fixture.now, ids: ChangeIdGenerator { next -= 1; return next })
            for status in [Status.implemented, .inProgress, .partial, .stalled, .partial] {
                let result = try store.record { context throws(TrackerError) in
                    [try descending.mark(try context.item("gsomia"), status, happened: nil, note: nil, source: nil)]
                }
                #expect(result.items[0].after?.status == status)
            }
            #expect(try store.load() == (try replayed(store)))
        }
    }

    @Test func revertsPastTheSnapshotAreReplayedFromIt() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory, checkpointLines: 100)
            try store.initialiseIfNeeded()
            _ = try store.record(about: "gsomia") { item throws(TrackerError) in
                [try factory.mark(item, .implemented, happened: day("2024-01-20"), note: nil, source: nil)]
            }
            let (revert, target, _) = try undo(store)
            #expect(target.recommendationId == "gsomia")
            #expect(try store.load().items["gsomia"]?.status == (try Bundled.item("gsomia").status))
            #expect(try store.load() == (try replayed(store)))
            // The revert of the revert restores the mark.
            try store.record { context throws(TrackerError) in
                [try factory.undo(revert.changeId, history: try context.history()).revert]
            }
            #expect(try store.load().items["gsomia"]?.status == .implemented)
            #expect(try store.load() == (try replayed(store)))
            let header = try #require(fileText(store.snapshotPath)?.split(separator: "\n").first)
            #expect(header.contains("\"lines\":\(Bundled.lineCount)"), "the snapshot was not rewritten: the reverts were replayed from it")
        }
    }
}
