import PolicyTrackerCore

/// A form drawn as a box over the screen: one labelled line per field, the sources that
/// match what Source holds under it while it is edited, then what keeps the form from being
/// saved. The terminal's cursor stands at the end of the field being edited.
enum FormView {
    /// Columns of the labels, "Category" and a space.
    private static let labelWidth = 10
    /// The box is at most this wide, so fields stay readable on wide terminals.
    private static let maximumWidth = 100

    static func draw(_ form: Form, sources: [Source], into buffer: inout Buffer, rect: Rect) {
        let width = min(rect.width, maximumWidth)
        let valueWidth = max(1, width - 4 - labelWidth)
        var lines: [StyledLine] = []
        var cursor: Point?
        var focusLine = 0
        for (index, field) in form.fields.enumerated() {
            let focused = index == form.focus
            let (value, end) = valueSpans(field, focused: focused, width: valueWidth)
            if focused {
                focusLine = lines.count
                cursor = Point(x: labelWidth + end, y: lines.count)
            }
            let label = Span(DisplayText.padded(field.name.label, to: labelWidth), CellStyle(focused ? .accent : .muted, bold: focused))
            lines.append(StyledLine([label] + value))
            if focused { lines += suggestionLines(form.sourceSuggestions(sources), picked: form.suggestion, width: valueWidth) }
        }
        if let problem = form.problem {
            lines.append(.blank)
            lines += DisplayText.wrapped(problem, to: width - 4).map { StyledLine($0, CellStyle(.error)) }
        }
        let height = min(rect.height, lines.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        buffer.drawBox(box, title: form.title)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        guard inner.height > 0, inner.width > 0 else { return }
        let offset = max(0, focusLine - inner.height + 1)
        buffer.draw(lines, in: inner, from: offset)
        if let cursor, cursor.y - offset < inner.height {
            buffer.cursor = Point(x: inner.x + min(cursor.x, inner.width - 1), y: inner.y + cursor.y - offset)
        }
    }

    /// The field's value in `width` columns, and the column after its end (where the cursor
    /// goes): a choice between ‹ ›, a placeholder while empty, the end of a long text kept
    /// in sight while it is edited.
    private static func valueSpans(_ field: FormField, focused: Bool, width: Int) -> ([Span], Int) {
        let text = field.field.text
        if !field.choices.isEmpty, focused {
            let shown = "‹ " + ViewText.clipped(text, to: width - 4) + " ›"
            return ([Span(shown, CellStyle(.accent, bold: true))], DisplayText.width(shown))
        }
        if text.isEmpty {
            return ([Span(ViewText.clipped(field.placeholder, to: width), .muted)], 0)
        }
        let shown = focused ? ViewText.clippedFromLeft(text, to: width - 1) : ViewText.clipped(text, to: width)
        return ([Span(shown)], DisplayText.width(shown))
    }

    /// The sources Source could mean, the one → takes marked.
    private static func suggestionLines(_ sources: [Source], picked: Int, width: Int) -> [StyledLine] {
        sources.enumerated().map { index, source in
            let text = ViewText.clipped("\(index == picked ? "▸" : " ") \(source.id) — \(source.title)", to: width)
            return StyledLine([Span(String(repeating: " ", count: labelWidth)), Span(text, index == picked ? .accent : .muted)])
        }
    }
}
