import PolicyTrackerCore
import Testing

/// A catalog's own actors, categories and horizons: finding a term, editing the list,
/// reading and writing it, replaying its changes, and the rules that keep it whole.
struct VocabularyTests {
    private typealias C = Fixture

    /// A made-up G7-like vocabulary with names that share words and a Korean name.
    static let g7 = Vocabulary(
        actors: [
            Term(id: "US", name: "United States", short: "US", aliases: ["USA"]),
            Term(id: "United Kingdom", short: "UK"),
            Term(id: "European Union", short: "EU"),
            Term(id: "대한민국", aliases: ["ROK"]),
        ],
        categories: [Term(id: "climate", name: "Climate and energy"), Term(id: "digital", name: "Digital and AI")],
        horizons: [Term(id: "short-term", name: "Short term"), Term(id: "long-term", name: "Long term")])

    @Test func aTermIsFoundByAnySpellingInAnyCaseOrAUniquePrefix() {
        let vocabulary = Self.g7
        #expect(vocabulary.match("usa", in: .actors)?.id == "US")
        #expect(vocabulary.match("united states", in: .actors)?.id == "US")
        #expect(vocabulary.match("uk", in: .actors)?.id == "United Kingdom")
        #expect(vocabulary.match("Euro", in: .actors)?.id == "European Union")
        #expect(vocabulary.match("rok", in: .actors)?.id == "대한민국")
        #expect(vocabulary.match("대한", in: .actors)?.id == "대한민국")
        #expect(vocabulary.match("climate and", in: .categories)?.id == "climate")
        #expect(vocabulary.match("LONG TERM", in: .horizons)?.id == "long-term")
        #expect(vocabulary.lookUp("united", in: .actors) == .ambiguous([vocabulary.actors[0], vocabulary.actors[1]]))
        #expect(vocabulary.lookUp("Canada", in: .actors) == .none)
        #expect(vocabulary.spelled("Euro", in: .actors) == nil, "no prefixes")
    }

