import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// A large tracker's browser starts without its history and takes it when it arrives.
@Suite struct DeferredHistoryTests {
    @Test func theHistoryArrivingLaterGivesTheSameStateAsLoadingItFirst() throws {
        let (tracker, history) = try Fixture.tracker(extra: Fixture.cjkChanges)
        var state = AppState(tracker: tracker, history: [], dataDirectory: "/data", size: Fixture.wide, today: Fixture.today)
        state.find("gsomia")
        #expect(state.timeline.isEmpty && state.changesByItem.isEmpty)
        state.send(.historyLoaded(history, HistoryViews(history: history)))
        var expected = try Fixture.state(size: Fixture.wide, extra: Fixture.cjkChanges)
        expected.find("gsomia")
        #expect(state == expected)
    }
}
