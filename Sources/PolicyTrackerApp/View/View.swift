/// The browser's view: `render(state)` draws the whole screen into a cell ``Buffer`` of
/// `state.size`. Pure — no terminal, no files, no clock — so tests compare its output with
/// readable snapshots, and every rectangle comes from ``Layout``, the same one `update`
/// hit-tests mouse clicks against.
///
/// Only the visible window of the list and timeline is drawn, so a frame costs the same
/// whatever the number of recommendations. All text goes through ``Buffer/write(_:x:y:maxWidth:style:)``,
/// which shows control and bidirectional characters as placeholders and measures wide glyphs.
public enum View {
    /// The screen for `state`: tab bar, the current screen, the status line, and the help, a
    /// picker or a form over them; below ``Layout/minimumSize`` only a notice.
    public static func render(_ state: AppState) -> Buffer {
        var buffer = Buffer(size: state.size)
        let layout = Layout(size: state.size)
        guard !layout.isTooSmall else {
            Chrome.drawTooSmall(size: state.size, into: &buffer)
            return buffer
        }
        Chrome.drawTabBar(state, into: &buffer, rect: layout.tabBar)
        drawScreen(state, layout: layout, into: &buffer)
        if state.showsHelp { Overlays.drawHelp(state, into: &buffer, rect: layout.content) }
        switch state.mode {
        case .picker(let picker): Overlays.drawPicker(picker, into: &buffer, rect: layout.content)
        case .form(let form): FormView.draw(form, sources: state.tracker.sources, into: &buffer, rect: layout.content)
        case .browse, .search: break
        }
        Chrome.drawStatusLine(state, into: &buffer, rect: layout.statusLine)
        return buffer
    }

    /// The largest `detailOffset` worth scrolling to: beyond it the detail shows nothing
    /// more (the view never scrolls past the last line). For `update` to clamp the offset,
    /// so scrolling back up takes effect at once.
    public static func detailScrollLimit(_ state: AppState) -> Int {
        let layout = Layout(size: state.size)
        return DetailView.scrollLimit(state, rect: layout.isWide ? layout.detailPane : layout.content)
    }

    /// The largest `helpOffset` worth scrolling to (0 when the help fits), for `update`.
    public static func helpScrollLimit(_ state: AppState) -> Int {
        Overlays.helpScrollLimit(rect: Layout(size: state.size).content)
    }

    /// The largest `dashboardOffset` worth scrolling to (0 when the dashboard fits), for `update`.
    public static func dashboardScrollLimit(_ state: AppState) -> Int {
        DashboardView.scrollLimit(state, rect: Layout(size: state.size).content)
    }

    /// The `dashboardOffset` that shows the selected "not reviewed" item, moving as little as
    /// it can from the current one, for `update`.
    public static func dashboardOffset(revealingStaleOf state: AppState) -> Int {
        DashboardView.offset(revealingStaleOf: state, rect: Layout(size: state.size).content)
    }

    /// The lines the help (when shown) or the dashboard shows at once when it scrolls, for
    /// `update`'s PgUp and PgDn.
    public static func scrollPage(_ state: AppState) -> Int {
        let content = Layout(size: state.size).content
        return state.showsHelp ? Overlays.helpBody(of: content).height - 1 : DashboardView.body(of: content).height - 1
    }

    /// The content between tab bar and status line: on wide terminals the list and detail
    /// stand side by side (for the list and detail screens); on narrow ones one at a time.
    private static func drawScreen(_ state: AppState, layout: Layout, into buffer: inout Buffer) {
        switch state.screen {
        case .list, .detail:
            if layout.isWide {
                ListView.draw(state, into: &buffer, rect: layout.listPane, body: layout.listBody)
                buffer.drawVerticalLine(x: layout.borderColumn, rows: layout.content)
                DetailView.draw(state, into: &buffer, rect: layout.detailPane)
            } else if state.screen == .detail {
                DetailView.draw(state, into: &buffer, rect: layout.content)
            } else {
                ListView.draw(state, into: &buffer, rect: layout.listPane, body: layout.listBody)
            }
        case .dashboard:
            DashboardView.draw(state, into: &buffer, rect: layout.content)
        case .timeline:
            TimelineView.draw(state, into: &buffer, rect: layout.content, body: layout.timelineBody)
        }
    }
}
