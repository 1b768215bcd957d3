import PolicyTrackerCore

/// Every status change in order (oldest first): date, item, `from → to` and the start of
/// the note after its author; the selected entry highlighted, the window from `timelineOffset`.
enum TimelineView {
    static let dateWidth = 10
    /// "not-started → in-progress" and the like.
    static let changeWidth = 25
    static let gap = 2

    static func draw(_ state: AppState, into buffer: inout Buffer, rect: Rect, body: Rect) {
        let idWidth = min(28, max(10, rect.width / 5))
        let style = CellStyle(.header, bold: true)
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: style)
        let heading = line(date: "DATE", id: "ITEM", change: [Span("CHANGE", style)], note: "NOTE", idWidth: idWidth, style: style)
        buffer.write(heading, x: rect.x, y: rect.y, width: rect.width)
        guard !state.timeline.isEmpty else {
            let text = state.historyIsLoading ? "Reading the history…" : "No status changes recorded yet."
            buffer.write(clipping: text, x: body.x + 1, y: body.y, width: body.width - 1, style: CellStyle(.muted))
            return
        }
        for row in 0..<body.height {
            let index = state.timelineOffset + row
            guard index >= 0, index < state.timeline.count else { break }
            let y = body.y + row
            buffer.write(entry(state.timeline[index], idWidth: idWidth), x: body.x, y: y, width: body.width)
            if index == state.timelineIndex { buffer.restyle(Rect(x: body.x, y: y, width: body.width, height: 1), style: CellStyle(.selection)) }
        }
    }

    private static func entry(_ transition: Transition, idWidth: Int) -> StyledLine {
        let change = transition.change
        return line(date: change.happened.text, id: change.recommendationId, change: DetailView.transitionSpans(transition),
                    note: [change.author, change.note].compactMap { $0 }.joined(separator: ": "), idWidth: idWidth, style: .normal)
    }

    /// The columns padded to their widths: date, id, change, note (in `style`, the date and
    /// note muted unless it is the heading's).
    private static func line(date: String, id: String, change: [Span], note: String, idWidth: Int, style: CellStyle) -> StyledLine {
        let quiet = style == .normal ? CellStyle(.muted) : style
        let gapText = String(repeating: " ", count: gap)
        let padding = String(repeating: " ", count: max(0, changeWidth + gap - StyledLine(change).width))
        return StyledLine([Span(" " + DisplayText.padded(date, to: dateWidth) + gapText, quiet),
                           Span(DisplayText.padded(DisplayText.sanitized(id), to: idWidth) + gapText, style)]
            + change + [Span(padding, style), Span(note, quiet)])
    }
}
