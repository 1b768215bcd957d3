import Foundation
import PolicyTrackerCore
import Testing

/// The agenda bundled with ptrack: its shape, its integrity and its replayed history.
@Suite struct CatalogTests {
    @Test func hasFourCatalogsWithNCAFPAsDefault() throws {
        let catalog = try Bundled.catalog()
        #expect(catalog.catalogs.map(\.id).sorted() == ["camp-david-2023", "camp-david-preview-2023", "ncafp-2021", "trilateral-2024"])
        #expect(catalog.catalogs.allSatisfy { $0.version == "2026.12" })
        #expect(catalog.catalogs.filter(\.isDefault).map(\.id) == ["ncafp-2021"])
        #expect(try Bundled.state().defaultCatalog == "ncafp-2021")
    }

    @Test func ncafpCatalogHoldsExactlyTwentyFourRecommendations() throws {
        let catalog = try Bundled.catalog()
        #expect(catalog.recommendations.filter { $0.catalog == "ncafp-2021" }.count == 24)
        #expect(catalog.recommendations.filter { $0.catalog == "camp-david-2023" }.count == 16)
        #expect(catalog.recommendations.filter { $0.catalog == "camp-david-preview-2023" }.count == 5)
        #expect(catalog.recommendations.filter { $0.catalog == "trilateral-2024" }.count == 2)
    }

    @Test(arguments: ["low-hanging-fruit", "222-dialogue", "gsomia", "dtt"])
    func requiredRecommendationExists(_ id: String) throws {
        let recommendation = try #require(try Bundled.catalog().recommendations.first { $0.id == id })
        #expect(recommendation.catalog == "ncafp-2021")
        #expect(Slug.isValid(recommendation.id))
    }

