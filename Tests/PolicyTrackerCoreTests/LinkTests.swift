import Foundation
import PolicyTrackerCore
import Testing

/// Links between recommendations: the form ptrack writes them in, the checks over the whole
/// tracker and where their errors point, edits of links, and the index of links both ways.
/// (What a link may not look like in a file is in ``CatalogFormatErrorTests``.)
@Suite struct LinkTests {
    /// The state of a catalog of `recommendations` after `changes`.
    private func state(_ recommendations: [Recommendation], _ changes: [Change] = []) throws(TrackerError) -> TrackerState {
        try Replay.state(catalog: Fixture.catalog(recommendations), changes: changes, locate: Fixture.locate, locateLink: Fixture.locateLink)
    }

    private func replayError(_ recommendations: [Recommendation], _ changes: [Change] = []) -> TrackerError? {
        thrown { _ = try state(recommendations, changes) }
    }

    /// The 1-based line and column of the first `needle` in `text` (ASCII before it on its line).
    private func position(of needle: String, in text: String) throws -> (line: Int, column: Int) {
        let before = text[..<(try #require(text.range(of: needle))).lowerBound]
        let lines = before.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.count, lines[lines.count - 1].count + 1)
    }

    // MARK: The form ptrack writes

    @Test func linksAreWrittenByKindThenIdAndLeftOutWhenThereAreNone() {
        let linked = Fixture.recommendation("a", links: [Link(.supersedes, "c"), Link(.advances, "d"), Link(.advances, "b")])
        let line = ChangeLogFormat.encodeLine(Fixture.change("c1", "a", .add(linked)))
        #expect(line.contains(#""links":[{"id":"b","kind":"advances"},{"id":"d","kind":"advances"},{"id":"c","kind":"supersedes"}],"#))
        #expect(!ChangeLogFormat.encodeLine(Fixture.change("c2", "b", .add(Fixture.recommendation("b")))).contains("links"))
    }

    @Test func aCatalogWithLinksIsReadInAnyOrderAndWrittenInTheStableForm() throws {
        let text = """
            {"schemaVersion": 1, "catalogs": [{"id": "main", "title": "Main"}], "sources": [], "recommendations": [
              {"id": "b", "catalog": "main", "title": "B", "category": "c", "horizon": "ongoing", "source": {"id": "s"}, "links": []},
              {"id": "a", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "source": {"id": "s"},
               "links": [{"id": "b", "kind": "supersedes"}, {"kind": "advances", "id": "b"}]}]}
            """
        let document = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(text.utf8)))
        #expect(document.recommendations.map(\.links) == [[], [Link(.advances, "b"), Link(.supersedes, "b")]])
        // The catalog's vocabulary (derived from its recommendations) is written too; this
        // test is about links, so it leaves it out.
        var plain = document
        plain.catalogs[0].vocabulary = Vocabulary()
        let written = CatalogFormat.encode(plain)
        #expect(written == """
            {
              "catalogs": [
                {
                  "default": false,
                  "description": "",
                  "id": "main",
                  "source": "",
                  "title": "Main",
                  "version": ""
                }
              ],
              "recommendations": [
                {
                  "actors": [],
                  "catalog": "main",
                  "category": "c",
                  "horizon": "ongoing",
                  "id": "a",
                  "links": [
                    {
                      "id": "b",
                      "kind": "advances"
                    },
                    {
                      "id": "b",
                      "kind": "supersedes"
                    }
                  ],
                  "source": {
                    "id": "s"
                  },
                  "summary": "",
                  "title": "A",
                  "watched": false
                },
                {
                  "actors": [],
                  "catalog": "main",
                  "category": "c",
                  "horizon": "ongoing",
                  "id": "b",
                  "source": {
                    "id": "s"
                  },
                  "summary": "",
                  "title": "B",
                  "watched": false
                }
              ],
              "schemaVersion": 2,
              "sources": []
            }

