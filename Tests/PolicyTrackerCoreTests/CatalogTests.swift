import Foundation
import PolicyTrackerCore
import Testing

/// The agenda bundled with ptrack: its shape, its integrity and its replayed history.
@Suite struct CatalogTests {
    @Test func hasTwoCatalogsWithNCAFPAsDefault() throws {
        let catalog = try Bundled.catalog()
        #expect(catalog.catalogs.map(\.id).sorted() == ["camp-david-2023", "ncafp-2021"])
        #expect(catalog.catalogs.filter(\.isDefault).map(\.id) == ["ncafp-2021"])
        #expect(try Bundled.state().defaultCatalog == "ncafp-2021")
    }

    @Test func ncafpCatalogHoldsExactlyTwentyFourRecommendations() throws {
        let catalog = try Bundled.catalog()
        #expect(catalog.recommendations.filter { $0.catalog == "ncafp-2021" }.count == 24)
        #expect(catalog.recommendations.filter { $0.catalog == "camp-david-2023" }.count == 9)
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
        #expect(sourceIds == ["foreman-yeo-2023", "kwon-2021", "vandenbroeck-2023", "zhang-yang-2024"])
        for recommendation in catalog.recommendations {
            #expect(sourceIds.contains(recommendation.source.source), "\(recommendation.id)")
            let quote = (recommendation.source.quote ?? "").trimmingCharacters(in: .whitespaces)
            #expect(quote != "", "\(recommendation.id) has no quote")
        }
        for catalogEntry in catalog.catalogs {
            #expect(sourceIds.contains(catalogEntry.source), "\(catalogEntry.id)")
        }
    }

    @Test func everyRecommendationHasAStatusChange() throws {
        let catalog = try Bundled.catalog()
        let changed = Set(try Bundled.changes().filter { $0.status != nil }.map(\.recommendationId))
        let missing = catalog.recommendations.map(\.id).filter { !changed.contains($0) }
        #expect(missing == [])
    }

    @Test func everyChangeCitesADefinedSource() throws {
        let sourceIds = Set(try Bundled.catalog().sources.map(\.id))
        let changes = try Bundled.changes()
        #expect(changes.count == 68)
        for change in changes {
            #expect(change.source.map(sourceIds.contains) == true, "\(change.changeId) cites \(change.source ?? "nothing")")
        }
    }

    @Test func changeIdsAreUnique() throws {
        let ids = try Bundled.changes().map(\.changeId)
        #expect(Set(ids).count == ids.count)
    }

    // MARK: Round trips

    @Test func reencodingTheCatalogReproducesTheBundledBytes() throws {
        #expect(CatalogFormat.encode(try Bundled.catalog()) == Bundled.catalogText)
    }

    @Test func reencodingTheChangesReproducesTheBundledBytes() throws {
        let encoded = try Bundled.changes().map { ChangeLogFormat.encodeLine($0) + "\n" }.joined()
        #expect(encoded == Bundled.changesText)
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
            == #"{"changeId":"c2","happened":"2023","id":"a","kind":"watch","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"watched":true}"#)
    }

    @Test func bundledLogDecodesCompletely() throws {
        let decoded = try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: BundledAgenda.changesBytes))
        #expect(decoded.lineCount == 68)
        #expect(decoded.completeBytes == BundledAgenda.changesBytes.count)
        #expect(decoded.tornTailBytes == 0)
    }

    // MARK: Replayed history

    @Test func currentStatusesMatchTheEvidence() throws {
        let items = try Bundled.state().items
        let expected: [String: Status] = [
            "multilevel-engagement": .implemented, "repair-bilateral-ties": .implemented,
            "cptpp-entry": .stalled, "interdependence-mechanism": .stalled,
            "dtt": .notStarted, "222-dialogue": .notStarted, "gsomia": .inProgress,
            "low-hanging-fruit": .partial, "low-profile-diplomacy": .partial, "do-no-harm": .inProgress,
            "nuclear-contingency-planning": .notStarted,
        ]
        for (id, status) in expected {
            #expect(items[id]?.status == status, "\(id)")
        }
        #expect(items.count == 33)
    }

    @Test func currentStatusesTallyAsExpected() throws {
        let tally = Tally(try Bundled.state().items.values)
        #expect(tally.total == 33)
        #expect(tally.count(.inProgress) == 15)
        #expect(tally.count(.notStarted) == 10)
        #expect(tally.count(.partial) == 4)
        #expect(tally.count(.implemented) == 2)
        #expect(tally.count(.stalled) == 2)
        #expect(tally.count(.reversed) == 0)
    }

    @Test func statusChangeRecordsTheWinningChange() throws {
        let item = try #require(try Bundled.state().items["multilevel-engagement"])
        #expect(item.statusChange?.changeId == "agenda-multilevel-engagement-13")
        #expect(item.lastChange == day("2024-01-05"))
        #expect(item.changeCount == 13)
        #expect(item.recommendation.lastReviewed == day("2024-01-31"))
    }

    @Test func asOf2020ShowsTheBacksliding() throws {
        let state = try Bundled.state(asOf: day("2020"))
        let changed = state.items.values.filter { $0.statusChange != nil }
        #expect(Dictionary(uniqueKeysWithValues: changed.map { ($0.id, $0.status) }) == [
            "multilevel-engagement": .reversed, "do-no-harm": .reversed, "interdependence-mechanism": .reversed,
        ])
        #expect(state.items["gsomia"]?.status == .notStarted)
        #expect(state.items["multilevel-engagement"]?.lastChange == day("2019"))
    }

    @Test func asOf2018MultilevelEngagementIsStalled() throws {
        let state = try Bundled.state(asOf: day("2018"))
        #expect(state.items["multilevel-engagement"]?.status == .stalled)
        #expect(state.items["interdependence-mechanism"]?.status == .notStarted)
        #expect(state.items["do-no-harm"]?.status == .reversed)
    }

    @Test func asOfMidMonthCountsMonthDatedEvidence() throws {
        // 2022-05 evidence counts from 1 May, so it is in effect by 15 May 2022.
        let state = try Bundled.state(asOf: day("2022-05-15"))
        #expect(state.items["multilevel-engagement"]?.statusChange?.changeId == "agenda-multilevel-engagement-8")
        #expect(state.items["repair-bilateral-ties"]?.status == .inProgress)
        #expect(try Bundled.state(asOf: day("2022-04-30")).items["repair-bilateral-ties"]?.status == .stalled)
    }
}
