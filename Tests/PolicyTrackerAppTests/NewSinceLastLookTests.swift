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
