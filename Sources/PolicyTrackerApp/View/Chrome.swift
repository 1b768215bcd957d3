import PolicyTrackerCore

/// The frame around every screen: the tab bar at the top, the status line at the bottom,
/// and the notice shown instead of everything when the terminal is too small.
enum Chrome {
    // MARK: Tab bar

    /// `ptrack`, the numbered screens (the current one emphasised) and `? help` at the right.
    /// On narrow terminals the program name, then the help hint, make way for the tabs.
    static func drawTabBar(_ state: AppState, into buffer: inout Buffer, rect: Rect) {
        let style = CellStyle(.header)
        buffer.fill(rect, style: style)
        let tabs = tabSpans(current: state.screen)
        let name = [Span("ptrack", CellStyle(.header, bold: true)), Span("  ", style)]
        let help = StyledLine("? help", style)
        let withName = StyledLine(name + tabs)
        let full = withName.width + 2 + help.width <= rect.width
        let line = full || withName.width <= rect.width ? withName : StyledLine(tabs)
        buffer.write(line, x: rect.x, y: rect.y, width: rect.width)
        if line.width + 2 + help.width <= rect.width {
            buffer.write(help, x: rect.maxX - help.width, y: rect.y, width: help.width)
        }
    }

    /// "1 List  2 Detail  3 Dashboard  4 Timeline", the current screen bold and underlined.
    private static func tabSpans(current: Screen) -> [Span] {
        Screen.allCases.enumerated().flatMap { index, screen in
            let label = Span("\(screen.rawValue) \(screen.title)", CellStyle(.header, bold: screen == current, underline: screen == current))
            return index == 0 ? [label] : [Span("  ", .header), label]
        }
    }

    // MARK: Status line

    /// The prompt being typed, or the message, or the changes not saved, or where the data
    /// is and what is shown.
    static func drawStatusLine(_ state: AppState, into buffer: inout Buffer, rect: Rect) {
        let isError = state.mode == .browse && (state.message?.isError ?? !state.unsaved.isEmpty)
        let style = CellStyle(isError ? .error : .statusLine)
        buffer.fill(rect, style: style)
        switch state.mode {
        case .search(let field, _):
            drawPrompt(prefix: [Span("/", CellStyle(.statusLine, bold: true))], text: field.text,
                       suffix: [Span("  (\(matchCount(state.searchMatches.count)))", style)], into: &buffer, rect: rect)
        case .form:
            buffer.write(clipping: "Enter saves · Tab, Shift-Tab move · Ctrl-G note in editor · Esc cancels", x: rect.x, y: rect.y, width: rect.width, style: style)
        case .picker(let picker):
            let keys = picker.isSearchable
                ? ": type to narrow, ↑ ↓ and Enter choose, Esc clears or cancels"
                : ": a digit or ↑ ↓ and Enter chooses, Esc cancels"
            buffer.write(clipping: picker.title + keys, x: rect.x, y: rect.y, width: rect.width, style: style)
        case .browse:
            if let message = state.message {
                buffer.write(clipping: message.text, x: rect.x, y: rect.y, width: rect.width, style: style)
            } else if !state.unsaved.isEmpty {
                buffer.write(clipping: "\(state.unsavedCount) not saved: W saves again", x: rect.x, y: rect.y, width: rect.width, style: style)
            } else {
                drawSummary(state, into: &buffer, rect: rect)
            }
        }
    }

    /// "1 match", "3 matches".
    private static func matchCount(_ count: Int) -> String { count == 1 ? "1 match" : "\(count) matches" }

    /// `prefix`, the typed `text` with a cursor mark, then `suffix`; when the text is too long
    /// its start gives way, so the cursor stays in sight.
    private static func drawPrompt(prefix: [Span], text: String, suffix: [Span], into buffer: inout Buffer, rect: Rect) {
        let cursor = Span("▏", CellStyle(.statusLine, bold: true))
        let fixed = StyledLine(prefix + [cursor] + suffix).width
        let room = max(1, rect.width - fixed)
        let typed = Span(ViewText.clippedFromLeft(text, to: room), .statusLine)
        buffer.write(StyledLine(prefix + [typed, cursor] + suffix), x: rect.x, y: rect.y, width: rect.width)
    }

    /// The data directory at the left (cut from its start when needed); shown/total, the
    /// filters and the sort order at the right.
    private static func drawSummary(_ state: AppState, into buffer: inout Buffer, rect: Rect) {
        let right = StyledLine(summarySpans(state))
        let rightWidth = min(right.width, rect.width)
        buffer.write(right, x: rect.maxX - rightWidth, y: rect.y, width: rightWidth)
        let room = rect.width - rightWidth - 2
        if room > 0 {
            buffer.write(ViewText.clippedFromLeft(state.dataDirectory, to: room), x: rect.x, y: rect.y, maxWidth: room, style: CellStyle(.statusLine))
        }
    }

    /// "12/33 shown · status: stalled · watched · sort: id".
    private static func summarySpans(_ state: AppState) -> [Span] {
        let style = CellStyle(.statusLine)
        let shown = state.rows.lazy.filter { $0.itemId != nil }.count
        let parts = ["\(shown)/\(state.tracker.items.count) shown"] + filterDescriptions(state) + ["sort: \(state.sort.label)"]
        return [Span(parts.joined(separator: " · "), style)]
    }

    /// The active filters in words.
    static func filterDescriptions(_ state: AppState) -> [String] {
        let filter = state.filter
        var parts: [String] = []
        if !filter.statuses.isEmpty { parts.append("status: " + filter.statuses.sorted().map(\.rawValue).joined(separator: ", ")) }
        if let category = filter.category { parts.append("category: " + category) }
        if let actor = filter.actor { parts.append("actor: " + actor.id) }
        if let catalog = filter.catalog { parts.append("catalog: " + catalog) }
        if filter.watchedOnly { parts.append("watched only") }
        if state.news.only { parts.append("new only") }
        if let search = filter.search, !search.isEmpty { parts.append("containing \u{201C}\(search)\u{201D}") }
        if !state.lastSearch.isEmpty { parts.append("search: /" + state.lastSearch + " (\(matchCount(state.searchMatches.count)))") }
        return parts
    }

    // MARK: Too small

    /// Only a centred notice: the terminal is below ``Layout/minimumSize``.
    static func drawTooSmall(size: Size, into buffer: inout Buffer) {
        let minimum = Layout.minimumSize
        let notice = "Terminal too small: \(size.width)×\(size.height) (needs at least \(minimum.width)×\(minimum.height))"
        let lines = DisplayText.wrapped(notice, to: size.width)
        let top = max(0, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let x = max(0, (size.width - DisplayText.width(line)) / 2)
            buffer.write(line, x: x, y: top + index, style: CellStyle(.accent, bold: true))
        }
    }
}
