import PolicyTrackerCore

/// The figures of `state.report`: the share of each status overall, per category and per
/// actor as bars, the share implemented, recent changes, stalled or reversed items, and the
/// items due for a review; first of all, when there are any, the items two copies of the
/// tracker changed side by side.
/// Two columns when there is room; scrolled by `dashboardOffset` when taller than the screen.
enum DashboardView {
    /// Below this width the sections stand in one column.
    static let twoColumnWidth = 76

    static func draw(_ state: AppState, into buffer: inout Buffer, rect: Rect) {
        let report = state.report
        buffer.write(title(report), x: rect.x + 1, y: rect.y, width: rect.width - 1)
        buffer.write(legend, x: rect.x + 1, y: rect.y + 1, width: rect.width - 1)
        let body = body(of: rect)
        Scrolling.draw(layout(state, body: body).columns, in: body, offset: state.dashboardOffset, into: &buffer)
    }

    /// The largest useful `dashboardOffset` in `rect`.
    static func scrollLimit(_ state: AppState, rect: Rect) -> Int {
        let body = body(of: rect)
        return Scrolling.limit(count: layout(state, body: body).lineCount, height: body.height)
    }

    /// The `dashboardOffset` in `rect` that shows the selected "not reviewed" item, moving as
    /// little as it can from the current one.
    static func offset(revealingStaleOf state: AppState, rect: Rect) -> Int {
        let body = body(of: rect)
        let laid = layout(state, body: body)
        guard let lines = laid.selectedStale else { return state.dashboardOffset }
        return Scrolling.offset(state.dashboardOffset, revealing: lines, count: laid.lineCount, height: body.height)
    }

    /// Where the sections go, under the title and the legend.
    static func body(of rect: Rect) -> Rect {
        Rect(x: rect.x + 1, y: rect.y + 3, width: rect.width - 1, height: rect.height - 3)
    }

    /// The sections laid out in columns, and where the selected "not reviewed" item is.
    private struct Laid {
        var columns: [Scrolling.Column]
        /// The lines the selected "not reviewed" item takes in the last column.
        var selectedStale: Range<Int>?

        /// The lines of the tallest column.
        var lineCount: Int { columns.map(\.lines.count).max() ?? 0 }
    }

    /// The sections in one column, or in two when the body is wide enough; "not reviewed"
    /// ends the last column.
    private static func layout(_ state: AppState, body: Rect) -> Laid {
        let sections = sideBySide(state) + sections(of: state.report)
        let twoColumns = body.width >= twoColumnWidth
        let (left, right) = twoColumns ? body.splitColumns(at: (body.width - 3) / 2, gap: 3) : (body, body)
        var columns: [Scrolling.Column] = []
        if twoColumns {
            columns.append(Scrolling.Column(lines: Scrolling.stacked(sections.filter { !$0.right }.map { $0.lines(left.width) }),
                                            x: left.x, width: left.width))
        }
        let last = twoColumns ? sections.filter(\.right) : sections
        let stale = stale(state, width: right.width)
        let lines = Scrolling.stacked(last.map { $0.lines(right.width) } + [stale.lines])
        columns.append(Scrolling.Column(lines: lines, x: right.x, width: right.width))
        let start = lines.count - stale.lines.count
        return Laid(columns: columns, selectedStale: stale.selected.map { (start + $0.lowerBound)..<(start + $0.upperBound) })
    }

    /// The sections in reading order but the last ("not reviewed", which ``layout(_:body:)``
    /// adds), each with the column it takes when there are two, and its lines at a width.
    private static func sections(of report: StatusReport) -> [(right: Bool, lines: (Int) -> [StyledLine])] {
        [(false, { overall(report, width: $0) }),
         (true, { groups("By category", report.byCategory, width: $0) }),
         (false, { groups("By actor", report.byActor, width: $0) }),
         (true, { recent(report, width: $0) }),
         (false, { attention(report, width: $0) })]
    }

