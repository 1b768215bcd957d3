import PolicyTrackerCore

/// What is drawn over a screen: the help (every key, from ``KeyReference``) and the picker.
enum Overlays {
    // MARK: Help

    /// Help columns are at least this wide.
    static let minimumHelpColumnWidth = 30

    /// The keys, section by section, in as few columns as hold them; when none do, in one
    /// column scrolled by `state.helpOffset`. Descriptions wrap, never cut.
    static func drawHelp(_ state: AppState, into buffer: inout Buffer, rect: Rect) {
        buffer.fill(rect)
        let title = StyledLine([Span("Keys", CellStyle(.header, bold: true)), Span("  (? or Esc closes; docs/keys.md has them all)", .muted)])
        buffer.write(title, x: rect.x + 1, y: rect.y, width: rect.width - 1)
        let body = helpBody(of: rect)
        guard body.height > 0, body.width > 0 else { return }
        guard let columns = helpColumns(height: body.height, width: body.width) else {
            Scrolling.draw([Scrolling.Column(lines: scrolledHelpLines(width: body.width), x: body.x, width: body.width)],
                           in: body, offset: state.helpOffset, into: &buffer)
            return
        }
        let width = (body.width - 3 * (columns.count - 1)) / columns.count
        for (index, lines) in columns.enumerated() {
            let x = body.x + index * (width + 3)
            if index > 0 { buffer.drawVerticalLine(x: x - 2, rows: body) }
            buffer.draw(lines, in: Rect(x: x, y: body.y, width: width, height: body.height))
        }
    }

    /// The largest useful `helpOffset` for the help in `rect`: 0 when it fits unscrolled.
    static func helpScrollLimit(rect: Rect) -> Int {
        let body = helpBody(of: rect)
        guard body.height > 0, body.width > 0, helpColumns(height: body.height, width: body.width) == nil else { return 0 }
        return Scrolling.limit(count: scrolledHelpLines(width: body.width).count, height: body.height)
    }

