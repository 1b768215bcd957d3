import PolicyTrackerCore

/// One column of the list between the status and the title.
struct ListColumn {
    var heading: String
    var width: Int
    var style: CellStyle
    var value: (Item) -> String
}

/// The columns of the list, fitted to a width the way the `list` command fits its table:
/// the title takes the room left; when it would get less than ``minimumTitleWidth``, the
/// horizon, then the category, make way.
///
/// Widths come from the pane and the categories (a handful, from the report), never from
/// scanning every item, so a frame costs the same at 100,000 items as at 30.
struct ListColumns {
    static let minimumTitleWidth = 30
    static let markWidth = 2
    static let statusWidth = 11
    static let gap = 2

    var idWidth: Int
    var middle: [ListColumn]
    var titleWidth: Int

    init(width: Int, categories: [GroupTally]) {
        idWidth = min(30, max(10, width / 4))
        let categoryWidth = min(18, max(8, categories.map { DisplayText.width($0.name) }.max() ?? 8))
        var columns = [
            ListColumn(heading: "SINCE", width: 10, style: CellStyle(.muted)) { $0.since?.text ?? "—" },
            ListColumn(heading: "CATEGORY", width: categoryWidth, style: .normal) { $0.recommendation.category },
            ListColumn(heading: "HORIZON", width: 11, style: CellStyle(.muted)) { $0.recommendation.horizon.id },
        ]
        let fixed = Self.markWidth + idWidth + Self.gap + Self.statusWidth + Self.gap
        let used = { fixed + columns.reduce(0) { $0 + $1.width + Self.gap } }
        while columns.count > 1, width - used() < Self.minimumTitleWidth { columns.removeLast() }
        middle = columns
        titleWidth = max(0, width - used())
    }

    /// Where the id starts.
    var idX: Int { Self.markWidth }
    var statusX: Int { idX + idWidth + Self.gap }
    /// Where each middle column starts.
    var middleX: [Int] {
        middle.indices.map { index in statusX + Self.statusWidth + Self.gap + middle[..<index].reduce(0) { $0 + $1.width + Self.gap } }
    }
    var titleX: Int { (middleX.last.map { $0 + middle.last!.width } ?? statusX + Self.statusWidth) + Self.gap }
}

/// The list pane: column headings, then the visible window of rows from `listOffset`.
enum ListView {
    static func draw(_ state: AppState, into buffer: inout Buffer, rect: Rect, body: Rect) {
        let columns = ListColumns(width: rect.width, categories: state.report.byCategory)
        drawHeadings(columns, into: &buffer, x: rect.x, y: rect.y, width: rect.width)
        guard !state.rows.isEmpty else {
            buffer.write(clipping: emptyMessage(state), x: body.x + 2, y: body.y, width: body.width - 2, style: CellStyle(.muted))
            return
        }
        let selected = state.selectedRow
        let query = state.highlightedQuery
        for line in 0..<body.height {
            let index = state.listOffset + line
            guard index >= 0, index < state.rows.count else { break }
            let y = body.y + line
            switch state.rows[index] {
            case .group(let name, let count, let collapsed):
                drawGroup(name: name, count: count, collapsed: collapsed, into: &buffer, x: body.x, y: y, width: body.width)
                if index == selected { buffer.restyle(Rect(x: body.x, y: y, width: body.width, height: 1), style: CellStyle(.selection, bold: true)) }
            case .item(let id):
                guard let item = state.tracker.items[id] else { continue }
                drawItem(item, columns: columns, selected: index == selected, forked: state.forks[id] != nil, new: state.news.items.contains(id), query: query,
                         into: &buffer, x: body.x, y: y, width: body.width)
            }
        }
    }

    private static func emptyMessage(_ state: AppState) -> String {
        state.tracker.items.isEmpty ? "No recommendations yet." : "Nothing matches the filters: 0 clears them."
    }

    private static func drawHeadings(_ columns: ListColumns, into buffer: inout Buffer, x: Int, y: Int, width: Int) {
        let style = CellStyle(.header, bold: true)
        buffer.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
        let headings = [(columns.idX, columns.idWidth, "ID"), (columns.statusX, ListColumns.statusWidth, "STATUS")]
            + zip(columns.middleX, columns.middle).map { ($0, $1.width, $1.heading) }
            + [(columns.titleX, columns.titleWidth, "TITLE")]
        for (column, columnWidth, heading) in headings where column < width {
            buffer.write(clipping: heading, x: x + column, y: y, width: min(columnWidth, width - column), style: style)
        }
    }

    /// "▾ diplomacy (5)", or "▸ …" when folded.
    private static func drawGroup(name: String, count: Int, collapsed: Bool, into buffer: inout Buffer, x: Int, y: Int, width: Int) {
        let line = StyledLine([Span(collapsed ? "▸ " : "▾ ", .accent), Span(name, CellStyle(.header, bold: true)), Span(" (\(count))", .muted)])
        buffer.write(line, x: x, y: y, width: width)
    }

    /// One item: its mark (`!` when changed side by side in two copies, else `+` when it has
    /// changes new since the last look, else `★` when watched), id, status word, the middle columns and the title; the whole row in the
    /// selection role when selected, and search matches in id and title marked.
    private static func drawItem(
        _ item: Item, columns: ListColumns, selected: Bool, forked: Bool, new: Bool, query: String, into buffer: inout Buffer, x: Int, y: Int, width: Int
    ) {
        let recommendation = item.recommendation
        if forked {
            buffer.write("!", x: x, y: y, style: CellStyle(.error, bold: true))
        } else if new {
            buffer.write("+", x: x, y: y, style: CellStyle(.accent, bold: true))
        } else if recommendation.watched {
            buffer.write("★", x: x, y: y, style: CellStyle(.watched))
        }
        let id = ViewText.clipped(item.id, to: columns.idWidth)
        buffer.write(id, x: x + columns.idX, y: y, maxWidth: columns.idWidth)
        buffer.write(item.status.rawValue, x: x + columns.statusX, y: y, maxWidth: ListColumns.statusWidth, style: CellStyle(.status(item.status)))
        for (column, content) in zip(columns.middleX, columns.middle) {
            buffer.write(clipping: content.value(item), x: x + column, y: y, width: content.width, style: content.style)
        }
        let title = ViewText.clipped(recommendation.title, to: columns.titleWidth)
        buffer.write(title, x: x + columns.titleX, y: y, maxWidth: columns.titleWidth)
        if selected { buffer.restyle(Rect(x: x, y: y, width: width, height: 1), style: CellStyle(.selection)) }
        buffer.highlight(query, in: id, x: x + columns.idX, y: y)
        buffer.highlight(query, in: title, x: x + columns.titleX, y: y)
    }
}
