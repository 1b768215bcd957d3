import Foundation
import PolicyTrackerCore
import Testing
import TrackerGenerator

/// `report --as-of` streams the log: checked against the whole history replayed
/// (``Replay/state(catalog:changes:asOf:locate:locateLink:)`` and ``Timeline/latest(_:limit:asOf:where:)``)
/// over random histories of marks, backdated marks, reviews, edits, undos and undos of
/// undos, read in pieces of random sizes.
@Suite struct StreamedAsOfTests {
    /// Seeds 1 to 12 and one new each run, which a failure names; `PTRACK_AS_OF_SEED=N`
    /// runs seed N alone.
    static let seeds: [UInt64] = {
        if let text = ProcessInfo.processInfo.environment["PTRACK_AS_OF_SEED"], let seed = UInt64(text) { return [seed] }
        return Array(1...12) + [UInt64.random(in: 1...UInt64.max >> 1)]
    }()

    @Test(arguments: seeds) func streamedAsOfAgreesWithTheWholeHistoryReplayed(seed: UInt64) throws {
        try withTemporaryDirectory { directory in
            try SyntheticTracker.write(count: 30, changesPerItem: 4, seed: seed, to: directory)
            var random = SplitMix64(seed: seed)
            let store = TrackerStore(directory: directory, checkpointLines: 1 + Int(random.next() % 40))
            store.streamPieceBytes = 64 + Int(random.next() % 4000)
            for _ in 0..<50 { try randomChange(store, &random) }

            let catalog = try CatalogFormat.decode(SourceText(path: store.catalogPath, bytes: try #require(fileBytes(store.catalogPath))))
            let history = try store.history()
            let ids = try store.load().items.keys.sorted()
            for _ in 0..<6 {
                let date = randomDate(&random)
                let expected = try Replay.state(catalog: catalog, changes: history, asOf: date, locate: Fixture.locate, locateLink: Fixture.locateLink)
                let streamed = try #require(try store.streamedState(asOf: date), "seed \(seed)")
                #expect(streamed.state == expected, "seed \(seed), as of \(date)")
                let shown = Set(ids.filter { _ in random.next() % 3 != 0 })
                let limit = 1 + Int(random.next() % 12)
                let latest = Timeline.latest(history, limit: limit, asOf: date) { shown.contains($0.recommendationId) }.transitions
                #expect(try streamed.latest(limit: limit, shown: shown, from: store) == latest, "seed \(seed), as of \(date), limit \(limit)")
                let start = randomDate(&random)
                let all = Timeline.transitions(history.filter { shown.contains($0.recommendationId) }, asOf: date)
                #expect(try streamed.transitions(of: shown, keeping: { StatusDiff.isInSpan($0, from: start) }, from: store)
                    == all.filter { StatusDiff.isInSpan($0.change.precedence, from: start) }, "seed \(seed), as of \(date), from \(start)")
            }
        }
    }

    /// A date from 2019 to 2026, as precise as a year, a month or a day.
    private func randomDate(_ random: inout SplitMix64) -> PolicyDate {
        let year = 2019 + Int(random.next() % 8), month = 1 + Int(random.next() % 12), dayOfMonth = 1 + Int(random.next() % 28)
        switch random.next() % 3 {
        case 0: return day(String(year))
        case 1: return day(String(format: "%04d-%02d", year, month))
        default: return day(String(format: "%04d-%02d-%02d", year, month, dayOfMonth))
        }
    }

    /// One random write: a mark (perhaps backdated, perhaps the same status), a review, an
    /// edit, an undo of the latest change, or an undo of a random earlier change or revert.
    private func randomChange(_ store: TrackerStore, _ random: inout SplitMix64) throws {
        let factory = ChangeFactory(now: Timestamp(Date()))
        let choice = random.next() % 10
        let pick = random.next(), status = Status.allCases[Int(random.next() % UInt64(Status.allCases.count))]
        let date = random.next() % 2 == 0 ? randomDate(&random) : nil
        _ = try? store.record { context throws(TrackerError) in
            let state = try context.state()
            let ids = state.items.keys.sorted()
            let item = state.items[ids[Int(pick % UInt64(ids.count))]]!
            switch choice {
            case 0...3: return [try factory.mark(item, status, happened: date, note: "marked", source: nil)]
            case 4: return [try factory.review(item, note: "reviewed")]
            case 5: return [try factory.edit(item, RecommendationPatch(summary: "Summary \(pick)"), note: nil)].compactMap { $0 }
            case 6, 7: return [try factory.undo(nil, history: try context.history()).revert]
            default:
                let history = try context.history()
                return [try factory.undo(history[Int(pick % UInt64(history.count))].changeId, history: history).revert]
            }
        }
    }
}
