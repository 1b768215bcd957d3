import Foundation
import PolicyTrackerCore
import Testing

// Shared fixtures for the PolicyTrackerCore tests: dates, a tiny in-memory catalog, hand-made
// changes, the bundled agenda, temporary directories and a way to catch a TrackerError.

/// A date or timestamp the test knows to be valid.
func day(_ text: String) -> PolicyDate { PolicyDate(text)! }
func time(_ text: String) -> Timestamp { Timestamp(text)! }

/// The error `body` throws, or nil when it throws nothing.
func thrown(_ body: () throws -> Void) -> TrackerError? {
    do {
        try body()
        return nil
    } catch let error as TrackerError {
        return error
    } catch {
        return .io(path: "unexpected error type", message: "\(error)")
    }
}

/// A small in-memory tracker: catalogs "main" (the default) and "extra", one source "src",
/// and recommendations built with ``recommendation(_:catalog:title:summary:category:horizon:actors:quote:links:watched:)``.
enum Fixture {
    static let now = time("2024-01-31T12:00:00Z")

    static func recommendation(
        _ id: String, catalog: String = "main", title: String? = nil, summary: String = "",
        category: String = "security", horizon: Horizon = .ongoing, actors: [Actor] = [.us, .japan, .rok],
        quote: String? = nil, links: [Link] = [], watched: Bool = false
    ) -> Recommendation {
        Recommendation(
            id: id, catalog: catalog, title: title ?? "Title of \(id)", summary: summary, category: category,
            horizon: horizon, actors: actors, source: Citation(source: "src", quote: quote), links: links, watched: watched)
    }

    static func catalog(_ recommendations: [Recommendation]) -> CatalogDocument {
        CatalogDocument(
            catalogs: [
                Catalog(id: "main", title: "Main", description: "", version: "1", source: "src", isDefault: true),
                Catalog(id: "extra", title: "Extra", description: "", version: "1", source: "src", isDefault: false),
            ],
            sources: [Source(id: "src", title: "A Source", author: "Author", publisher: "", date: day("2021"), location: "")],
            recommendations: recommendations)
    }

    static func catalog(ids: [String]) -> CatalogDocument {
        catalog(ids.map { recommendation($0) })
    }

    /// Locates the change at `index` on "line" `index + 1` of a file called `log`.
    static func locate(_ index: Int, _ member: String, _ message: String) -> TrackerError {
        .badData(path: "log", line: index + 1, column: nil, message: message)
    }

    /// Locates a link in the change at `index` as ``locate(_:_:_:)`` does, and one of the
    /// recommendation at `index` of the catalog on "line" `index + 1` of a file called `catalog`.
    static func locateLink(_ site: Replay.LinkSite, _ target: String, _ message: String) -> TrackerError {
        switch site {
        case .catalog(let index): .badData(path: "catalog", line: index + 1, column: nil, message: message)
        case .change(let index, _): .badData(path: "log", line: index + 1, column: nil, message: message)
        }
    }

    /// The state of `ids` after `changes`.
    static func state(ids: [String], changes: [Change] = [], asOf: PolicyDate? = nil) throws(TrackerError) -> TrackerState {
        try Replay.state(catalog: catalog(ids: ids), changes: changes, asOf: asOf, locate: locate, locateLink: locateLink)
    }

    static func change(
        _ changeId: String, _ id: String, _ kind: Change.Kind, happened: String = "2023",
        recorded: String = "2024-01-01T00:00:00Z", note: String? = nil, source: String? = nil
    ) -> Change {
        Change(
            changeId: changeId, recommendationId: id, kind: kind, happened: day(happened), recorded: time(recorded),
            note: note, source: source)
    }

    /// A change-id generator that counts 1, 2, 3… so ids are predictable.
    static func countingIds() -> ChangeIdGenerator {
        final class Counter { var value: UInt64 = 0 }
        let counter = Counter()
        return ChangeIdGenerator(random: {
            counter.value += 1
            return counter.value
        })
    }
}

/// The agenda shipped inside the library.
enum Bundled {
    static var catalogText: String { String(decoding: BundledAgenda.catalogBytes, as: UTF8.self) }
    static var changesText: String { String(decoding: BundledAgenda.changesBytes, as: UTF8.self) }

    static func catalog() throws(TrackerError) -> CatalogDocument {
        try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: BundledAgenda.catalogBytes))
    }

    static func changes() throws(TrackerError) -> [Change] {
        try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: BundledAgenda.changesBytes)).changes
    }

    static func state(asOf: PolicyDate? = nil) throws(TrackerError) -> TrackerState {
        try Replay.state(catalog: catalog(), changes: changes(), asOf: asOf, locate: Fixture.locate, locateLink: Fixture.locateLink)
    }

    /// How many lines the bundled log has: tests of writing count from it, so they hold
    /// whatever evidence the agenda gains.
    static var lineCount: Int { BundledAgenda.changesBytes.filter { $0 == 0x0A }.count }

    /// The bundled item `id` as a new tracker has it.
    static func item(_ id: String) throws -> Item {
        try #require(try state().items[id])
    }
}

// MARK: Files

/// Runs `body` with the path of a new, empty directory, and removes it afterwards.
func withTemporaryDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("ptrack-unit-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

func fileBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { Array($0) }
}

func fileText(_ path: String) -> String? {
    fileBytes(path).map { String(decoding: $0, as: UTF8.self) }
}

func writeFile(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func appendToFile(_ path: String, _ text: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
}

func directoryContents(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

extension TrackerStore {
    /// Records what `make` returns about the item `query` names, read through
    /// ``WriteContext/item(_:)``; returns the item after the write.
    @discardableResult
    func record(about query: String, _ make: (Item) throws(TrackerError) -> [Change]) throws(TrackerError) -> Item {
        var id = ""
        let result = try record { context throws(TrackerError) in
            let item = try context.item(query)
            id = item.id
            return try make(item)
        }
        if let after = result.after(id) { return after }
        return try item(id)
    }
}

/// The bundled agenda's actors and horizons, by the names its tests use.
extension Actor {
    static let us = Actor("US"), japan = Actor("Japan"), rok = Actor("ROK")
    static let allCases = [us, japan, rok]
}

extension Horizon {
    static let shortTerm = Horizon("short-term"), mediumTerm = Horizon("medium-term")
    static let longTerm = Horizon("long-term"), ongoing = Horizon("ongoing")
    static let allCases = [shortTerm, mediumTerm, longTerm, ongoing]
}

/// The vocabulary of the bundled agenda's default catalog.
let bundled = try! BundledAgenda.catalog().catalogs.first(where: \.isDefault)!.vocabulary