    /// Where the keys go: under the title, a column of margin on the left.
    static func helpBody(of rect: Rect) -> Rect {
        Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 1, height: rect.height - 1)
    }

    /// The help's lines split into columns: whole sections in the fewest columns that hold
    /// them; nil when none do.
    static func helpColumns(height: Int, width: Int) -> [[StyledLine]]? {
        let most = max(1, width / minimumHelpColumnWidth)
        for count in 1...most {
            let columnWidth = (width - 3 * (count - 1)) / count
            let blocks = KeyReference.sections.map { helpLines($0, width: columnWidth) }
            if let columns = packed(blocks, height: height, columns: count) { return columns }
        }
        return nil
    }

    /// Every section in one column, a blank line between them: the help when it scrolls.
    private static func scrolledHelpLines(width: Int) -> [StyledLine] {
        Scrolling.stacked(KeyReference.sections.map { helpLines($0, width: width) })
    }

    /// `blocks` placed in order into at most `columns` columns of `height` lines, a blank
    /// line between blocks; nil when they do not fit.
    private static func packed(_ blocks: [[StyledLine]], height: Int, columns: Int) -> [[StyledLine]]? {
        var result: [[StyledLine]] = [[]]
        for block in blocks {
            let separator = result[result.count - 1].isEmpty ? [] : [StyledLine.blank]
            if result[result.count - 1].count + separator.count + block.count <= height {
                result[result.count - 1] += separator + block
            } else {
                guard block.count <= height, result.count < columns else { return nil }
                result.append(block)
            }
        }
        return result
    }

    /// A section's heading, then its keys (aligned within the section) and what they do,
    /// the description wrapped under itself when it is too long.
    private static func helpLines(_ section: KeyReference.Section, width: Int) -> [StyledLine] {
        let keyWidth = section.entries.map { DisplayText.width($0.joinedKeys) }.max() ?? 0
        let indent = String(repeating: " ", count: keyWidth + 3)
        return [StyledLine(section.title, CellStyle(.header, bold: true))] + section.entries.flatMap { entry in
            let help = DisplayText.wrapped(entry.help, to: max(10, width - indent.count))
            return [StyledLine([Span(" " + DisplayText.padded(entry.joinedKeys, to: keyWidth) + "  ", .accent), Span(help.first ?? "")])]
                + help.dropFirst().map { StyledLine([Span(indent), Span($0)]) }
        }
    }

    // MARK: Picker

    /// A searchable picker is at least this wide inside, for its query and count.
    static let minimumQueryWidth = 24

    /// A bordered box centred in `rect`: the title in its top edge, the options (numbered,
    /// `0` for "any", then `1`…, unless the picker is searchable), the cursor's row in the
    /// selection role. A searchable picker puts the query and how many options match it on
    /// its first row, lists the matches under it, scrolled to the cursor, and keeps the size
    /// all the options give it while they narrow.
    static func drawPicker(_ picker: Picker, into buffer: inout Buffer, rect: Rect) {
        let labels = labels(of: picker).map(DisplayText.sanitized)
        let queryRows = picker.isSearchable ? 1 : 0
        let widest = ([DisplayText.width(DisplayText.sanitized(picker.title)) + 4, picker.isSearchable ? minimumQueryWidth : 0]
            + labels.map { DisplayText.width($0) }).max()!
        let width = min(rect.width, widest + 4)
        let height = min(rect.height, labels.count + queryRows + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        buffer.drawBox(box, title: picker.title)
        let inner = box.inset(by: 1)
        guard inner.height > queryRows, inner.width > 0 else { return }
        if picker.isSearchable { drawQuery(picker, into: &buffer, row: Rect(x: inner.x, y: inner.y, width: inner.width, height: 1)) }
        let list = Rect(x: inner.x, y: inner.y + queryRows, width: inner.width, height: inner.height - queryRows)
        drawOptions(picker, labels: labels, into: &buffer, rect: list)
    }

    /// The options that match, from the one that keeps the cursor's in `rect`; "no match"
    /// when none does.
    private static func drawOptions(_ picker: Picker, labels: [String], into buffer: inout Buffer, rect: Rect) {
        let shown = picker.matches
        guard !shown.isEmpty else {
            buffer.write(clipping: " no match: Backspace or Esc", x: rect.x, y: rect.y, width: rect.width, style: CellStyle(.muted))
            return
        }
        let place = shown.firstIndex(of: picker.cursor) ?? 0
        let first = max(0, min(place - rect.height + 1, shown.count - rect.height))
        for row in 0..<min(rect.height, shown.count - first) {
            let index = shown[first + row]
            let y = rect.y + row
            let text = ViewText.clipped(" " + labels[index], to: rect.width)
            let status = Status(rawValue: picker.options[index])
            buffer.write(text, x: rect.x, y: y, maxWidth: rect.width, style: CellStyle(status.map(Role.status) ?? .normal))
            buffer.highlight(picker.query.text, in: text, x: rect.x, y: y)
            if index == picker.cursor { buffer.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: CellStyle(.selection, bold: true)) }
        }
    }

    /// "/ query" with the terminal's cursor after it, and "3 of 41" at the right.
    private static func drawQuery(_ picker: Picker, into buffer: inout Buffer, row: Rect) {
        let count = " \(picker.matches.count) of \(picker.options.count)"
        let room = max(1, row.width - 2 - DisplayText.width(count) - 1)
        let typed = ViewText.clippedFromLeft(picker.query.text, to: room)
        let used = buffer.write(StyledLine([Span("/ ", CellStyle(.accent, bold: true)), Span(typed)]), x: row.x, y: row.y, width: row.width)
        buffer.write(count, x: max(row.x + used, row.maxX - DisplayText.width(count)), y: row.y, maxWidth: row.maxX - row.x - used, style: CellStyle(.muted))
        buffer.cursor = Point(x: row.x + min(used, row.width - 1), y: row.y)
    }

    /// "0 any", "1 not-started", …: the digit that chooses each option; a searchable
    /// picker's options as they are, since typing narrows them instead.
    static func labels(of picker: Picker) -> [String] {
        guard !picker.isSearchable else { return picker.options }
        return picker.options.indices.map { index in
            (picker.digit(of: index).map { "\($0) " } ?? "  ") + picker.options[index]
        }
    }
}
