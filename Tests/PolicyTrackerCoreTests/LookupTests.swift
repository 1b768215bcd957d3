import PolicyTrackerCore
import Testing

/// Finding items, statuses, actors, horizons and dates the way people type them, and filtering.
@Suite struct LookupTests {
    private func state() throws(TrackerError) -> TrackerState {
        try Fixture.state(ids: ["dtt", "dtt-review", "gsomia", "222-dialogue"])
    }

    private func item(_ query: String) throws -> String {
        try Lookup.item(query, in: state()).id
    }

    // MARK: Items

    @Test func exactIdBeatsAPrefixOfAnother() throws {
        #expect(try item("dtt") == "dtt")
        #expect(try item("dtt-review") == "dtt-review")
    }

    @Test func uniquePrefixMatchesInAnyCase() throws {
        #expect(try item("dtt-r") == "dtt-review")
        #expect(try item("DTT-R") == "dtt-review")
        #expect(try item("GS") == "gsomia")
        #expect(try item("222") == "222-dialogue")
        #expect(try item("DTT") == "dtt")
    }

    @Test func ambiguousPrefixListsTheCandidates() throws {
        let state = try state()
        let error = thrown { _ = try Lookup.item("dt", in: state) }
        #expect(error == .usage("\"dt\" is ambiguous: it could be dtt, dtt-review"))
        #expect(error?.exitCode == 64)
    }

