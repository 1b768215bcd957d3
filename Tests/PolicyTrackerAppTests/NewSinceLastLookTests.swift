import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// What is new since the last look, in the browser: the status line, the list's marks and
/// the `+` filter.
@Suite struct NewSinceLastLookTests {
    private func newIn(_ ids: Set<String>, _ state: AppState) -> [Change] {
        state.history.filter { ids.contains($0.recommendationId) }
    }

    @Test func statusLineSaysHowManyAreNew() throws {
        var state = try Fixture.state()
        let changes = newIn(["alliance-vision", "gsomia"], state)
        state.showNew(changes)
        #expect(state.message?.text == "\(changes.count) new since you last looked")
        #expect(state.news.items == ["alliance-vision", "gsomia"])
    }

    @Test func nothingNewSaysNothingAndKeepsTheMessage() throws {
        var state = try Fixture.state()
        let before = state.message
        state.showNew([])
        #expect(state.message == before)
        #expect(state.news == NewSinceLastLook())
    }

    @Test func plusShowsOnlyItemsWithNewChangesAndZeroClearsIt() throws {
        var state = try Fixture.state()
        let all = state.visibleItemIds
        state.showNew(newIn(["alliance-vision", "gsomia"], state))
        state.press(key("+"))
        #expect(state.visibleItemIds == ["alliance-vision", "gsomia"])
        state.press(key("+"))
        #expect(state.visibleItemIds == all)
        state.press(key("+"), key("0"))
        #expect(state.visibleItemIds == all)
    }

    @Test func plusWithNothingNewSaysSo() throws {
        var state = try Fixture.state()
        state.press(key("+"))
        #expect(state.visibleItemIds.isEmpty)
        #expect(state.message?.text == "Nothing new since you last looked")
    }
}

/// Who recorded a change, in the browser's detail and timeline.
@Suite struct AuthorInTheBrowserTests {
    private func stateWithAnAuthoredChange(size: Size) throws -> AppState {
        let change = Change(
            changeId: "test-author-1", recommendationId: "gsomia", kind: .status(.stalled),
            happened: PolicyDate("2026-11-30")!, recorded: Timestamp("2026-12-01T00:00:00Z")!,
            note: "A made-up test event", author: "A. Made-Up Analyst")
        return try Fixture.state(size: size, extra: [change])
    }

    @Test func detailSaysWhoRecordedEachChange() throws {
        var state = try stateWithAnAuthoredChange(size: Size(width: 100, height: 150))
        state.find("gsomia")
        state.press(.enter)
        let lines = View.render(state).lines
        #expect(lines.contains { $0.contains("change test-author-1 by A. Made-Up Analyst") })
    }

    @Test func timelineShowsTheAuthorBeforeTheNote() throws {
        var state = try stateWithAnAuthoredChange(size: Fixture.wide)
        state.press(key("4"), key("G"))
        let lines = View.render(state).lines
        #expect(lines.contains { $0.contains("A. Made-Up Analyst: A made-up test event") })
    }
}
