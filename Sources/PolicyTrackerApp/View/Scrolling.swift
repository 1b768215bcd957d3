/// Lines that may be taller than the rows they go in (the help, the dashboard): drawn from
/// an offset, and then the last row says where they stand and how to scroll, so nothing is
/// cut off unseen.
enum Scrolling {
    /// A block of lines and the columns it takes.
    struct Column {
        var lines: [StyledLine]
        var x: Int
        var width: Int
    }

    /// Blocks of lines one after another, a blank line between them.
    static func stacked(_ blocks: [[StyledLine]]) -> [StyledLine] {
        Array(blocks.map { [StyledLine.blank] + $0 }.joined().dropFirst())
    }

    /// The largest useful offset for `count` lines in `height` rows: 0 when they fit, else
    /// the one that shows the last line just above the hint.
    static func limit(count: Int, height: Int) -> Int {
        count <= height ? 0 : max(0, count - (height - 1))
    }

    /// The offset, within 0…``limit(count:height:)``, that shows `lines` of `count` lines
    /// in `height` rows, moving as little as it can from `offset`.
    static func offset(_ offset: Int, revealing lines: Range<Int>, count: Int, height: Int) -> Int {
        let limit = limit(count: count, height: height)
        let page = limit == 0 ? Int.max : height - 1
        var revealed = min(offset, lines.lowerBound)
        if lines.upperBound > revealed + page { revealed = lines.upperBound - page }
        return max(0, min(limit, revealed))
    }

    /// Draws `columns` side by side in the rows of `body`, from line `offset` (clamped)
    /// when they do not fit, with the hint on the last row.
    static func draw(_ columns: [Column], in body: Rect, offset: Int, into buffer: inout Buffer) {
        let count = columns.map(\.lines.count).max() ?? 0
        let first = min(max(0, offset), limit(count: count, height: body.height))
        let page = count <= body.height ? body.height : body.height - 1
        for column in columns {
            buffer.draw(column.lines, in: Rect(x: column.x, y: body.y, width: column.width, height: page), from: first)
        }
        guard page < body.height, page > 0 else { return }
        let shown = "lines \(first + 1)–\(first + page) of \(count)"
        let hint = first + page < count
            ? "↓ more below · \(shown) · j/k, PgDn/PgUp, g/G scroll"
            : "↑ end · \(shown) · k, PgUp, g scroll back"
        buffer.write(clipping: hint, x: body.x, y: body.maxY - 1, width: body.width, style: CellStyle(.muted))
    }
}