    /// The items changed side by side (``AppState/forks``), as a section of the left column;
    /// none when there are none.
    private static func sideBySide(_ state: AppState) -> [(right: Bool, lines: (Int) -> [StyledLine])] {
        guard !state.forks.isEmpty else { return [] }
        let ids = state.forks.keys.sorted()
        return [(false, { width in
            [StyledLine("! Changed side by side (\(ids.count))", CellStyle(.error, bold: true))]
                + DisplayText.wrapped(ids.joined(separator: ", "), to: max(1, width - 2)).map { StyledLine("  " + $0) }
                + [StyledLine("  open one to see both changes; a review or mark settles it", .muted)]
        })]
    }

    private static func heading(_ text: String) -> StyledLine { StyledLine(text, CellStyle(.header, bold: true)) }

    private static func title(_ report: StatusReport) -> StyledLine {
        StyledLine([Span("Status as of \(report.asOf.text)", CellStyle(.header, bold: true)),
                    Span(" · \(report.overall.total) recommendations", .muted)])
    }

    /// Which glyph stands for which status in the stacked bars.
    private static var legend: StyledLine {
        StyledLine(Status.allCases.enumerated().flatMap { index, status in
            [Span(index == 0 ? "" : "  "), Span(String(TextStyle.glyphs[status]!), .status(status)), Span(" " + status.rawValue, .muted)]
        })
    }

    // MARK: Sections

    /// One bar per status over all items, then the share implemented.
    private static func overall(_ report: StatusReport, width: Int) -> [StyledLine] {
        let tally = report.overall
        let barWidth = max(1, min(40, width - 23))
        let rows = Status.allCases.map { status in
            StyledLine([
                Span(DisplayText.padded(status.rawValue, to: 12), .status(status)),
                Span(DisplayText.padded(TextStyle.bar(tally.share(status), width: barWidth), to: barWidth), .status(status)),
                Span(" " + ViewText.rightAligned("\(tally.count(status))", to: 4) + " " + ViewText.rightAligned(ViewText.percent(tally.share(status)), to: 5)),
            ])
        }
        let implemented = StyledLine([
            Span("implemented: ", .muted),
            Span("\(tally.count(.implemented)) of \(tally.total) (\(ViewText.percent(tally.share(.implemented))))", CellStyle(.status(.implemented), bold: true)),
        ])
        return [heading("Overall")] + rows + [implemented]
    }

    /// Columns a group's status counts take beside its bar, and the narrowest bar that
    /// leaves room for them.
    private static let countsWidth = 20, roomyBarWidth = 16

    /// One stacked bar per group (category or actor), a glyph per status; when there is
    /// room, the count of each status after its glyph.
    private static func groups(_ title: String, _ groups: [GroupTally], width: Int) -> [StyledLine] {
        let nameWidth = nameWidth(of: groups, width: width)
        let roomy = width >= nameWidth + 6 + roomyBarWidth + countsWidth
        let barWidth = roomy ? min(30, width - nameWidth - 6 - countsWidth) : max(1, width - nameWidth - 6)
        return [heading(title)] + groups.map { group in
            StyledLine([Span(DisplayText.padded(DisplayText.sanitized(group.name), to: nameWidth)),
                        Span(ViewText.rightAligned("\(group.tally.total)", to: 4) + "  ", .muted)]
                + stackedBar(group.tally, width: barWidth)
                + (roomy ? [Span(" ")] + counts(group.tally) : []))
        }
    }

    /// The name column: as wide as the widest name as shown (wide glyphs count two), at
    /// least 6 and at most 18 columns, or up to 30 where the bar and the counts still fit
    /// beside it; longer names are cut with `…`.
    private static func nameWidth(of groups: [GroupTally], width: Int) -> Int {
        let widest = groups.map { DisplayText.width(DisplayText.sanitized($0.name)) }.max() ?? 0
        let most = max(18, min(30, width - 6 - roomyBarWidth - countsWidth))
        return min(most, max(6, widest))
    }

    /// " ░2 ▒1": each status present, its glyph and count, in its role.
    private static func counts(_ tally: Tally) -> [Span] {
        Status.allCases.filter { tally.count($0) > 0 }.map { status in
            Span(" \(TextStyle.glyphs[status]!)\(tally.count(status))", .status(status))
        }
    }

