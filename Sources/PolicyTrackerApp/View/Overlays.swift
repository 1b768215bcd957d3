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

    /// A bordered box centred in `rect`: the title in its top edge, the numbered options
    /// (`0` for "any", then `1`…), the cursor's row in the selection role.
    static func drawPicker(_ picker: Picker, into buffer: inout Buffer, rect: Rect) {
        let labels = labels(of: picker)
        let widest = max(DisplayText.width(picker.title) + 4, labels.map { DisplayText.width($0) }.max() ?? 0)
        let width = min(rect.width, widest + 4)
        let height = min(rect.height, labels.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        buffer.drawBox(box, title: picker.title)
        let inner = box.inset(by: 1)
        guard inner.height > 0 else { return }
        let first = max(0, min(picker.cursor - inner.height + 1, labels.count - inner.height))
        for row in 0..<min(inner.height, labels.count - first) {
            let index = first + row
            let y = inner.y + row
            let status = Status(rawValue: picker.options[index])
            buffer.write(clipping: " " + labels[index], x: inner.x, y: y, width: inner.width, style: CellStyle(status.map(Role.status) ?? .normal))
            if index == picker.cursor { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: CellStyle(.selection, bold: true)) }
        }
    }

    /// "0 any", "1 not-started", …: the digit that chooses each option (none past 9).
    static func labels(of picker: Picker) -> [String] {
        let base = picker.options.first == "any" ? 0 : 1
        return picker.options.enumerated().map { index, option in
            let number = index + base
            return (number <= 9 ? "\(number) " : "  ") + option
        }
    }
}
