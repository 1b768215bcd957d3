import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// The browser's forms: a status change (`x`, `m`), a review (`v`), an addition (`A`) and an
/// edit (`E`), checked with the command line's rules and words before they close.
@Suite struct FormTests {
    private func marking(_ id: String = "gsomia") throws -> AppState {
        var state = try Fixture.state()
        state.find(id)
        state.press(key("x"))
        return state
    }

    @Test func tabAndShiftTabMoveBetweenTheFieldsAndWrapAround() throws {
        var state = try marking()
        #expect(state.form?.fields.map(\.name) == [.status, .date, .source, .quote, .note])
        state.press(.tab)
        #expect(state.form?.focused.name == .status, "from Note, the last field, Tab wraps to the first")
        state.press(.backTab)
        #expect(state.form?.focused.name == .note)
        state.press(.backTab, .backTab)
        #expect(state.form?.focused.name == .source)
        state.press(.down)
        #expect(state.form?.focused.name == .quote, "↓ moves on when no source is suggested")
    }

    @Test func aDatedSourcedQuotedChangeIsRecordedWithEveryField() throws {
        var state = try marking()
        state.fill(.date, "2023-03")
        state.fill(.source, "https://example.org/made-up-report")
        state.fill(.quote, "A made-up quote")
        state.fill(.note, "A made-up test event")
        let effects = state.press(.enter)
        #expect(effects == [.record(.mark(
            itemId: "gsomia", status: .implemented, happened: PolicyDate("2023-03"), note: "A made-up test event",
            evidence: ChangeFactory.Evidence(source: "https://example.org/made-up-report", quote: "A made-up quote")))])
    }

    @Test func theDateIsCheckedAsItIsTypedWithTheCommandLinesWords() throws {
        var state = try marking()
        state.fill(.date, "2023-13")
        #expect(state.form?.problem == "invalid date \"2023-13\" (expected YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date)")
        #expect(state.press(.enter).isEmpty, "Enter does not save a bad date")
        #expect(state.form != nil)
        state.fill(.date, "2031")
        #expect(state.form?.problem == "the date 2031 is in the future (today is \(Fixture.today.text))")
        state.fill(.date, "2023")
        #expect(state.form?.problem == nil)
    }

    @Test func aQuoteWithoutItsSourceKeepsTheFormOpen() throws {
        var state = try marking()
        state.fill(.quote, "A made-up quote")
        #expect(state.press(.enter).isEmpty)
        #expect(state.form?.problem == "a quote needs its source: name the source too")
    }

    @Test func leftAndRightStepTheStatusAndATypedPrefixIsResolved() throws {
        var state = try marking()
        state.fill(.status, "")
        state.press(.right)
        #expect(state.form?[.status] == Status.names[0])
        state.press(.left)
        #expect(state.form?[.status] == Status.names.last)
        state.fill(.status, "stal")
        let effects = state.press(.enter)
        guard case .record(.mark(_, let status, _, _, _)) = effects.first else {
            Issue.record("expected a mark, got \(effects)")
            return
        }
        #expect(status == .stalled)
        state.press(key("x"))
        state.fill(.status, "zzz")
        #expect(state.press(.enter).isEmpty)
        #expect(state.form?.problem?.hasPrefix("no status matches \"zzz\"") == true)
    }

    @Test func sourceSuggestsListedSourcesAndRightTakesThePickedOne() throws {
        var state = try marking()
        let sources = state.tracker.sources.sorted { $0.id < $1.id }
        let target = try #require(sources.first { $0.id.count > 6 })
        state.fill(.source, String(target.id.prefix(5)))
        let suggested = try #require(state.form?.sourceSuggestions(state.tracker.sources))
        #expect(!suggested.isEmpty && suggested.allSatisfy { $0.id.hasPrefix(target.id.prefix(5)) || $0.title.lowercased().contains(target.id.prefix(5)) })
        let index = try #require(suggested.firstIndex { $0.id == target.id })
        for _ in 0..<index { state.press(.down) }
        state.press(.right)
        #expect(state.form?[.source] == target.id)
    }

    @Test func vReviewsTheItemANoteOptional() throws {
        var state = try Fixture.state()
        state.find("dtt")
        state.press(key("v"))
        #expect(state.form?.purpose == .review(itemId: "dtt"))
        #expect(state.form?.fields.map(\.name) == [.date, .source, .quote, .note])
        #expect(state.press(.enter) == [.record(.review(itemId: "dtt", happened: nil, note: nil, evidence: ChangeFactory.Evidence()))])
    }

    @Test func aAddsARecommendationWithEveryField() throws {
        var state = try Fixture.state()
        state.press(key("A"))
        #expect(state.form?.purpose == .add)
        #expect(state.form?.fields.map(\.name) == [.id, .title, .catalog, .summary, .category, .horizon, .actors, .source, .quote, .links, .note])
        state.fill(.id, "made-up-item")
        state.fill(.title, "A made-up recommendation")
        state.fill(.summary, "Made up for a test.")
        state.fill(.category, "security")
        state.fill(.horizon, "short")
        state.fill(.actors, "US, Korea")
        state.fill(.source, "kwon-2021")
        state.fill(.quote, "A made-up quote")
        state.fill(.links, "adv:gsomia")
        state.fill(.note, "Added in a test")
        let effects = state.press(.enter)
        guard case .record(.add(let recommendation, let note)) = effects.first else {
            Issue.record("expected an addition, got \(effects) (\(state.form?.problem ?? ""))")
            return
        }
        #expect(recommendation.id == "made-up-item" && recommendation.title == "A made-up recommendation")
        #expect(recommendation.catalog == state.tracker.defaultCatalog)
        #expect(recommendation.horizon == .shortTerm && recommendation.actors == [.us, .rok])
        #expect(recommendation.source == Citation(source: "kwon-2021", quote: "A made-up quote"))
        #expect(recommendation.links == [Link(.advances, "gsomia")] && note == "Added in a test")
    }

    @Test func anAdditionTheCommandLineWouldRefuseKeepsTheFormOpenAndSaysWhy() throws {
        var state = try Fixture.state()
        state.press(key("A"))
        state.fill(.id, "Not A Slug")
        state.fill(.title, "A made-up recommendation")
        #expect(state.press(.enter).isEmpty)
        #expect(state.form?.problem?.hasPrefix("invalid id \"Not A Slug\"") == true)
        state.fill(.id, "gsomia")
        state.press(.enter)
        #expect(state.form?.problem == "\"gsomia\" already exists")
        state.fill(.id, "made-up-item")
        state.fill(.links, "advances")
        state.press(.enter)
        #expect(state.form?.problem == "Links \"advances\": expected kind:id, such as advances:gsomia")
    }

    @Test func eEditsTheFieldsThatChangedAndRefusesAnEditThatChangesNothing() throws {
        var state = try Fixture.state()
        state.find("dtt")
        state.press(key("E"))
        let item = try #require(state.tracker.items["dtt"])
        #expect(state.form?[.title] == item.recommendation.title)
        #expect(state.press(.enter).isEmpty)
        #expect(state.form?.problem == "nothing to save: every field is as it was")
        state.fill(.title, "A made-up corrected title")
        state.fill(.links, "")
        let effects = state.press(.enter)
        guard case .record(.edit(let id, let patch, _)) = effects.first else {
            Issue.record("expected an edit, got \(effects) (\(state.form?.problem ?? ""))")
            return
        }
        #expect(id == "dtt" && patch.title == "A made-up corrected title" && patch.links == [])
    }

    @Test func escCancelsEveryKindOfForm() throws {
        for opener in ["x", "v", "A", "E"] as [Character] {
            var state = try Fixture.state()
            state.press(key(opener))
            #expect(state.form != nil, "\(opener) opens a form")
            state.type("typed")
            #expect(state.press(.escape).isEmpty)
            #expect(state.mode == .browse && state.message == StatusMessage("Cancelled: nothing recorded"))
        }
    }
}

