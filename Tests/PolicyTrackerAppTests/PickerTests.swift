import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// Pickers with more choices than digits: typing narrows them, ↑ ↓ move among those left,
/// Enter chooses, Esc clears what was typed and then cancels.
@Suite struct PickerTests {
    /// The bundled agenda plus one item in each of forty more categories.
    private func state(size: Size = Fixture.narrow) throws -> AppState {
        try Fixture.state(size: size, extra: Fixture.manyCategoryChanges)
    }

    /// The picker open on `state`.
    private func picker(_ state: AppState) throws -> Picker {
        guard case .picker(let picker) = state.mode else { throw PickerError.none(state.mode) }
        return picker
    }

    private enum PickerError: Error { case none(Mode) }

    private func options(_ count: Int, any: Bool) -> Picker {
        let names = (1...count).map { "option-\($0)" }
        return Picker(purpose: .filterCategory, title: "Made up", options: any ? ["any"] + names : names)
    }

    @Test func aPickerIsSearchableOnceADigitCannotChooseEveryOption() {
        #expect(!options(9, any: true).isSearchable, "0 to 9 choose all ten")
        #expect(options(10, any: true).isSearchable)
        #expect(!options(9, any: false).isSearchable, "1 to 9 choose all nine")
        #expect(options(10, any: false).isSearchable)
    }

    @Test func theCategoryPickerOfManyCategoriesIsSearchable() throws {
        var state = try state()
        state.press(key("c"))
        let picker = try picker(state)
        #expect(picker.isSearchable && picker.options.count == 41 && picker.matches.count == 41)
        #expect(picker.cursor == 0 && picker.options[0] == "any")
    }

    @Test func typingNarrowsIgnoringCaseAndHighlightsTheFirstMatch() throws {
        var state = try state()
        state.press(key("c"))
        state.type("SECURITY")
        let picker = try picker(state)
        #expect(picker.matches.map { picker.options[$0] } == ["economic-security", "food-security", "security", "water\u{202E}security"],
                "the override shows as <U+202E>, so the word after it matches")
        #expect(picker.highlighted == picker.matches.first)
    }

    @Test(arguments: [("협력", "기후 협력"), ("防災", "日本との防災協力")])
    func koreanAndJapaneseQueriesMatch(query: String, category: String) throws {
        var state = try state()
        state.press(key("c"))
        state.press(.paste(query))
        state.press(.enter)
        #expect(state.mode == .browse)
        #expect(state.filter.category == category)
        #expect(state.visibleItemIds.count == 1)
    }

    @Test func optionsMatchAsTheyAreShownNotTheirEscapes() throws {
        var state = try state()
        state.press(key("c"))
        state.type("^[[31mred")
        let picker = try picker(state)
        #expect(picker.matches.map { picker.options[$0] } == ["\u{1B}[31mred-team\u{1B}[0m"])
    }

    @Test func digitsAndLettersTypeIntoTheQuery() throws {
        var state = try state()
        state.press(key("c"))
        state.type("j3k")
        #expect(try picker(state).query.text == "j3k")
        #expect(state.filter.category == nil)
    }

    @Test func arrowsMoveAmongTheMatchesAndEnterChooses() throws {
        var state = try state()
        state.press(key("c"))
        state.type("security")
        state.press(.down, .down, .up)
        state.press(.enter)
        #expect(state.filter.category == "food-security")
        #expect(state.visibleItemIds.allSatisfy { state.tracker.items[$0]?.recommendation.category == "food-security" })
    }

    @Test func backspaceWidensTheMatches() throws {
        var state = try state()
        state.press(key("c"))
        state.type("fish")
        #expect(try picker(state).matches.count == 1)
        state.press(.backspace, .backspace, .backspace, .backspace)
        #expect(try picker(state).matches.count == 41)
    }

    @Test func escClearsTheQueryThenCancels() throws {
        var state = try state()
        state.press(key("c"))
        state.type("space")
        state.press(.escape)
        #expect(try picker(state).query.text.isEmpty)
        #expect(try picker(state).matches.count == 41)
        state.press(.escape)
        #expect(state.mode == .browse)
        #expect(state.filter.category == nil)
    }

    @Test func enterWithNoMatchChoosesNothing() throws {
        var state = try state()
        state.press(key("c"))
        state.type("zzz")
        #expect(try picker(state).highlighted == nil)
        state.press(.enter, .down)
        #expect(try picker(state).query.text == "zzz")
        #expect(View.render(state).lines.joined().contains("no match"))
    }

    @Test func theQueryLineCountsTheMatchesAndTheCursorFollowsIt() throws {
        var state = try state()
        state.press(key("c"))
        state.type("se")
        let buffer = View.render(state)
        let row = try #require(buffer.lines.firstIndex { $0.contains("/ se") })
        #expect(buffer.lines[row].contains("\(try picker(state).matches.count) of 41"))
        #expect(buffer.cursor?.y == row)
    }

    /// At 80×24, forty-one options scroll so that the cursor's row is always on screen.
    @Test func theCursorStaysInSightAsTheOptionsScroll() throws {
        var state = try state()
        state.press(key("c"))
        for _ in 0..<40 {
            state.press(.down)
            let picker = try picker(state)
            let lines = View.render(state).lines
            let shown = String(DisplayText.sanitized(picker.options[picker.cursor]).prefix(6))
            #expect(lines.contains { $0.contains("│ " + shown) }, "\(picker.options[picker.cursor])")
        }
        #expect(try picker(state).cursor == 40)
    }

    @Test func aPickerOfNineOrFewerStillChoosesByDigit() throws {
        var state = try Fixture.state()
        state.press(key("c"))
        #expect(try !picker(state).isSearchable)
        state.press(key("8"))
        #expect(state.filter.category == "security")
    }
}
