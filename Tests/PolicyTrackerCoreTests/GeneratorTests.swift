import Foundation
import PolicyTrackerCore
import Testing
import TrackerGenerator

/// The synthetic-tracker generator through its public interface: what it writes loads in the
/// store, is canonical, and depends on the seed alone.
@Suite struct GeneratorTests {
    private let count = 40
    private let perItem = 6

    private func write(seed: UInt64, to directory: String) throws {
        try SyntheticTracker.write(count: count, changesPerItem: perItem, seed: seed, to: directory)
    }

    @Test func writesATrackerTheStoreLoads() throws {
        try withTemporaryDirectory { directory in
            let tracker = directory + "/tracker"
            try write(seed: 7, to: tracker)
            #expect(directoryContents(tracker) == [TrackerFiles.catalog, TrackerFiles.changes])
            let store = TrackerStore(directory: tracker)
            let state = try store.load()
            #expect(state.items.count == count)
            #expect(state.items.values.allSatisfy { $0.changeCount == perItem && $0.statusChange != nil })
            let history = try store.history()
            #expect(history.count == count * perItem)
            #expect(Set(history.map(\.changeId)).count == history.count)
            #expect(history.map(\.recorded) == history.map(\.recorded).sorted())
            // The status of every item is that of its last change: the dates only increase.
            var last: [String: Change] = [:]
            for change in history { last[change.recommendationId] = change }
            for (id, item) in state.items { #expect(item.status == last[id]?.status) }
            #expect(state.items[SyntheticTracker.recommendationId(0)] != nil)
        }
    }

    @Test func filesAreCanonical() throws {
        try withTemporaryDirectory { directory in
            try write(seed: 3, to: directory)
            let catalogText = try #require(fileText(directory + "/" + TrackerFiles.catalog))
            let catalog = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(catalogText.utf8)))
            #expect(CatalogFormat.encode(catalog) == catalogText)
            let logText = try #require(fileText(directory + "/" + TrackerFiles.changes))
            let decoded = try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: Array(logText.utf8)))
            #expect(decoded.changes.map { ChangeLogFormat.encodeLine($0) + "\n" }.joined() == logText)
        }
    }

    @Test func sameSeedSameBytesOtherSeedOtherData() throws {
        try withTemporaryDirectory { directory in
            for (name, seed) in [("a", UInt64(11)), ("b", 11), ("c", 12)] {
                try write(seed: seed, to: directory + "/" + name)
                try SyntheticTracker.writePeers(count: count, changesPerItem: perItem, seed: seed, to: directory + "/" + name + "-peers")
            }
            for file in [TrackerFiles.catalog, TrackerFiles.changes] {
                #expect(fileBytes(directory + "/a/" + file) == fileBytes(directory + "/b/" + file))
                #expect(fileBytes(directory + "/a/" + file) != fileBytes(directory + "/c/" + file))
            }
            for file in ["tracker.json", "taskwarrior.json"] {
                #expect(fileBytes(directory + "/a-peers/" + file) == fileBytes(directory + "/b-peers/" + file))
            }
        }
    }

    @Test func peerFilesParse() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticTracker(count: count, changesPerItem: perItem, seed: 5).generate().writePeers(to: directory)
            #expect(files.map { ($0.path as NSString).lastPathComponent } == ["tracker.json", "taskwarrior.json"])
            let document = try JSONSerialization.jsonObject(with: Data(try #require(fileBytes(directory + "/tracker.json"))))
            let recommendations = try #require((document as? [String: Any])?["recommendations"] as? [[String: Any]])
            #expect(recommendations.count == count)
            #expect(recommendations.allSatisfy { ($0["history"] as? [Any])?.count == perItem })
            let tasks = try JSONSerialization.jsonObject(with: Data(try #require(fileBytes(directory + "/taskwarrior.json"))))
            #expect((tasks as? [[String: Any]])?.count == count)
        }
    }

    @Test func refusesADirectoryThatIsNotEmpty() throws {
        try withTemporaryDirectory { directory in
            try writeFile(directory + "/mine.txt", "keep\n")
            #expect(throws: TrackerError.self) { try write(seed: 1, to: directory) }
            #expect(directoryContents(directory) == ["mine.txt"])
        }
    }

    @Test func checksItsArguments() {
        #expect(throws: TrackerError.self) { try SyntheticTracker(count: 0, changesPerItem: 1, seed: 1) }
        #expect(throws: TrackerError.self) {
            try SyntheticTracker(count: 1, changesPerItem: SyntheticTracker.maximumChangesPerItem + 1, seed: 1)
        }
        #expect(SyntheticTracker.recommendationId(0) == "rec-000001")
        #expect(SyntheticTracker.recommendationId(999_999) == "rec-1000000")
    }

    @Test func longHistoriesKeepIncreasingDates() throws {
        try withTemporaryDirectory { directory in
            try SyntheticTracker.write(count: 2, changesPerItem: SyntheticTracker.maximumChangesPerItem, seed: 9, to: directory)
            let history = try TrackerStore(directory: directory).history()
            for id in ["rec-000001", "rec-000002"] {
                let dates = history.filter { $0.recommendationId == id }.map(\.happened)
                #expect(dates.count == SyntheticTracker.maximumChangesPerItem)
                #expect(zip(dates, dates.dropFirst()).allSatisfy { $0 < $1 })
            }
        }
    }
}