    /// A bar `width` columns wide split by status; segment ends are rounded from the running
    /// total, so the segments always add up to the whole width.
    static func stackedBar(_ tally: Tally, width: Int) -> [Span] {
        guard tally.total > 0 else { return [Span(String(repeating: " ", count: width))] }
        var spans: [Span] = []
        var counted = 0
        var end = 0
        for status in Status.allCases {
            counted += tally.count(status)
            let next = Int((Double(counted) / Double(tally.total) * Double(width)).rounded())
            if next > end { spans.append(Span(String(repeating: TextStyle.glyphs[status]!, count: next - end), .status(status))) }
            end = next
        }
        return spans
    }

    /// The latest status changes: date, item and `from → to`.
    private static func recent(_ report: StatusReport, width: Int) -> [StyledLine] {
        let entries = report.recent.map { transition in
            ([Span(DisplayText.padded(transition.change.happened.text, to: 10) + "  ", .muted), Span(transition.change.recommendationId)],
             DetailView.transitionSpans(transition))
        }
        let lines = linesOrPairs(entries, keeping: 3, indent: 12, width: width).flatMap { $0 }
        return [heading("Recent changes")] + (lines.isEmpty ? [StyledLine("none", .muted)] : lines)
    }

    /// Items stalled or reversed, the longest-standing first: status, since when, id, title.
    private static func attention(_ report: StatusReport, width: Int) -> [StyledLine] {
        let entries = report.attention.map { item in
            ([Span(DisplayText.padded(item.status.rawValue, to: 8), .status(item.status)),
              Span(" since " + DisplayText.padded(item.since?.text ?? "—", to: 10), .muted)],
             [Span(item.id), Span("  " + item.recommendation.title, .muted)])
        }
        let lines = linesOrPairs(entries, keeping: 1, indent: 2, width: width).flatMap { $0 }
        return [heading("Stalled or reversed")] + (lines.isEmpty ? [StyledLine("none", .muted)] : lines)
    }

    /// Items with no change recorded in the report's stale days, by id: when last reviewed,
    /// id, title; the first ``AppState/staleListed``, then how many more. The one `v` and
    /// Enter act on is shown selected, and its lines in the section are returned.
    private static func stale(_ state: AppState, width: Int) -> (lines: [StyledLine], selected: Range<Int>?) {
        let report = state.report
        let listed = report.stale.prefix(AppState.staleListed).map { item in
            ([Span(DisplayText.padded(item.recommendation.lastReviewed?.text ?? "never", to: 10), .muted)],
             [Span(item.id), Span("  " + item.recommendation.title, .muted)])
        }
        var lines = [heading("Not reviewed in \(report.staleDays) days (\(report.stale.count))")]
        var selected: Range<Int>?
        for (index, entry) in linesOrPairs(listed, keeping: 1, indent: 2, width: width).enumerated() {
            guard index == state.staleSelection else {
                lines += entry
                continue
            }
            selected = lines.count..<(lines.count + entry.count)
            lines += entry.map(\.selected)
        }
        let more = report.stale.count - listed.count
        if more > 0 { lines.append(StyledLine("… and \(more) more (ptrack report --stale-days \(report.staleDays))", .muted)) }
        return (lines.count == 1 ? lines + [StyledLine("none", .muted)] : lines, selected)
    }

    /// Each entry's two parts on one line when, for every entry, the first `keeping` spans
    /// of the second part fit whole beside the first (the rest may be cut); else every
    /// entry on two lines, the second part indented by `indent`.
    private static func linesOrPairs(_ entries: [([Span], [Span])], keeping: Int, indent: Int, width: Int) -> [[StyledLine]] {
        let fits = entries.allSatisfy { first, second in
            StyledLine(first).width + 2 + StyledLine(Array(second.prefix(keeping))).width <= width
        }
        return entries.map { first, second in
            fits ? [StyledLine(first + [Span("  ")] + second)]
                : [StyledLine(first), StyledLine([Span(String(repeating: " ", count: indent))] + second)]
        }
    }
}
