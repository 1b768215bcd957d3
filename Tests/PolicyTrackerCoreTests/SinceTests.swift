import Foundation
import PolicyTrackerCore
import Testing
import TrackerGenerator

/// `Item.since`: the date the current status began, which reaffirmations and reviews do not
/// move. Checked case by case, and against a plain reference over random logs replayed every
/// way the code replays them: the whole log, a snapshot and the lines past it, a log read
/// in pieces, lines taken in a few at a time, as of a date, and through a store on disk.
@Suite struct SinceTests {
    private typealias C = Fixture

    // MARK: The reference

    /// What `since` means, written out plainly: the item's status changes in effect (not
    /// reverted; as of `asOf`, only those that happened by then) sorted by precedence, walked
    /// back from the last while the status stays the same. The status, when it began, and
    /// the change that set it.
    static func reference(
        _ changes: [Change], item: String, asOf: PolicyDate? = nil
    ) -> (status: Status, since: PolicyDate?, latest: ChangePrecedence?) {
        var cancelled = Set<String>()
        for change in changes.reversed() where !cancelled.contains(change.changeId) {
            if case .revert(let target) = change.kind { cancelled.insert(target) }
        }
        let inEffect = changes
            .filter { $0.recommendationId == item && $0.status != nil && !cancelled.contains($0.changeId) }
            .filter { change in asOf.map { change.happened.isOnOrBefore($0) } ?? true }
            .sorted { $0.precedence < $1.precedence }
        guard let last = inEffect.last, let status = last.status else { return (.notStarted, nil, nil) }
        var first = inEffect.count - 1
        while first > 0, inEffect[first - 1].status == status { first -= 1 }
        return (status, inEffect[first].happened, last.precedence)
    }

    // MARK: Cases

    private func item(_ changes: [Change], asOf: PolicyDate? = nil) throws -> Item {
        try #require(try C.state(ids: ["a", "b"], changes: changes, asOf: asOf).items["a"])
    }

    private func status(
        _ id: String, _ status: Status, _ happened: String, recorded: String = "2024-02-01T00:00:00Z"
    ) -> Change {
        C.change(id, "a", .status(status), happened: happened, recorded: recorded)
    }

    @Test func withoutStatusChangesThereIsNoSince() throws {
        let item = try item([C.change("r1", "a", .review, happened: "2024-01")])
        #expect(item.since == nil)
        #expect(item.statusChange == nil)
        #expect(item.statusRun == StatusRun())
    }

    @Test func aReaffirmationDoesNotMoveSince() throws {
        let item = try item([status("c1", .stalled, "2023-01"), status("c2", .stalled, "2024-01")])
        #expect(item.status == .stalled)
        #expect(item.since == day("2023-01"))
        #expect(item.lastChange == day("2024-01"))
        #expect(item.statusChange?.changeId == "c2")
        #expect(item.statusRun.members.map(\.changeId) == ["c1", "c2"])
    }

    @Test func aReviewDoesNotMoveSince() throws {
        let item = try item([status("c1", .stalled, "2023-01"), C.change("r1", "a", .review, happened: "2024-03")])
        #expect(item.since == day("2023-01"))
        #expect(item.lastChange == day("2023-01"))
    }

    @Test func anotherStatusStartsAgain() throws {
        let item = try item([status("c1", .stalled, "2023-01"), status("c2", .stalled, "2023-06"), status("c3", .partial, "2024-01")])
        #expect(item.status == .partial)
        #expect(item.since == day("2024-01"))
        #expect(item.statusRun.members.map(\.changeId) == ["c3"])
        #expect(item.statusRun.predecessor?.changeId == "c2")
    }

    @Test func aBackdatedReaffirmationInsideTheRunLeavesItsStart() throws {
        let item = try item([
            status("c1", .stalled, "2023-01"), status("c2", .stalled, "2024-01"),
            status("c3", .stalled, "2023-06", recorded: "2024-03-01T00:00:00Z"),
        ])
        #expect(item.since == day("2023-01"))
        #expect(item.statusRun.members.map(\.changeId) == ["c1", "c3", "c2"])
    }

