/// The text report's table of groups (categories or actors) fitted to a line width: each
/// group's name, cut with `…` when wider than its column, its total, a stacked bar of its
/// statuses in their glyphs, and its count in each status; the numbers right-aligned under
/// the status glyphs, which head their columns on the heading's line.
struct GroupTable: Equatable {
    /// Columns of the name, the total, the bar and each status's count.
    var name: Int, total: Int, bar: Int, count: Int

    /// The widths for `groups` in lines of at most `lineWidth` columns: the numbers as wide
    /// as the largest total needs, the name as wide as the widest (12 to 28 columns), the
    /// bar 24 columns; when they would not fit, the bar gives way first, down to 12
    /// columns, then the name.
    init(_ groups: [GroupTally], lineWidth: Int = 80) {
        let digits = String(groups.map(\.tally.total).max() ?? 0).count
        total = max(3, digits)
        count = max(3, digits + 1)
        let room = lineWidth - (2 + 1 + total + 2 + 1 + Status.allCases.count * count)
        let widest = groups.map { DisplayText.width(DisplayText.sanitized($0.name)) }.max() ?? 0
        name = max(4, min(28, max(12, widest), room - 12))
        bar = max(4, min(24, room - name))
    }

    /// The heading in bold, then the status glyphs over the count columns.
    func heading(_ text: String, style: TextStyle) -> String {
        let countsStart = 2 + name + 1 + total + 2 + bar + 1
        return style.bold(text) + String(repeating: " ", count: max(1, countsStart - DisplayText.width(text)))
            + style.dim(Status.allCases.map { DisplayText.rightAligned(String(TextStyle.glyphs[$0]!), to: count) }.joined())
    }

    /// One group's line.
    func row(_ group: GroupTally, style: TextStyle) -> String {
        let tally = group.tally
        let segments = ChartGeometry.segments(tally, length: bar)
        let bars = segments.map { style.status($0.status, String(repeating: TextStyle.glyphs[$0.status]!, count: $0.length)) }
        return "  " + DisplayText.padded(DisplayText.sanitized(group.name), to: name)
            + " " + DisplayText.rightAligned("\(tally.total)", to: total) + "  "
            + bars.joined() + String(repeating: " ", count: segments.isEmpty ? bar + 1 : 1)
            + Status.allCases.map { DisplayText.rightAligned("\(tally.count($0))", to: count) }.joined()
    }
}
