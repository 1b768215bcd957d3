import PolicyTrackerApp
import PolicyTrackerCore
import Testing

// Regressions of bugs once found in State/ and Update/: list paging, clicks in a grouped
// list, the timeline on resize, and the detail's scroll limit.

@Suite struct NavigationRegressionTests {
    /// `AppState.listPageSize` is `size.height - 4`, one less than `Layout.listBody.height`,
    /// so the last list row is never used. Fix (Update/Derived.swift):
    /// `var listPageSize: Int { max(1, Layout(size: size).listBody.height) }`.
    @Test func theLastListRowIsUsedAtTheBottom() throws {
        var state = try Fixture.state()
        state.press(key("G"))
        let body = Layout(size: state.size).listBody
        #expect(state.selectedRow == state.listOffset + body.height - 1)
    }

    /// A click in a grouped list sets `selectedId` but leaves `selectedGroup`, so the
    /// selection stays on the heading; a click on a heading does nothing. Fix (Update.swift,
    /// handleMouse): `if row < state.rows.count { state.select(row: row) }`.
    @Test func aClickSelectsAnItemWhileAHeadingIsSelected() throws {
        var state = try Fixture.state()
        state.press(key("o"), key(" "))
        #expect(state.selectedGroup != nil)
        let body = Layout(size: state.size).listBody
        state.send(.input(.mouse(MouseEvent(kind: .press, x: 3, y: body.y + 2))))
        #expect(state.selectedRow == state.listOffset + 2)
    }

    /// A resize re-scrolls the list but not the timeline, so its selected entry can fall
    /// off screen. Fix: move the two `if`s that keep `timelineIndex` in view out of
    /// `move(by:)` into `mutating func scrollTimelineToSelection()` and call it from
    /// `move(by:)` and from the `.input(.resize)` case of `Update.update`.
    @Test func resizingKeepsTheTimelineSelectionVisible() throws {
        var state = try Fixture.state()
        state.press(key("4"), key("G"))
        state.resize(Size(width: 80, height: 12))
        let body = Layout(size: state.size).timelineBody
        #expect(state.timelineIndex < state.timelineOffset + body.height)
    }

    /// `G` on the narrow detail sets `detailOffset` to 10,000; the view shows the end, but
    /// `k` then takes thousands of presses to scroll back. Fix (Navigation.swift, move(by:)):
    /// `detailOffset = max(0, min(View.detailScrollLimit(self), detailOffset + max(-10_000, min(10_000, delta))))`.
    @Test func theDetailOffsetStopsAtTheEnd() throws {
        var state = try Fixture.state()
        state.press(.enter, key("G"))
        #expect(state.detailOffset == View.detailScrollLimit(state))
    }
}