    @Test func noMatchSuggestsItemsContainingTheQuery() throws {
        let state = try state()
        #expect(thrown { _ = try Lookup.item("review", in: state) }
            == .usage("no recommendation matches \"review\"; did you mean dtt-review?"))
        #expect(thrown { _ = try Lookup.item("T", in: state) }
            == .usage("no recommendation matches \"T\"; did you mean dtt, dtt-review?"))
    }

    @Test func noMatchListsAFewChoices() throws {
        let state = try state()
        #expect(thrown { _ = try Lookup.item("zzz", in: state) }
            == .usage("no recommendation matches \"zzz\" (choices: 222-dialogue, dtt, dtt-review, gsomia)"))
    }

    @Test func noMatchAmongManyListsNothing() throws {
        let many = try Fixture.state(ids: (1...13).map { "item-\($0)" })
        #expect(thrown { _ = try Lookup.item("zzz", in: many) } == .usage("no recommendation matches \"zzz\""))
    }

    @Test func messagesShowTheQuerySanitized() throws {
        let state = try state()
        #expect(thrown { _ = try Lookup.item("x\u{1B}[2J", in: state) }
            == .usage("no recommendation matches \"x^[[2J\" (choices: 222-dialogue, dtt, dtt-review, gsomia)"))
    }

    // MARK: Statuses, actors, horizons

    @Test func statusesByNameOrPrefix() throws {
        #expect(try Lookup.status("implemented") == .implemented)
        #expect(try Lookup.status("imp") == .implemented)
        #expect(try Lookup.status("in") == .inProgress)
        #expect(try Lookup.status("ST") == .stalled)
        #expect(try Lookup.status("n") == .notStarted)
        #expect(try Lookup.status("Partial") == .partial)
        #expect(thrown { _ = try Lookup.status("i") } == .usage("\"i\" is ambiguous: it could be implemented, in-progress"))
        #expect(thrown { _ = try Lookup.status("done") }
            == .usage("no status matches \"done\" (choices: implemented, in-progress, not-started, partial, reversed, stalled)"))
    }

    @Test func actorsByNameAliasOrPrefix() throws {
        #expect(try Lookup.actor("US", in: bundled) == .us)
        #expect(try Lookup.actor("korea", in: bundled) == .rok)
        #expect(try Lookup.actor("South Korea", in: bundled) == .rok)
        #expect(try Lookup.actor("jp", in: bundled) == .japan)
        #expect(try Lookup.actor("ja", in: bundled) == .japan)
        #expect(try Lookup.actor("r", in: bundled) == .rok)
        #expect(try Lookup.actor("u", in: bundled) == .us)
        #expect(thrown { _ = try Lookup.actor("china", in: bundled) } == .usage("no actor matches \"china\" (choices: Japan, ROK, US)"))
    }

    @Test func horizonsByNameOrPrefix() throws {
        #expect(try Lookup.horizon("s", in: bundled) == .shortTerm)
        #expect(try Lookup.horizon("MEDIUM", in: bundled) == .mediumTerm)
        #expect(try Lookup.horizon("long-term", in: bundled) == .longTerm)
        #expect(try Lookup.horizon("o", in: bundled) == .ongoing)
        #expect(thrown { _ = try Lookup.horizon("term", in: bundled) }
            == .usage("no horizon matches \"term\"; did you mean long-term, medium-term, short-term?"))
    }

    // MARK: Dates

    @Test func datesInEveryForm() throws {
        #expect(try Lookup.date("2023") == day("2023"))
        #expect(try Lookup.date("2023-08") == day("2023-08"))
        #expect(try Lookup.date("2023-08-18") == day("2023-08-18"))
    }

    @Test func invalidDateIsAUsageError() {
        let error = thrown { _ = try Lookup.date("2023-02-30") }
        #expect(error == .usage("invalid date \"2023-02-30\" (expected YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date)"))
        #expect(error?.exitCode == 64)
        #expect(thrown { _ = try Lookup.date("yesterday") }?.exitCode == 64)
    }

    // MARK: Filters

    private func filterState() throws(TrackerError) -> TrackerState {
        let catalog = Fixture.catalog([
            Fixture.recommendation("alpha", title: "Share missile data", category: "deterrence", actors: [.us, .japan], quote: "real-time warning"),
            Fixture.recommendation("beta", catalog: "extra", title: "Hold summits", summary: "Meet every year", category: "institutions", actors: [.rok]),
            Fixture.recommendation("gamma", title: "Quiet diplomacy", category: "diplomacy", watched: true),
        ])
        return try Replay.state(catalog: catalog, changes: [Fixture.change("c1", "beta", .status(.stalled))], locate: Fixture.locate, locateLink: Fixture.locateLink)
    }

    private func ids(_ filter: ItemFilter, notes: [String: [String]] = [:]) throws -> [String] {
        filter.apply(to: try filterState(), notes: notes).map(\.id)
    }

    @Test func emptyFilterKeepsEverythingSorted() throws {
        #expect(try ids(ItemFilter()) == ["alpha", "beta", "gamma"])
    }

    @Test func filterByEachCriterion() throws {
        var filter = ItemFilter()
        filter.statuses = [.stalled, .implemented]
        #expect(try ids(filter) == ["beta"])
        filter = ItemFilter()
        filter.category = "diplomacy"
        #expect(try ids(filter) == ["gamma"])
        filter = ItemFilter()
        filter.actor = .japan
        #expect(try ids(filter) == ["alpha", "gamma"])
        filter = ItemFilter()
        filter.catalog = "extra"
        #expect(try ids(filter) == ["beta"])
        filter = ItemFilter()
        filter.watchedOnly = true
        #expect(try ids(filter) == ["gamma"])
    }

    @Test func criteriaCombine() throws {
        var filter = ItemFilter()
        filter.actor = .us
        filter.statuses = [.notStarted]
        filter.watchedOnly = true
        #expect(try ids(filter) == ["gamma"])
        filter.catalog = "extra"
        #expect(try ids(filter) == [])
    }

    @Test func searchLooksInTextQuoteAndNotes() throws {
        var filter = ItemFilter()
        filter.search = "MISSILE"
        #expect(try ids(filter) == ["alpha"])
        filter.search = "warning"
        #expect(try ids(filter) == ["alpha"])
        filter.search = "every year"
        #expect(try ids(filter) == ["beta"])
        filter.search = "institutions"
        #expect(try ids(filter) == ["beta"])
        filter.search = "gam"
        #expect(try ids(filter) == ["gamma"])
        filter.search = "vilnius"
        #expect(try ids(filter) == [])
        #expect(try ids(filter, notes: ["gamma": ["Raised at the Vilnius meeting"]]) == ["gamma"])
    }

    @Test func searchCombinesWithOtherCriteria() throws {
        var filter = ItemFilter()
        filter.search = "i"
        filter.statuses = [.notStarted]
        #expect(try ids(filter) == ["alpha", "gamma"])
    }

    @Test func categoryLookupResolvesPrefixes() throws {
        let state = try filterState()
        #expect(try ItemFilter.category("dip", in: state) == "diplomacy")
        #expect(try ItemFilter.category("INST", in: state) == "institutions")
        #expect(thrown { _ = try ItemFilter.category("d", in: state) } == .usage("\"d\" is ambiguous: it could be deterrence, diplomacy"))
    }
}