            """)
        let reread = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(written.utf8)))
        #expect(reread.recommendations == document.recommendations.sorted { $0.id < $1.id })
        var rereadPlain = reread
        rereadPlain.catalogs[0].vocabulary = Vocabulary()
        #expect(CatalogFormat.encode(rereadPlain) == written)
    }

    @Test func anEditOfTheLinksNamesThemAndKeepsTheOldOnes() {
        let recommendation = Fixture.recommendation("a", links: [Link(.advances, "b")])
        let patch = RecommendationPatch(links: [Link(.supersedes, "c"), Link(.advances, "c")])
        #expect(patch.links == [Link(.advances, "c"), Link(.supersedes, "c")])
        #expect(patch.fieldNames == ["links"])
        #expect(patch.previousValues(in: recommendation) == RecommendationPatch(links: [Link(.advances, "b")]))
        #expect(RecommendationPatch(links: []).applied(to: recommendation).links == [])
        let line = ChangeLogFormat.encodeLine(Fixture.change("c1", "a", .edit(RecommendationPatch(links: []), previous: RecommendationPatch(links: recommendation.links))))
        #expect(line.contains(#""fields":{"links":[]},"#))
        #expect(line.contains(#""previous":{"links":[{"id":"b","kind":"advances"}]},"#))
    }

    // MARK: Checks over the whole tracker

    @Test func aCatalogLinkToItselfIsRefused() {
        let error = replayError([Fixture.recommendation("a"), Fixture.recommendation("b", links: [Link(.supersedes, "b")])])
        #expect(error == .badData(path: "catalog", line: 2, column: nil, message: "\"b\" supersedes itself"))
    }

    @Test func aCatalogLinkToAnItemTheTrackerDoesNotHaveIsRefused() {
        let error = replayError([Fixture.recommendation("a", links: [Link(.advances, "b"), Link(.advances, "zzz")]), Fixture.recommendation("b")])
        #expect(error == .badData(path: "catalog", line: 1, column: nil, message: "advances \"zzz\", which the tracker does not have"))
    }

    @Test func linksMayPointAtItemsTheLogAddsAndAcrossCatalogs() throws {
        let tracker = try state(
            [Fixture.recommendation("a", links: [Link(.advances, "new")])],
            [
                Fixture.change("c1", "new", .add(Fixture.recommendation("new", catalog: "extra", links: [Link(.advances, "later")]))),
                Fixture.change("c2", "later", .add(Fixture.recommendation("later", links: [Link(.supersedes, "new")]))),
            ])
        #expect(LinkIndex(tracker.items).linkedFrom("new") == [Link(.advances, "a"), Link(.supersedes, "later")])
        #expect(LinkIndex(tracker.items).linkedFrom("later") == [Link(.advances, "new")])
    }

    @Test func anAdditionLinkingToAnItemTheTrackerDoesNotHaveIsRefused() {
        let changes = [
            Fixture.change("c1", "a", .review),
            Fixture.change("c2", "new", .add(Fixture.recommendation("new", links: [Link(.supersedes, "gone")]))),
        ]
        #expect(replayError([Fixture.recommendation("a")], changes) == .badData(
            path: "log", line: 2, column: nil, message: "supersedes \"gone\", which the tracker does not have"))
    }

    @Test func anEditLinkingAnItemToItselfIsRefused() {
        let edit = Fixture.change("c1", "a", .edit(RecommendationPatch(links: [Link(.advances, "a")]), previous: RecommendationPatch(links: [])))
        #expect(replayError([Fixture.recommendation("a")], [edit]) == .badData(path: "log", line: 1, column: nil, message: "\"a\" advances itself"))
    }

    @Test func anEditReplacesTheLinksAndItsRevertRestoresThem() throws {
        let catalog = [Fixture.recommendation("a", links: [Link(.advances, "b")]), Fixture.recommendation("b"), Fixture.recommendation("c")]
        let edit = Fixture.change("c1", "a", .edit(RecommendationPatch(links: [Link(.supersedes, "c")]), previous: RecommendationPatch(links: [Link(.advances, "b")])))
        let edited = try state(catalog, [edit])
        #expect(edited.items["a"]?.recommendation.links == [Link(.supersedes, "c")])
        #expect(LinkIndex(edited.items).linkedFrom("b") == [])
        let reverted = try state(catalog, [edit, Fixture.change("c2", "a", .revert(changeId: "c1"))])
        #expect(reverted.items["a"]?.recommendation.links == [Link(.advances, "b")])
    }

    // MARK: Where the errors point

    @Test func aBadLinkInCatalogJSONIsLocatedAtItsTarget() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            var document = try Bundled.catalog()
            let dtt = try #require(document.recommendations.firstIndex { $0.id == "dtt" })
            document.recommendations[dtt].links = [Link(.advances, "gsomia"), Link(.supersedes, "nowhere")]
            let text = CatalogFormat.encode(document)
            try writeFile(store.catalogPath, text)
            let (line, column) = try position(of: "\"nowhere\"", in: text)
            let error = thrown { _ = try store.load() }
            #expect(error == .badData(path: store.catalogPath, line: line, column: column, message: "supersedes \"nowhere\", which the tracker does not have"))
            #expect(error?.exitCode == 65)
        }
    }

    @Test func aBadLinkInTheLogIsLocatedAtItsTargetPastTheSnapshotAndWithout() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            // Recorded through the store, which trusts what it is given, so the line lies past a snapshot that still holds.
            let edit = Fixture.change(
                "c1", "dtt", .edit(RecommendationPatch(links: [Link(.advances, "gsomia"), Link(.advances, "nowhere")]), previous: RecommendationPatch(links: [])))
            try store.record { _ in [edit] }
            let line = ChangeLogFormat.encodeLine(edit)
            let (_, column) = try position(of: "\"nowhere\"", in: line)
            let expected = TrackerError.badData(path: store.changesPath, line: Bundled.lineCount + 1, column: column, message: "advances \"nowhere\", which the tracker does not have")
            #expect(thrown { _ = try store.load() } == expected)
            #expect(thrown { try store.record(about: "dtt") { _ in [] } } == expected)
            try FileManager.default.removeItem(atPath: store.snapshotPath)
            #expect(thrown { _ = try store.load() } == expected)
        }
    }

    // MARK: Both ways

    @Test func theBundledLaterItemsAdvanceEarlierOnes() throws {
        // Later agendas carry earlier ones forward: every link points from a later catalog to
        // an earlier one, and only "advances".
        let tracker = try Bundled.state()
        let order = ["ncafp-2021": 0, "camp-david-preview-2023": 1, "camp-david-2023": 2, "trilateral-2024": 3]
        let links = tracker.items.values.flatMap { item in item.recommendation.links.map { (item, $0) } }
        #expect(links.count == 32)
        for (item, link) in links {
            let from = try #require(order[item.recommendation.catalog])
            let to = try #require(tracker.items[link.id].flatMap { order[$0.recommendation.catalog] })
            #expect(from > to, "\(item.id) → \(link.id)")
            #expect(link.kind == .advances)
        }
        #expect(LinkIndex(tracker.items).linkedFrom("multilevel-engagement") == [
            Link(.advances, "annual-leaders-summit"), Link(.advances, "ministerial-meetings"), Link(.advances, "nsa-meetings"),
            Link(.advances, "trilateral-secretariat"), Link(.advances, "working-level-tracks"),
        ])
        #expect(LinkIndex(tracker.items).linkedFrom("222-dialogue") == [])
    }

    @Test func entriesListAnItemsOwnLinksThenThoseThatPointAtIt() throws {
        let tracker = try state([
            Fixture.recommendation("a", links: [Link(.supersedes, "c"), Link(.advances, "b")]), Fixture.recommendation("b"),
            Fixture.recommendation("c", links: [Link(.advances, "a")]), Fixture.recommendation("d", links: [Link(.supersedes, "a")]),
            Fixture.recommendation("e", links: [Link(.advances, "a")]),
        ])
        let entries = LinkIndex(tracker.items).entries(of: try #require(tracker.items["a"]), in: tracker.items)
        #expect(entries.map(\.label) == ["Advances", "Supersedes", "Advanced by", "Advanced by", "Superseded by"])
        #expect(entries.map(\.id) == ["b", "c", "c", "e", "d"])
        #expect(entries.map { $0.item?.id } == ["b", "c", "c", "e", "d"])
        #expect(LinkEntry.labelWidth == "Superseded by".count)
    }

    @Test func aLinkToAnItemWhoseAdditionWasRevertedShowsItMissing() throws {
        let tracker = try state(
            [Fixture.recommendation("a", links: [Link(.advances, "new")])],
            [Fixture.change("c1", "new", .add(Fixture.recommendation("new"))), Fixture.change("c2", "new", .revert(changeId: "c1"))])
        let entries = LinkIndex(tracker.items).entries(of: try #require(tracker.items["a"]), in: tracker.items)
        #expect(entries.map(\.label) == ["Advances"])
        #expect(entries.map(\.id) == ["new"])
        #expect(entries.first?.item == nil)
    }
}
