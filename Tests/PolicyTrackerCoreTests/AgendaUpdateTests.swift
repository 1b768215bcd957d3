import PolicyTrackerCore
import Testing

/// Bringing a tracker made from an earlier edition of a (made-up) bundled agenda up to date.
@Suite struct AgendaUpdateTests {
    private typealias C = Fixture

    private static func edition(_ version: String, _ recommendations: [Recommendation], sources: [String]) -> CatalogDocument {
        CatalogDocument(
            catalogs: [Catalog(id: "main", title: "Made-up agenda", description: "", version: version, source: "src", isDefault: true)],
            sources: sources.map { Source(id: $0, title: "Made-up \($0)", author: "", publisher: "", date: day("2021"), location: "") },
            recommendations: recommendations)
    }

    private static let old = edition("1", [C.recommendation("a"), C.recommendation("b")], sources: ["src"])
    private static let oldLog = [
        C.change("agenda-a-1", "a", .status(.implemented), happened: "2022", source: "src"),
        C.change("agenda-b-1", "b", .status(.inProgress), happened: "2022", source: "src"),
    ]
    private static let new = edition(
        "2", [C.recommendation("a"), C.recommendation("b", summary: "Corrected summary."), C.recommendation("c")], sources: ["src", "page"])
    /// The new edition's log: the old one, then a withdrawal, its correction and new evidence.
    private static let newLog = oldLog + [
        Change(changeId: "agenda-2-a-revert", recommendationId: "a", kind: .revert(changeId: "agenda-a-1"), happened: day("2026-12-06"),
               recorded: time("2026-12-06T00:00:00Z"), note: "The source shows only a pledge."),
        C.change("agenda-2-a-1", "a", .status(.inProgress), happened: "2022", recorded: "2026-12-06T00:00:00Z", source: "src"),
        C.change("agenda-2-c-1", "c", .status(.partial), happened: "2025", recorded: "2026-12-06T00:00:00Z", source: "page"),
    ]
    /// What the user recorded in the old tracker: about b only, and an item of their own.
    private static let userChanges = [
        C.change("user-1", "b", .status(.stalled), happened: "2024", recorded: "2024-03-01T00:00:00Z", note: "Made-up."),
        Change(changeId: "user-2", recommendationId: "mine", kind: .add(C.recommendation("mine")), happened: day("2024"),
               recorded: time("2024-03-02T00:00:00Z")),
    ]

    private func state(_ catalog: CatalogDocument, _ log: [Change]) throws -> TrackerState {
        try Replay.state(catalog: catalog, changes: log, locate: C.locate, locateLink: C.locateLink)
    }

    @Test func anUpdatedTrackerMatchesAFreshOneWhereTheUserChangedNothing() throws {
        let history = Self.oldLog + Self.userChanges
        let update = try AgendaUpdate.make(tracker: Self.old, history: history, bundled: Self.new, bundledChanges: Self.newLog)
        #expect(update.changes.map(\.changeId) == ["agenda-2-a-revert", "agenda-2-a-1", "agenda-2-c-1"])
        #expect(update.summary.withdrawn.map(\.changeId) == ["agenda-2-a-revert"])
        #expect(update.summary.recommendationsAdded == ["c"] && update.summary.recommendationsRevised == ["b"])
        #expect(update.summary.sourcesAdded == ["page"])
        #expect(update.summary.editions == [.init(id: "main", from: "1", to: "2")])
        let catalog = try #require(update.catalog)
        let updated = try state(catalog, history + update.changes)
        let fresh = try state(Self.new, Self.newLog)
        for id in ["a", "c"] { #expect(updated.items[id]?.status == fresh.items[id]?.status, "\(id)") }
        #expect(updated.items["a"]?.status == .inProgress && updated.items["c"]?.status == .partial)
        // The user's changes are all still there and still count.
        #expect(updated.items["b"]?.status == .stalled && updated.items["mine"] != nil)
        #expect(updated.items["b"]?.recommendation.summary == "Corrected summary.")
    }

    @Test func runningItAgainChangesNothing() throws {
        let first = try AgendaUpdate.make(tracker: Self.old, history: Self.oldLog, bundled: Self.new, bundledChanges: Self.newLog)
        let again = try AgendaUpdate.make(
            tracker: try #require(first.catalog), history: Self.oldLog + first.changes, bundled: Self.new, bundledChanges: Self.newLog)
        #expect(again.isEmpty)
        #expect(try AgendaUpdate.make(tracker: Self.new, history: Self.newLog, bundled: Self.new, bundledChanges: Self.newLog).isEmpty)
    }

    @Test func theUsersOwnCatalogsAndSourcesStay() throws {
        var tracker = Self.old
        tracker.catalogs.append(Catalog(id: "own", title: "Own", description: "", version: "x", source: "", isDefault: false))
        tracker.recommendations.append(C.recommendation("own-item", catalog: "own"))
        tracker.sources.append(Source(id: "own-source", title: "Own", author: "", publisher: "", date: nil, location: ""))
        let catalog = try #require(try AgendaUpdate.make(tracker: tracker, history: [], bundled: Self.new, bundledChanges: []).catalog)
        #expect(catalog.catalogs.map(\.id) == ["main", "own"])
        #expect(catalog.recommendations.map(\.id) == ["a", "b", "own-item", "c"])
        #expect(catalog.sources.map(\.id) == ["src", "own-source", "page"])
    }

    @Test func anIdTheUserTookForTheirOwnItemIsAConflict() throws {
        let added = Change(changeId: "user-3", recommendationId: "c", kind: .add(C.recommendation("c")), happened: day("2024"),
                           recorded: time("2024-03-02T00:00:00Z"))
        let error = thrown { _ = try AgendaUpdate.make(tracker: Self.old, history: Self.oldLog + [added], bundled: Self.new, bundledChanges: Self.newLog) }
        #expect(error?.exitCode == 65 && error?.description.contains("\"c\"") == true)
    }

    @Test func whetherAnUpdateIsAvailable() {
        #expect(AgendaUpdate.isAvailable(for: Self.old.catalogs, bundled: Self.new.catalogs))
        #expect(!AgendaUpdate.isAvailable(for: Self.new.catalogs, bundled: Self.new.catalogs))
        let foreign = [Catalog(id: "other", title: "", description: "", version: "1", source: "", isDefault: true)]
        #expect(!AgendaUpdate.isAvailable(for: foreign, bundled: Self.new.catalogs))
        #expect(AgendaUpdate.isForeign(CatalogDocument(catalogs: foreign, sources: [], recommendations: []), bundled: Self.new))
    }
}
