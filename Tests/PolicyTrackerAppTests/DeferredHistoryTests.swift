import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// A large tracker's browser starts without its history and takes it when it arrives.
@Suite struct DeferredHistoryTests {
    @Test func theHistoryArrivingLaterGivesTheSameStateAsLoadingItFirst() throws {
        let (tracker, history) = try Fixture.tracker(extra: Fixture.cjkChanges)
        var state = AppState(
            tracker: tracker, history: [], historyIsLoading: true, dataDirectory: "/data", size: Fixture.wide, today: Fixture.today)
        #expect(state.historyIsLoading)
        state.press(.down)
        #expect(state.timeline.isEmpty && state.changesByItem.isEmpty)
        state.send(.historyLoaded(history, HistoryViews(history: history, items: Array(tracker.items.values))))
        var expected = try Fixture.state(size: Fixture.wide, extra: Fixture.cjkChanges)
        expected.press(.down)
        #expect(state.selectedId == "acceptable-functional-cooperation", "the keys moved the selection while the history was read")
        #expect(state == expected)
        // Search works on the history's notes once it is there.
        state.find("gsomia")
        expected.find("gsomia")
        #expect(state == expected && state.selectedId == "gsomia")
    }
}