    @Test func lookupErrorsNameTheChoicesOrTheCandidates() {
        #expect(thrown { _ = try Lookup.actor("united", in: Self.g7) } == .usage("\"united\" is ambiguous: it could be US, United Kingdom"))
        #expect(thrown { _ = try Lookup.actor("china", in: Self.g7) }
            == .usage("no actor matches \"china\" (choices: European Union, US, United Kingdom, 대한민국)"))
    }

    @Test func termsAreOrderedByTheVocabularyAndGivenOnce() {
        #expect(Self.g7.ordered(["European Union", "US", "Mars", "US"].map(Actor.init)).map(\.id) == ["US", "European Union", "Mars"])
    }

    @Test func anEditAddsRenamesOrRemovesOneTermWhereItStands() {
        let catalog = "g7"
        let canada = Term(id: "Canada")
        let added = VocabularyEdit(catalog: catalog, list: .actors, term: canada, previous: nil)
        #expect(added.action == "add" && added.applied(to: Self.g7).actors.last == canada)
        let renamed = Term(id: "United Kingdom", name: "United Kingdom of Great Britain", short: "UK")
        let rename = VocabularyEdit(catalog: catalog, list: .actors, term: renamed, previous: Self.g7.actors[1])
        #expect(rename.action == "rename" && rename.applied(to: Self.g7).actors[1] == renamed)
        let remove = VocabularyEdit(catalog: catalog, list: .horizons, term: nil, previous: Self.g7.horizons[0])
        #expect(remove.action == "remove" && remove.applied(to: Self.g7).horizons.map(\.id) == ["long-term"])
        #expect(VocabularyEdit(catalog: catalog, list: .actors, term: canada, previous: Self.g7.actors[0]).problem != nil)
        #expect(VocabularyEdit(catalog: catalog, list: .actors, term: nil, previous: nil).problem != nil)
        #expect(VocabularyEdit(catalog: catalog, list: .actors, term: Term(id: "US, Japan"), previous: nil).problem != nil)
    }

    @Test func aCatalogsVocabularyIsWrittenAndReadBack() throws {
        var document = C.catalog(ids: ["a"])
        document.catalogs[0].vocabulary = Self.g7
        document.recommendations[0].actors = [Actor("US"), Actor("대한민국")]
        document.recommendations[0].category = "digital"
        document.recommendations[0].horizon = Horizon("long-term")
        let text = CatalogFormat.encode(document)
        let read = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(text.utf8)))
        #expect(read.catalogs.first { $0.id == "main" }?.vocabulary == Self.g7)
        #expect(read.recommendations == document.recommendations)
        let tree = try CatalogFormat.decode(try SourceText(path: "catalog.json", bytes: Array(text.utf8)).parseDocument(),
                                            in: SourceText(path: "catalog.json", bytes: Array(text.utf8)))
        #expect(tree == read, "the direct reader and the tree agree")
    }

    @Test func aValueTheCatalogLacksIsRefusedAtItsPosition() {
        var document = C.catalog(ids: ["a"])
        document.catalogs[0].vocabulary = Self.g7
        document.recommendations[0].category = "digital"
        document.recommendations[0].horizon = Horizon("long-term")
        document.recommendations[0].actors = [Actor("US"), Actor("Mars")]
        let text = CatalogFormat.encode(document)
        let error = thrown { _ = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(text.utf8))) }
        guard case .badData(_, let line?, _, let message)? = error else { Issue.record("accepted"); return }
        #expect(message.hasPrefix("actor \"Mars\" is not in the vocabulary of catalog \"main\""), "\(message)")
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1].contains("\"Mars\""))
    }

    @Test func twoTermsMayNotShareASpelling() {
        var document = C.catalog(ids: [])
        document.catalogs[0].vocabulary = Vocabulary(actors: [Term(id: "US", aliases: ["America"]), Term(id: "CA", name: "america")])
        let text = CatalogFormat.encode(document)
        let error = thrown { _ = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(text.utf8))) }
        guard case .badData(_, _, _, let message)? = error else { Issue.record("accepted"); return }
        #expect(message == "actor \"america\" names both \"US\" and \"CA\"")
    }

    @Test func aCatalogWithoutOneGetsTheBundledOrItsRecommendationsCategories() throws {
        let text = """
            {"schemaVersion": 1, "catalogs": [{"id": "ncafp-2021", "title": "T"}, {"id": "other", "title": "O"}],
             "recommendations": [{"id": "a", "catalog": "other", "title": "A", "category": "people", "horizon": "ongoing",
                                  "actors": ["ROK"], "source": {"id": "s"}}]}
            """
        let document = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(text.utf8)))
        let bundled = try Bundled.catalog().catalogs.first { $0.id == "ncafp-2021" }!.vocabulary
        #expect(document.catalogs[0].vocabulary == bundled)
        #expect(document.catalogs[1].vocabulary.actors == bundled.actors && document.catalogs[1].vocabulary.horizons == bundled.horizons)
        #expect(document.catalogs[1].vocabulary.categories.map(\.id) == ["people"])
    }

    @Test func aVocabularyChangeRoundTripsThroughALineAndTheReplayAppliesAndRevertsIt() throws {
        let edit = VocabularyEdit(catalog: "main", list: .actors, term: Term(id: "EU", name: "European Union"), previous: nil)
        let change = Change(changeId: "v1", recommendationId: "", kind: .vocabulary(edit), happened: day("2024"), recorded: time("2024-01-01T00:00:00Z"))
        let line = ChangeLogFormat.encodeLine(change)
        #expect(line == #"{"catalog":"main","changeId":"v1","happened":"2024","kind":"vocabulary","list":"actors","recorded":"2024-01-01T00:00:00Z","schemaVersion":2,"term":{"id":"EU","name":"European Union"}}"#)
        let decoded = try ChangeLogFormat.decode(SourceText(path: "log", bytes: Array((line + "\n").utf8))).changes
        #expect(decoded == [change])
        let applied = try C.state(ids: ["a"], changes: [change])
        #expect(applied.vocabulary(of: "main").actors.map(\.id) == ["EU"])
        let revert = Change(changeId: "v2", recommendationId: "", kind: .revert(changeId: "v1"), happened: day("2024"), recorded: time("2024-01-02T00:00:00Z"))
        #expect(ChangeLogFormat.encodeLine(revert).contains("\"id\"") == false)
        #expect(try C.state(ids: ["a"], changes: [change, revert]).vocabulary(of: "main").actors.isEmpty)
        #expect(try C.state(ids: ["a"], changes: [change]).items["a"]?.changeCount == 0, "no item is touched")
    }

    @Test func aVocabularyChangeForAnUnknownCatalogIsRefused() {
        let edit = VocabularyEdit(catalog: "nowhere", list: .actors, term: Term(id: "EU"), previous: nil)
        let change = Change(changeId: "v1", recommendationId: "", kind: .vocabulary(edit), happened: day("2024"), recorded: time("2024-01-01T00:00:00Z"))
        #expect(thrown { _ = try C.state(ids: ["a"], changes: [change]) }
            == .badData(path: "log", line: 1, column: nil, message: "changes the vocabulary of unknown catalog \"nowhere\""))
    }

    @Test func theFactoryKeepsTheVocabularyWhole() throws {
        var state = try C.state(ids: ["a"])
        state.catalogs[0].vocabulary = Self.g7
        state.items["a"]!.recommendation.actors = [Actor("US")]
        let factory = ChangeFactory(now: C.now, ids: C.countingIds())
        let added = try factory.addTerm(Term(id: "Canada"), to: .actors, of: "main", in: state, note: nil)
        #expect(added.recommendationId == "" && added.kind.vocabularyEdit?.action == "add")
        #expect(thrown { _ = try factory.addTerm(Term(id: "Canada", aliases: ["usa"]), to: .actors, of: "main", in: state, note: nil) }
            == .usage("actor \"usa\" names both \"US\" and \"Canada\""))
        #expect(thrown { _ = try factory.addTerm(Term(id: "US"), to: .actors, of: "main", in: state, note: nil) }
            == .usage("catalog \"main\" already has actor \"US\""))
        let renamed = try factory.renameTerm("uk", in: .actors, of: "main", name: "Britain", short: nil, aliases: nil, in: state, note: nil)
        #expect(renamed.kind.vocabularyEdit?.term?.name == "Britain" && renamed.kind.vocabularyEdit?.term?.id == "United Kingdom")
        #expect(thrown { _ = try factory.removeTerm("usa", in: .actors, of: "main", in: state, note: nil) }
            == .usage("actor \"US\" is still used by 1 recommendation of catalog \"main\" (a); change them first with ptrack edit"))
        #expect(try factory.removeTerm("eu", in: .actors, of: "main", in: state, note: nil).kind.vocabularyEdit?.term == nil)
        #expect(thrown { try ChangeFactory.refuseVocabularyRevert(of: added, in: state) } == nil, "Canada is in no item")
    }

    @Test func aDraftIsResolvedInItsCatalogsVocabulary() throws {
        let draft = RecommendationDraft(category: "digital and", horizon: "short", actors: ["eu", "usa"])
        let patch = try draft.patch(current: nil, vocabulary: Self.g7)
        #expect(patch.category == "digital" && patch.horizon == Horizon("short-term"))
        #expect(patch.actors == [Actor("US"), Actor("European Union")], "in the vocabulary's order")
    }
}