/// The dashboard's list of items not reviewed: j and k move through it (the dashboard
/// scrolls to keep the selected one in sight), Enter goes to the item, `v` reviews it.
@Suite struct NotReviewedListTests {
    /// A browser years after the bundled evidence, so every item is due for a review.
    static func stale(size: Size = Fixture.narrow) throws -> AppState {
        let (tracker, history) = try Fixture.tracker()
        var state = AppState(tracker: tracker, history: history, dataDirectory: "/data", size: size, today: PolicyDate("2031-06-01")!)
        state.press(key("3"))
        return state
    }

    @Test func jAndKMoveThroughTheListAndTheDashboardFollows() throws {
        var state = try Self.stale()
        let stale = state.report.stale.map(\.id)
        #expect(stale.count == state.tracker.items.count)
        #expect(state.focusedItem?.id == stale[0])
        let page = Layout(size: state.size).content.height - 4
        for step in 1..<stale.count {
            state.press(key("j"))
            #expect(state.focusedItem?.id == stale[step])
            let lines = try #require(DashboardViewProbe.selectedLines(state))
            #expect(lines.lowerBound >= state.dashboardOffset && lines.upperBound <= state.dashboardOffset + page,
                    "step \(step): the selected item is on screen")
        }
        state.press(key("j"))
        #expect(state.focusedItem?.id == stale.last, "j stops at the last")
        state.press(key("g"))
        #expect(state.focusedItem?.id == stale[0] && state.dashboardOffset <= (DashboardViewProbe.selectedLines(state)?.lowerBound ?? 0))
    }

    @Test func enterGoesToTheItemAndVReviewsIt() throws {
        var state = try Self.stale()
        state.press(key("j"), key("j"))
        let id = try #require(state.focusedItem?.id)
        #expect(state.press(key("v")).isEmpty)
        #expect(state.form?.purpose == .review(itemId: id))
        #expect(state.press(.enter) == [.record(.review(itemId: id, happened: nil, note: nil, evidence: ChangeFactory.Evidence()))])
        state.press(.enter)
        #expect(state.screen == .detail && state.selectedId == id)
    }
}

/// Where the dashboard draws its selected "not reviewed" item, read from the screen.
enum DashboardViewProbe {
    /// The dashboard lines (counted from its first, before scrolling) the selected item takes.
    static func selectedLines(_ state: AppState) -> Range<Int>? {
        let buffer = View.render(state)
        let rows = (0..<buffer.size.height).filter { row in
            (0..<buffer.size.width).contains { buffer[$0, row].style.role == .selection && buffer[$0, row].text != " " }
        }
        guard let first = rows.first, let last = rows.last else { return nil }
        let top = Layout(size: state.size).content.y + 3
        return (first - top + state.dashboardOffset)..<(last - top + state.dashboardOffset + 1)
    }
}
