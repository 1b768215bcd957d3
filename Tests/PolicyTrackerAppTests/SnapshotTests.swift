import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// Every screen, at 80×24 and 140×40, driven by message sequences from the bundled agenda.
@Suite struct SnapshotTests {
    static let sizes = [Fixture.narrow, Fixture.wide]

    private func name(_ base: String, _ size: Size) -> String { "\(base)-\(size.width)x\(size.height)" }

    @Test(arguments: sizes) func listFlat(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("j"), key("j"), key("j"))
        assertSnapshot(View.render(state), named: name("list-flat", size))
    }

    @Test(arguments: sizes) func listGroupedWithACollapsedGroup(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("o"))
        state.press(key(" "))
        state.press(key("j"), key("j"))
        assertSnapshot(View.render(state), named: name("list-grouped", size))
    }

    @Test(arguments: sizes) func listWithNewMarks(size: Size) throws {
        var state = try Fixture.state(size: size)
        let ids: Set = ["acceptable-functional-cooperation", "alliance-vision", "annual-leaders-summit"]
        state.showNew(state.history.filter { ids.contains($0.recommendationId) })
        assertSnapshot(View.render(state), named: name("list-new", size))
    }

    @Test func listColumnsOnAWiderNarrowTerminal() throws {
        let state = try Fixture.state(size: Size(width: 119, height: 14))
        assertSnapshot(View.render(state), named: "list-columns-119x14")
    }

    @Test func detailOfGsomiaOnANarrowTerminal() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.find("gsomia")
        state.press(.enter)
        assertSnapshot(View.render(state), named: "detail-gsomia-80x24")
    }

    @Test func detailScrolledOnANarrowTerminal() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.find("multilevel-engagement")
        state.press(.enter, key("j"), key("j"), key("j"), key("j"), key("j"), key("j"), key("j"), key("j"))
        assertSnapshot(View.render(state), named: "detail-scrolled-80x24")
    }

    @Test func detailWithLinksOnANarrowTerminal() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.find("working-level-tracks")
        state.press(.enter, key("j"), key("j"), key("j"), key("j"), key("j"), key("j"))
        assertSnapshot(View.render(state), named: "detail-links-80x24")
    }

    @Test func linkPickerOnANarrowTerminal() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.find("multilevel-engagement")
        state.press(.enter, key("l"), .down)
        assertSnapshot(View.render(state), named: "picker-links-80x24")
    }

    @Test func listAndDetailSideBySideOnAWideTerminal() throws {
        var state = try Fixture.state(size: Fixture.wide)
        state.find("gsomia")
        assertSnapshot(View.render(state), named: "wide-list-detail-140x40")
    }

    @Test(arguments: sizes) func dashboard(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("3"))
        assertSnapshot(View.render(state), named: name("dashboard", size))
    }

    @Test(arguments: sizes) func timeline(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("4"), key("g"), key("j"), key("j"))
        assertSnapshot(View.render(state), named: name("timeline", size))
    }

    @Test func timelineOpensAtTheEnd() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.press(key("4"))
        assertSnapshot(View.render(state), named: "timeline-end-80x24")
    }

    @Test(arguments: sizes) func help(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("?"))
        assertSnapshot(View.render(state), named: name("help", size))
    }

    @Test(arguments: sizes) func statusPicker(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.find("gsomia")
        state.press(key("m"), .down)
        assertSnapshot(View.render(state), named: name("picker-status", size))
    }

    @Test func categoryFilterPicker() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.press(key("c"), .down, .down)
        assertSnapshot(View.render(state), named: "picker-category-80x24")
    }

    /// Forty categories and "any": the query typed, the matches counted, the second chosen.
    @Test(arguments: sizes) func searchableCategoryPicker(size: Size) throws {
        var state = try Fixture.state(size: size, extra: Fixture.manyCategoryChanges)
        state.press(key("c"))
        state.type("se")
        state.press(.down)
        assertSnapshot(View.render(state), named: name("picker-searchable", size))
    }

    /// Forty-one options scrolled to the cursor, near the end of the list.
    @Test(arguments: sizes) func searchablePickerScrolled(size: Size) throws {
        var state = try Fixture.state(size: size, extra: Fixture.manyCategoryChanges)
        state.press(key("c"))
        for _ in 0..<36 { state.press(.down) }
        assertSnapshot(View.render(state), named: name("picker-searchable-scrolled", size))
    }

    /// `x`: the change form, a note typed, the cursor in Note.
    @Test(arguments: sizes) func markForm(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.find("gsomia")
        state.press(key("x"))
        state.type("A made-up note typed in the form")
        assertSnapshot(View.render(state), named: name("form-mark", size))
    }

    /// The form while Source is typed: the matching sources under it, and a date in the
    /// future refused in the command line's words.
    @Test(arguments: sizes) func markFormWithSuggestionsAndAProblem(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.find("gsomia")
        state.press(key("m"), key("4"))
        state.fill(.date, "2031-05")
        state.fill(.source, "camp")
        state.press(.down)
        assertSnapshot(View.render(state), named: name("form-mark-source", size))
    }

    @Test(arguments: sizes) func reviewForm(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.find("dtt")
        state.press(key("v"))
        assertSnapshot(View.render(state), named: name("form-review", size))
    }

    @Test(arguments: sizes) func addForm(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("A"))
        state.type("made-up-item")
        state.press(.tab)
        state.type("A made-up recommendation")
        assertSnapshot(View.render(state), named: name("form-add", size))
    }

    @Test(arguments: sizes) func editForm(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.find("gsomia")
        state.press(key("E"))
        state.fill(.links, "advances:zz")
        state.press(.enter)
        assertSnapshot(View.render(state), named: name("form-edit", size))
    }

    @Test(arguments: sizes) func searchInProgressHighlightsMatches(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("/"))
        state.type("trilateral")
        assertSnapshot(View.render(state), named: name("search", size))
    }

    @Test(arguments: sizes) func filtersActive(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("f"), key("2"))
        state.press(key("a"), key("2"))
        state.press(key("s"), key("s"))
        state.press(key("j"))
        assertSnapshot(View.render(state), named: name("filters", size))
    }

    @Test func nothingMatchesTheFilters() throws {
        var state = try Fixture.state(size: Size(width: 120, height: 12))
        state.press(key("w"))
        assertSnapshot(View.render(state), named: "list-empty-120x12")
    }

    @Test func statusMessage() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.press(key("u"))
        assertSnapshot(View.render(state), named: "message-80x24")
    }

    @Test func errorMessage() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.send(.failed("Could not save: /data is read-only"))
        assertSnapshot(View.render(state), named: "error-80x24")
    }

    @Test func terminalTooSmall() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.resize(Size(width: 30, height: 8))
        assertSnapshot(View.render(state), named: "too-small-30x8")
    }

    // MARK: Text from outside

    @Test(arguments: sizes) func cjkTitleKeepsColumnsAligned(size: Size) throws {
        var state = try Fixture.state(size: size, extra: Fixture.cjkChanges)
        state.find("cjk-cooperation")
        assertSnapshot(View.render(state), named: name("cjk-list", size))
    }

    @Test func cjkDetail() throws {
        var state = try Fixture.state(size: Fixture.narrow, extra: Fixture.cjkChanges)
        state.find("cjk-cooperation")
        state.press(.enter)
        assertSnapshot(View.render(state), named: "cjk-detail-80x24")
    }

    @Test(arguments: sizes) func hostileTextShowsPlaceholders(size: Size) throws {
        var state = try Fixture.state(size: size, extra: Fixture.hostileChanges)
        state.find("hostile-text")
        assertSnapshot(View.render(state), named: name("hostile-list", size))
    }

    @Test func hostileDetail() throws {
        var state = try Fixture.state(size: Fixture.narrow, extra: Fixture.hostileChanges)
        state.find("hostile-text")
        state.press(.enter)
        assertSnapshot(View.render(state), named: "hostile-detail-80x24")
    }

    @Test func hostileTimeline() throws {
        var state = try Fixture.state(size: Fixture.narrow, extra: Fixture.hostileChanges)
        state.press(key("4"), key("G"))
        assertSnapshot(View.render(state), named: "hostile-timeline-80x24")
    }

    @Test(arguments: sizes) func helpScrolled(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("?"), key("j"), key("j"), key("j"))
        assertSnapshot(View.render(state), named: name("help-scrolled", size))
    }

    @Test(arguments: sizes) func dashboardScrolled(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("3"), key("j"), key("j"), key("j"))
        assertSnapshot(View.render(state), named: name("dashboard-scrolled", size))
    }

    /// Forty categories: names cut to fit, the category section scrolled through.
    @Test(arguments: sizes) func dashboardWithManyCategories(size: Size) throws {
        var state = try Fixture.state(size: size, extra: Fixture.manyCategoryChanges)
        state.press(key("3"))
        assertSnapshot(View.render(state), named: name("dashboard-many-categories", size))
        for _ in 0..<20 { state.press(key("j")) }
        assertSnapshot(View.render(state), named: name("dashboard-many-categories-scrolled", size))
    }

    /// Every item due for a review, the fifth selected: the dashboard scrolled to it.
    @Test(arguments: sizes) func dashboardNotReviewedSelected(size: Size) throws {
        var state = try NotReviewedListTests.stale(size: size)
        state.press(key("j"), key("j"), key("j"), key("j"))
        assertSnapshot(View.render(state), named: name("dashboard-not-reviewed", size))
    }

    @Test(arguments: sizes) func openChooser(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.find("gsomia")
        state.press(key("O"), .down)
        assertSnapshot(View.render(state), named: name("picker-open", size))
    }

    @Test(arguments: sizes) func copyChooser(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.find("gsomia")
        state.press(key("y"))
        assertSnapshot(View.render(state), named: name("picker-copy", size))
    }
}