    @Test func recommendationIdsAreUniqueSlugs() throws {
        let ids = try Bundled.catalog().recommendations.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy(Slug.isValid))
    }

    @Test func everyRecommendationCitesADefinedSourceWithAQuote() throws {
        let catalog = try Bundled.catalog()
        let sourceIds = Set(catalog.sources.map(\.id))
        #expect(sourceIds.isSuperset(of: ["foreman-yeo-2023", "kwon-2021", "vandenbroeck-2023", "zhang-yang-2024"]))
        for recommendation in catalog.recommendations {
            #expect(sourceIds.contains(recommendation.source.source), "\(recommendation.id)")
            let quote = (recommendation.source.quote ?? "").trimmingCharacters(in: .whitespaces)
            #expect(quote != "", "\(recommendation.id) has no quote")
        }
        for catalogEntry in catalog.catalogs {
            #expect(sourceIds.contains(catalogEntry.source), "\(catalogEntry.id)")
        }
    }

    @Test func everyRecommendationWasLookedAt() throws {
        // A status change or a review in effect for every item: where nothing was found, a
        // review says what was looked for.
        let catalog = try Bundled.catalog()
        let changes = try Bundled.changes()
        let cancelled = Replay.cancelledChangeIds(changes)
        let looked = Set(changes.filter { $0.isStatusOrReview && !cancelled.contains($0.changeId) }.map(\.recommendationId))
        #expect(catalog.recommendations.map(\.id).filter { !looked.contains($0) } == [])
    }

    @Test func everyChangeCitingASourceCitesADefinedOne() throws {
        let sourceIds = Set(try Bundled.catalog().sources.map(\.id))
        let changes = try Bundled.changes()
        #expect(changes.count == 236)
        for change in changes {
            if let source = change.source { #expect(sourceIds.contains(source), "\(change.changeId) cites \(source)") }
            if change.kind.isRevert { #expect(change.note != nil, "\(change.changeId) withdraws a claim without saying why") }
        }
    }

    @Test func theBundledCheckFindsNoError() throws {
        let state = try Bundled.state()
        let result = Checker.run(state: state, history: try Bundled.changes(), settings: Checker.Settings(today: day("2026-12-06")))
        #expect(result.findings.filter { $0.severity == .error }.map(\.message) == [])
        #expect(result.findings.filter { $0.rule == .linkConflict }.map(\.message) == [])
    }

    @Test func changeIdsAreUnique() throws {
        let ids = try Bundled.changes().map(\.changeId)
        #expect(Set(ids).count == ids.count)
    }

    // MARK: Round trips

    @Test func reencodingTheCatalogReproducesTheBundledBytes() throws {
        #expect(CatalogFormat.encode(try Bundled.catalog()) == Bundled.catalogText)
    }

    /// The bundled log was written by schema version 1 and only grows, so its lines keep
    /// that version; otherwise they are exactly what ptrack writes.
    @Test func reencodingTheChangesReproducesTheBundledBytes() throws {
        let encoded = try Bundled.changes().map { ChangeLogFormat.encodeLine($0) + "\n" }.joined()
        let current = "\"schemaVersion\":\(SchemaVersion.current)"
        #expect(encoded == Bundled.changesText.replacingOccurrences(of: "\"schemaVersion\":1", with: current))
    }

    @Test func everyKindOfChangeRoundTripsThroughALine() throws {
        let added = Fixture.recommendation("new", summary: "s", actors: [.rok, .us], quote: "q")
        let changes = [
            Fixture.change("c1", "a", .status(.partial), note: "line\nbreak \"quoted\" 한국", source: "https://example.org"),
            Fixture.change("c2", "a", .watch(true)),
            Fixture.change("c3", "a", .review, happened: "2023-08-18"),
            Fixture.change("c4", "a", .edit(
                RecommendationPatch(title: "T", horizon: .longTerm, actors: [.japan], source: Citation(source: "src", quote: "x")),
                previous: RecommendationPatch(title: "Old", horizon: .ongoing, actors: [.us, .rok], source: Citation(source: "src")))),
            Fixture.change("c5", "new", .add(added), happened: "2024-01"),
            Fixture.change("c6", "a", .revert(changeId: "c2")),
        ]
        let text = changes.map { ChangeLogFormat.encodeLine($0) + "\n" }.joined()
        let decoded = try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: Array(text.utf8)))
        #expect(decoded.changes == changes)
        #expect(decoded.lineCount == 6)
        #expect(ChangeLogFormat.encodeLine(changes[1])
            == #"{"changeId":"c2","happened":"2023","id":"a","kind":"watch","recorded":"2024-01-01T00:00:00Z","schemaVersion":2,"watched":true}"#)
    }

    @Test func bundledLogDecodesCompletely() throws {
        let decoded = try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: BundledAgenda.changesBytes))
        #expect(decoded.lineCount == 236)
        #expect(decoded.completeBytes == BundledAgenda.changesBytes.count)
        #expect(decoded.tornTailBytes == 0)
    }

    // MARK: Replayed history

    /// The statuses the corrected evidence gives, each resting on a cited passage (see
    /// `docs/sources.md`): no claim the review of the 2024.01 edition found unsupported stands.
    @Test func currentStatusesMatchTheEvidence() throws {
        let items = try Bundled.state().items
        let expected: [String: (Status, String?)] = [
            "222-dialogue": (.notStarted, nil), "gsomia": (.partial, "2023-03-21"), "dtt": (.inProgress, "2023-04-14"),
            "multilevel-engagement": (.partial, "2023-08-18"), "repair-bilateral-ties": (.implemented, "2024-04-10"),
            "review-military-arrangements": (.notStarted, nil), "military-coordination": (.notStarted, nil),
            "interdependence-mechanism": (.notStarted, nil), "cptpp-entry": (.inProgress, "2026-01-13"),
            "missile-data-sharing": (.implemented, "2023-12-19"), "crisis-hotline": (.partial, "2023-10"),
            "trilateral-secretariat": (.implemented, "2024-11-20"), "annual-leaders-summit": (.stalled, "2025-10-28"),
            "trilateral-exercises": (.inProgress, "2023-12-19"),
        ]
        for (id, (status, since)) in expected {
            #expect(items[id]?.status == status, "\(id)")
            #expect(items[id]?.lastChange?.text == since, "\(id)")
        }
        #expect(items.count == 47)
    }

    @Test func currentStatusesTallyAsExpected() throws {
        let tally = Tally(try Bundled.state().items.values)
        #expect(tally.total == 47)
        #expect(Status.allCases.map(tally.count) == [13, 20, 7, 6, 1, 0])
    }

    @Test func statusChangeRecordsTheWinningChange() throws {
        let item = try #require(try Bundled.state().items["gsomia"])
        #expect(item.status == .partial && item.lastChange == day("2023-03-21"))
        let winner = try #require(try Bundled.changes().first { $0.changeId == item.statusChange?.changeId })
        #expect(winner.status == .partial && winner.source != nil && winner.quote != nil)
    }

    @Test func noStatusIsSetBeforeTheRecommendationsWereMade() throws {
        // The 2021 recommendations were made in February 2021: as of 2020 nothing stands.
        let state = try Bundled.state(asOf: day("2020"))
        #expect(state.items.values.filter { $0.statusChange != nil }.map(\.id) == [])
    }

    @Test func asOfMidMonthCountsMonthDatedEvidence() throws {
        // Evidence dated 2023-10 counts from 1 October, so it is in effect by 15 October 2023.
        #expect(try Bundled.state(asOf: day("2023-10-15")).items["crisis-hotline"]?.status == .partial)
        #expect(try Bundled.state(asOf: day("2023-09-30")).items["crisis-hotline"]?.status == .notStarted)
    }
}