    @Test func aBackdatedChangeOfTheSameStatusBeforeTheRunMovesItsStartBack() throws {
        let item = try item([status("c1", .stalled, "2023-06"), status("c2", .stalled, "2023-01")])
        #expect(item.since == day("2023-01"))
        #expect(item.statusChange?.changeId == "c1")
    }

    @Test func aBackdatedChangeOfAnotherStatusInsideTheRunCutsIt() throws {
        let item = try item([
            status("c1", .stalled, "2023-01"), status("c2", .stalled, "2024-01"),
            status("c3", .inProgress, "2023-06", recorded: "2024-03-01T00:00:00Z"),
        ])
        #expect(item.status == .stalled)
        #expect(item.since == day("2024-01"))
        #expect(item.statusRun.members.map(\.changeId) == ["c2"])
        #expect(item.statusRun.predecessor?.changeId == "c3")
    }

    @Test func aBackdatedChangeBeforeThePredecessorChangesNothing() throws {
        let changes = [status("c1", .inProgress, "2022"), status("c2", .stalled, "2023-06")]
        #expect(try item(changes + [status("c3", .stalled, "2021")]).since == day("2023-06"))
        #expect(try item(changes + [status("c3", .partial, "2021")]).statusRun.predecessor?.changeId == "c1")
        // Between the predecessor and the run, the same status joins the run.
        #expect(try item(changes + [status("c3", .stalled, "2022-06")]).since == day("2022-06"))
        // And another status becomes the predecessor, so the same status before it does not join.
        let cut = changes + [status("c3", .partial, "2022-06"), status("c4", .stalled, "2022-03")]
        #expect(try item(cut).since == day("2023-06"))
        #expect(try item(cut).statusRun.predecessor?.changeId == "c3")
    }

    @Test func revertsAreLeftOut() throws {
        let run = [status("c1", .stalled, "2023-01"), status("c2", .stalled, "2024-01")]
        #expect(try item(run + [C.change("u1", "a", .revert(changeId: "c1"))]).since == day("2024-01"))
        let interrupted = [status("c1", .stalled, "2021"), status("c2", .inProgress, "2022"), status("c3", .stalled, "2023")]
        #expect(try item(interrupted).since == day("2023"))
        #expect(try item(interrupted + [C.change("u1", "a", .revert(changeId: "c2"))]).since == day("2021"))
        // A revert of the revert restores the change.
        let restored = interrupted + [C.change("u1", "a", .revert(changeId: "c2")), C.change("u2", "a", .revert(changeId: "u1"))]
        #expect(try item(restored).since == day("2023"))
    }

    @Test func asOfADateOnlyChangesThatHappenedByThenCount() throws {
        let changes = [status("c1", .stalled, "2023-01"), status("c2", .stalled, "2024-01"), status("c3", .implemented, "2024-06")]
        let earlier = try item(changes, asOf: day("2024-03"))
        #expect(earlier.status == .stalled)
        #expect(earlier.since == day("2023-01"))
        let now = try item(changes)
        #expect(now.status == .implemented)
        #expect(now.since == day("2024-06"))
        #expect(try item(changes, asOf: day("2022")).since == nil)
    }

    @Test func theRunTakesChangesInAnyOrder() {
        let changes = (0..<6).map { ChangePrecedence(happened: day("202\($0)"), recorded: C.now, changeId: "c\($0)") }
        // Statuses: same, same, other, same, same, same: the run is the last three.
        let sameAsLast = [true, true, false, true, true, true]
        for order in [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [2, 5, 0, 3, 1, 4], [3, 0, 5, 1, 4, 2]] {
            var run = StatusRun()
            var current: Bool?
            for index in order {
                if run.add(changes[index], sameStatus: current == sameAsLast[index]) { current = sameAsLast[index] }
            }
            #expect(run.members == Array(changes[3...]), "order \(order)")
            #expect(run.predecessor == changes[2], "order \(order)")
            #expect(run.first == changes[3])
            #expect(run.last == changes[5])
        }
    }

