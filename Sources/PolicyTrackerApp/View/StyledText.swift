import PolicyTrackerCore

/// A run of text in one style: the unit the views compose their lines from.
struct Span {
    var text: String
    var style: CellStyle

    init(_ text: String, _ style: CellStyle = .normal) {
        self.text = text
        self.style = style
    }

    init(_ text: String, _ role: Role) {
        self.init(text, CellStyle(role))
    }
}

/// One screen line made of spans; it is cut with `…` where it does not fit.
struct StyledLine {
    var spans: [Span]

    init(_ spans: [Span] = []) { self.spans = spans }

    init(_ text: String, _ style: CellStyle = .normal) { self.init([Span(text, style)]) }

    init(_ text: String, _ role: Role) { self.init([Span(text, role)]) }

    static let blank = StyledLine()

    /// The line as a selected row shows it: every span in the selection role.
    var selected: StyledLine { StyledLine(spans.map { Span($0.text, CellStyle(.selection, bold: true)) }) }

    /// Columns the line takes once sanitised.
    var width: Int { spans.reduce(0) { $0 + DisplayText.width(DisplayText.sanitized($1.text)) } }
}

/// Small text helpers the views share.
enum ViewText {
    /// `text` sanitised and cut to `columns` columns, ending in `…` when cut. Never splits a glyph.
    static func clipped(_ text: String, to columns: Int) -> String {
        DisplayText.truncated(DisplayText.sanitized(text), to: max(0, columns))
    }

    /// The longest start of `text` that fits in `columns` columns (no glyph split).
    static func prefix(_ text: String, columns: Int) -> String {
        var result = ""
        var used = 0
        for character in text {
            let width = DisplayText.width(of: character)
            if used + width > columns { break }
            result.append(character)
            used += width
        }
        return result
    }

    /// `text` sanitised and cut from the left to `columns` columns, starting with `…` when
    /// cut: for paths, whose end says the most.
    static func clippedFromLeft(_ text: String, to columns: Int) -> String {
        let clean = DisplayText.sanitized(text)
        guard DisplayText.width(clean) > columns else { return clean }
        guard columns > 0 else { return "" }
        var kept: [Character] = []
        var used = 1
        for character in clean.reversed() {
            let width = DisplayText.width(of: character)
            if used + width > columns { break }
            kept.append(character)
            used += width
        }
        return "…" + String(kept.reversed())
    }

    /// `text` padded on the left with spaces to `columns` columns (for numbers).
    static func rightAligned(_ text: String, to columns: Int) -> String {
        String(repeating: " ", count: max(0, columns - DisplayText.width(text))) + text
    }

    /// A share in 0...1 as a whole percentage: `36%`.
    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    /// The column ranges where `query` occurs in `text` (case-insensitively), `text` being
    /// what is on the screen already (sanitised and cut).
    static func matchColumns(of query: String, in text: String) -> [Range<Int>] {
        let needle = query.lowercased()
        guard !needle.isEmpty else { return [] }
        let characters = Array(text)
        var starts: [Int] = [0]
        for character in characters { starts.append(starts.last! + DisplayText.width(of: character)) }
        var ranges: [Range<Int>] = []
        var index = 0
        while index < characters.count {
            if let end = matchEnd(needle, in: characters, from: index) {
                ranges.append(starts[index]..<starts[end])
                index = end
            } else {
                index += 1
            }
        }
        return ranges
    }

    /// The index after a match of `needle` starting at `start`, or nil.
    private static func matchEnd(_ needle: String, in characters: [Character], from start: Int) -> Int? {
        var candidate = ""
        for end in start..<characters.count {
            candidate += characters[end].lowercased()
            if candidate == needle { return end + 1 }
            if !needle.hasPrefix(candidate) { return nil }
        }
        return nil
    }
}

extension Buffer {
    /// Writes `text` in at most `width` columns, ending in `…` when it had to be cut.
    /// Returns the columns used.
    @discardableResult
    mutating func write(clipping text: String, x: Int, y: Int, width: Int, style: CellStyle = .normal) -> Int {
        guard width > 0 else { return 0 }
        return write(ViewText.clipped(text, to: width), x: x, y: y, maxWidth: width, style: style)
    }

    /// Writes the spans of `line` from column `x`, in at most `width` columns; a line too
    /// long ends in `…` where it is cut.
    @discardableResult
    mutating func write(_ line: StyledLine, x: Int, y: Int, width: Int) -> Int {
        let overflows = line.width > width
        var used = 0
        for span in line.spans {
            let text = DisplayText.sanitized(span.text)
            let remaining = width - used
            guard remaining > 0 else { break }
            if overflows, DisplayText.width(text) >= remaining {
                used += write(ViewText.prefix(text, columns: remaining - 1) + "…", x: x + used, y: y, maxWidth: remaining, style: span.style)
                break
            }
            used += write(text, x: x + used, y: y, maxWidth: remaining, style: span.style)
        }
        return used
    }

    /// Draws `lines` into `rect`, one per row, starting with line `offset`.
    mutating func draw(_ lines: [StyledLine], in rect: Rect, from offset: Int = 0) {
        for row in 0..<rect.height {
            let index = offset + row
            guard index >= 0, index < lines.count else { continue }
            write(lines[index], x: rect.x, y: rect.y + row, width: rect.width)
        }
    }

    /// Gives the cells of every occurrence of `query` in `shown` (written at `x`, `y`) the
    /// search-match role.
    mutating func highlight(_ query: String, in shown: String, x: Int, y: Int) {
        for range in ViewText.matchColumns(of: query, in: shown) {
            restyle(Rect(x: x + range.lowerBound, y: y, width: range.count, height: 1), style: CellStyle(.searchMatch, bold: true))
        }
    }

    /// Clears `rect` and draws a border around it, with `title` in its top edge.
    mutating func drawBox(_ rect: Rect, title: String? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        fill(rect)
        let border = CellStyle(.border)
        let inner = String(repeating: "─", count: rect.width - 2)
        write("┌" + inner + "┐", x: rect.x, y: rect.y, style: border)
        write("└" + inner + "┘", x: rect.x, y: rect.maxY - 1, style: border)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            write("│", x: rect.x, y: row, style: border)
            write("│", x: rect.maxX - 1, y: row, style: border)
        }
        if let title, rect.width > 4 {
            write(clipping: " " + title + " ", x: rect.x + 2, y: rect.y, width: rect.width - 4, style: CellStyle(.header, bold: true))
        }
    }

    /// Draws a vertical line in the border role down column `x` of `rect`'s rows.
    mutating func drawVerticalLine(x: Int, rows rect: Rect) {
        for row in rect.y..<rect.maxY { write("│", x: x, y: row, style: CellStyle(.border)) }
    }
}