    @Test func theSnapshotKeepsTheRun() throws {
        let changes = [
            status("c1", .inProgress, "2022"), status("c2", .stalled, "2023-01"), status("c3", .stalled, "2024-01"),
            C.change("c4", "b", .status(.partial), happened: "2023"),
        ]
        let state = try C.state(ids: ["a", "b", "c"], changes: changes)
        let decoded = try roundTrip(state).state
        #expect(decoded == state)
        #expect(decoded.items["a"]?.since == day("2023-01"))
        #expect(decoded.items["a"]?.statusRun.predecessor?.changeId == "c1")
        #expect(decoded.items["c"]?.statusRun.isEmpty == true)
    }

    @Test func aSnapshotOfTheEarlierLayoutIsRefusedAndWrittenAnew() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            let bytes = try #require(fileBytes(store.snapshotPath))
            let text = String(decoding: bytes, as: UTF8.self)
            let current = "\"format\":\(SnapshotFormat.layout)"
            #expect(text.contains(current))
            try writeFile(store.snapshotPath, text.replacingOccurrences(of: current, with: "\"format\":2"))
            #expect(thrown { _ = try SnapshotFormat.decode(SourceText(path: store.snapshotPath, bytes: try #require(fileBytes(store.snapshotPath)))) } != nil)
            #expect(try store.load() == (try Bundled.state()))
            #expect(fileText(store.snapshotPath)?.contains(current) == true)
        }
    }

    /// The bundled agenda has reaffirmations: their items keep the date their status began.
    @Test func theBundledAgendaAgreesWithTheReference() throws {
        let changes = try Bundled.changes()
        for asOf in [nil, day("2021"), day("2023-06")] {
            let state = try Bundled.state(asOf: asOf)
            for item in state.sortedItems {
                let expected = Self.reference(changes, item: item.id, asOf: asOf)
                #expect(item.status == expected.status && item.since == expected.since, "\(item.id) as of \(asOf?.text ?? "now")")
            }
        }
    }

    // MARK: Random logs

    /// Seeds 1 to 400, or `PTRACK_SINCE_SEED=N` alone; a failure names its seed.
    static let seeds: [UInt64] = {
        if let text = ProcessInfo.processInfo.environment["PTRACK_SINCE_SEED"], let seed = UInt64(text) { return [seed] }
        return Array(1...400)
    }()

    static let ids = ["a", "b", "c"]

    /// A random log over ``ids``: status changes (three statuses, so reaffirmations are
    /// common) with dates out of order and often tied, reviews, watches, and reverts of
    /// earlier changes, reverts included.
    static func randomLog(_ random: inout SplitMix64) -> [Change] {
        let statuses: [Status] = [.inProgress, .stalled, .partial]
        let recorded = ["2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z", "2024-02-01T00:00:00Z"].map(time)
        var changes: [Change] = []
        for index in 0..<(1 + random.below(40)) {
            let id = ids[random.below(ids.count)]
            let changeId = String(format: "c%03d", random.below(1000)) + "-\(index)"
            let when = recorded[random.below(recorded.count)]
            let roll = random.below(20)
            if roll < 5, !changes.isEmpty {
                // Mostly one of the latest changes, so lines past a snapshot can often be applied.
                let target = changes[random.below(4) == 0 ? random.below(changes.count) : max(0, changes.count - 1 - random.below(4))]
                changes.append(Change(
                    changeId: changeId, recommendationId: target.recommendationId, kind: .revert(changeId: target.changeId),
                    happened: target.happened, recorded: when))
                continue
            }
            let kind: Change.Kind = switch roll {
            case 5, 6: .review
            case 7: .watch(random.below(2) == 0)
            default: .status(statuses[random.below(statuses.count)])
            }
            changes.append(Change(
                changeId: changeId, recommendationId: id, kind: kind, happened: randomDate(&random), recorded: when,
                sequence: random.below(3) == 0 ? nil : random.below(4)))
        }
        return changes
    }

    /// A date from 2020 to 2022, as precise as a year, a month or a day, often tied.
    static func randomDate(_ random: inout SplitMix64) -> PolicyDate {
        let year = 2020 + random.below(3), month = 1 + random.below(3), dayOfMonth = 1 + random.below(3)
        switch random.below(3) {
        case 0: return day(String(year))
        case 1: return day(String(format: "%04d-%02d", year, month))
        default: return day(String(format: "%04d-%02d-%02d", year, month, dayOfMonth))
        }
    }

    /// Whether every item of `state` has the reference's status, `since` and latest change
    /// for `changes`; records each difference, naming the seed and `how`.
    @discardableResult
    static func check(
        _ state: TrackerState, _ changes: [Change], asOf: PolicyDate? = nil, seed: UInt64, _ how: String
    ) -> Bool {
        var agrees = true
        for id in ids {
            let expected = reference(changes, item: id, asOf: asOf)
            guard let item = state.items[id] else {
                Issue.record("seed \(seed): \(how): no item \(id)")
                return false
            }
            if item.status != expected.status || item.since != expected.since || item.statusChange != expected.latest {
                Issue.record("""
                    seed \(seed): \(how), as of \(asOf?.text ?? "now"): \(id) is \(item.status.rawValue) since \
                    \(item.since?.text ?? "—") (latest \(item.statusChange?.changeId ?? "—")), the reference \
                    \(expected.status.rawValue) since \(expected.since?.text ?? "—") (latest \(expected.latest?.changeId ?? "—"))
                    """)
                agrees = false
            }
        }
        return agrees
    }

    /// `state` written as a snapshot and read back.
    private func roundTrip(_ state: TrackerState, lines: Int = 0, ids: [String] = []) throws -> Snapshot {
        let snapshot = Snapshot(
            catalogFile: .init(size: 0, modifiedNanoseconds: 0, changedNanoseconds: 0, inode: 0), logInode: 0, logBytes: 0,
            logLines: lines, lastLineOffset: 0, lastLineHash: "0", changeIds: ChangeIdSet(ids), recent: nil,
            itemCount: state.items.count, state: state)
        return try SnapshotFormat.decode(SourceText(path: "snapshot.jsonl", bytes: SnapshotFormat.encode(snapshot)))
    }

    @Test func randomLogsAgreeWithTheReferenceEveryWayTheyAreReplayed() throws {
        let catalog = C.catalog(ids: Self.ids)
        var continued = 0, inPieces = 0
        for seed in Self.seeds {
            var random = SplitMix64(seed: seed)
            let changes = Self.randomLog(&random)
            // The whole log, now and as of dates.
            let whole = try Replay.state(catalog: catalog, changes: changes, locate: C.locate, locateLink: C.locateLink)
            guard Self.check(whole, changes, seed: seed, "whole log") else { continue }
            for _ in 0..<3 {
                let asOf = Self.randomDate(&random)
                let state = try Replay.state(catalog: catalog, changes: changes, asOf: asOf, locate: C.locate, locateLink: C.locateLink)
                Self.check(state, changes, asOf: asOf, seed: seed, "whole log")
                // Read in pieces, as a report as of a date streams the log.
                var streamed = Replay.initialState(catalog)
                let cancelled = Replay.cancelledChangeIds(changes)
                var start = 0
                while start < changes.count {
                    let end = min(changes.count, start + 1 + random.below(8))
                    Replay.applyChecked(Array(changes[start..<end]), to: &streamed, cancelled: cancelled, asOf: asOf)
                    start = end
                }
                if streamed != state { Issue.record("seed \(seed): read in pieces as of \(asOf) differs from the whole log") }
            }
            // A snapshot of the first lines, written and read back, and the lines past it.
            let split = random.below(changes.count + 1)
            let prefix = Array(changes[..<split]), rest = Array(changes[split...])
            let before = try Replay.state(catalog: catalog, changes: prefix, locate: C.locate, locateLink: C.locateLink)
            var snapshot = try roundTrip(before, lines: split, ids: prefix.map(\.changeId))
            if snapshot.state != before { Issue.record("seed \(seed): the snapshot of \(split) lines reads back otherwise") }
            var taken = snapshot.state
            var window: RecentTransitions?
            if try Replay.apply(rest, to: &snapshot.state, recent: &window, locate: C.locate, locateLink: C.locateLink) != nil {
                continued += 1
                if Self.check(snapshot.state, changes, seed: seed, "snapshot of \(split) lines and the rest"), snapshot.state != whole {
                    Issue.record("seed \(seed): snapshot of \(split) lines and the rest differs from the whole log")
                }
            }
            // The lines past it taken in a few at a time, as the browser takes in another process's.
            var start = 0, sound = true
            while sound, start < rest.count {
                let end = min(rest.count, start + 1 + random.below(4))
                sound = Replay.applyIfSound(Array(rest[start..<end]), to: &taken, recent: &window)
                start = end
            }
            if sound {
                inPieces += 1
                if Self.check(taken, changes, seed: seed, "snapshot of \(split) lines and the rest a few at a time"), taken != whole {
                    Issue.record("seed \(seed): snapshot of \(split) lines and the rest a few at a time differs from the whole log")
                }
            }
        }
        // The random logs reach the incremental paths, not only the full replay.
        if Self.seeds.count > 1 {
            #expect(continued > Self.seeds.count / 3, "lines past a snapshot applied in \(continued) of \(Self.seeds.count)")
            #expect(inPieces > Self.seeds.count / 4, "lines taken a few at a time in \(inPieces) of \(Self.seeds.count)")
        }
    }

    /// Through a store on disk: marks (some backdated, many reaffirming), reviews and undos
    /// recorded one by one, with a snapshot every few lines; every item read whole, alone and
    /// as of dates agrees with the reference.
    @Test(arguments: Array(UInt64(1)...4)) func aStoreAgreesWithTheReference(seed: UInt64) throws {
        try withTemporaryDirectory { directory in
            try writeFile(directory + "/catalog.json", CatalogFormat.encode(C.catalog(ids: Self.ids)))
            try writeFile(directory + "/changes.jsonl", "")
            var random = SplitMix64(seed: seed)
            let store = TrackerStore(directory: directory, checkpointLines: 1 + random.below(6))
            store.streamPieceBytes = 64 + random.below(600)
            let statuses: [Status] = [.inProgress, .stalled, .partial]
            for step in 0..<30 {
                let factory = ChangeFactory(now: Timestamp(Date()))
                let id = Self.ids[random.below(Self.ids.count)], status = statuses[random.below(statuses.count)]
                let date = Self.randomDate(&random), roll = random.below(10), pick = random.next()
                _ = try? store.record { context throws(TrackerError) in
                    let item = try context.item(id)
                    switch roll {
                    case 0...5: return [try factory.mark(item, status, happened: date, note: "step \(step)", source: nil)]
                    case 6: return [try factory.review(item, note: nil)]
                    case 7: return [try factory.undo(nil, history: try context.history()).revert]
                    default:
                        let history = try context.history()
                        return [try factory.undo(history[Int(pick % UInt64(history.count))].changeId, history: history).revert]
                    }
                }
                let history = try store.history()
                let state = try store.load()
                guard Self.check(state, history, seed: seed, "store after step \(step)") else { return }
                let alone = try TrackerState(catalogs: [], sources: [], items: Dictionary(uniqueKeysWithValues: Self.ids.map { ($0, try store.item($0)) }))
                guard Self.check(alone, history, seed: seed, "items read alone after step \(step)") else { return }
                if step % 5 == 4 {
                    let asOf = Self.randomDate(&random)
                    let streamed = try #require(try store.streamedState(asOf: asOf))
                    guard Self.check(streamed.state, history, asOf: asOf, seed: seed, "streamed after step \(step)") else { return }
                }
            }
        }
    }
}
