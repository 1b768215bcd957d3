/// One status's part of a bar, in whole units of the chart's coordinate system.
public struct BarSegment: Equatable, Sendable {
    public var status: Status
    public var count: Int
    /// Where the segment starts along the bar.
    public var offset: Int
    /// How long it is.
    public var length: Int
}

/// The geometry of the report's charts: pure arithmetic, so it can be tested apart from the
/// markup.
public enum ChartGeometry {
    /// The segments of a bar of `length` units split by `tally`, in status order. Each
    /// segment ends where the cumulative share ends, rounded, so the segments touch and the
    /// last ends exactly at `length`; statuses with no items have no segment, and an empty
    /// tally none at all.
    public static func segments(_ tally: Tally, length: Int) -> [BarSegment] {
        guard tally.total > 0 else { return [] }
        var segments: [BarSegment] = []
        var counted = 0
        for status in Status.allCases where tally.count(status) > 0 {
            let start = scaled(counted, of: tally.total, to: length)
            counted += tally.count(status)
            segments.append(BarSegment(
                status: status, count: tally.count(status), offset: start, length: scaled(counted, of: tally.total, to: length) - start))
        }
        return segments
    }

    /// `part / whole` of `length`, rounded half up, in integers so that the same part always
    /// lands on the same unit.
    static func scaled(_ part: Int, of whole: Int, to length: Int) -> Int {
        (2 * part * length + whole) / (2 * whole)
    }
}

/// The report's charts as inline SVG: each has `role="img"`, a `<title>` and an
/// `aria-label` saying in words what it shows; colors come from the page's style sheet
/// (`s-STATUS` classes), so they follow light, dark and print.
enum SVGChart {
    /// One horizontal bar of the shares of `tally`, `height` units tall in a 1000-unit width.
    static func shareBar(_ tally: Tally, label: String, height: Int) -> String {
        let rects = ChartGeometry.segments(tally, length: 1000).map { segment in
            "<rect class=\"s-\(segment.status.rawValue)\" x=\"\(segment.offset)\" y=\"0\" width=\"\(segment.length)\" height=\"\(height)\">"
                + "<title>\(segment.status.rawValue): \(segment.count)</title></rect>"
        }
        let empty = tally.total == 0 ? "<rect class=\"empty\" x=\"0\" y=\"0\" width=\"1000\" height=\"\(height)\"/>" : ""
        return svg(width: 1000, height: height, label: label, className: "bar", stretch: true, body: empty + rects.joined())
    }

    /// A column per period, stacked by the status each change led to; the tallest column
    /// fills the plot.
    static func columns(_ periods: [(label: String, tally: Tally)], label: String) -> String {
        let plot = (left: 40, top: 12, width: 950, height: 200)
        let highest = max(1, periods.map(\.tally.total).max() ?? 0)
        let pitch = periods.isEmpty ? plot.width : plot.width / periods.count
        var body = axis(highest: highest, plot: plot)
        for (index, period) in periods.enumerated() {
            let x = plot.left + index * pitch + pitch / 8
            let columnHeight = ChartGeometry.scaled(period.tally.total, of: highest, to: plot.height)
            body += "<g><title>\(HTML.escaped(period.label)): \(Self.words(period.tally))</title>"
            for segment in ChartGeometry.segments(period.tally, length: columnHeight) {
                let y = plot.top + plot.height - segment.offset - segment.length
                body += "<rect class=\"s-\(segment.status.rawValue)\" x=\"\(x)\" y=\"\(y)\" width=\"\(pitch * 3 / 4)\" height=\"\(segment.length)\"/>"
            }
            body += "</g>"
            if index % max(1, periods.count / 12) == 0 {
                body += "<text class=\"tick\" x=\"\(x + pitch * 3 / 8)\" y=\"\(plot.top + plot.height + 22)\" text-anchor=\"middle\">\(HTML.escaped(period.label))</text>"
            }
        }
        return svg(width: 1000, height: plot.top + plot.height + 32, label: label, className: "columns", stretch: false, body: body)
    }

    /// The base line and the scale's top value.
    private static func axis(highest: Int, plot: (left: Int, top: Int, width: Int, height: Int)) -> String {
        let base = plot.top + plot.height
        return "<line class=\"axis\" x1=\"\(plot.left)\" y1=\"\(base)\" x2=\"\(plot.left + plot.width)\" y2=\"\(base)\"/>"
            + "<line class=\"grid\" x1=\"\(plot.left)\" y1=\"\(plot.top)\" x2=\"\(plot.left + plot.width)\" y2=\"\(plot.top)\"/>"
            + "<text class=\"tick\" x=\"\(plot.left - 8)\" y=\"\(plot.top + 5)\" text-anchor=\"end\">\(highest)</text>"
            + "<text class=\"tick\" x=\"\(plot.left - 8)\" y=\"\(base + 5)\" text-anchor=\"end\">0</text>"
    }

    /// `3 in-progress, 1 implemented`, or `none`: a tally in words, for text alternatives.
    static func words(_ tally: Tally) -> String {
        let parts = Status.allCases.filter { tally.count($0) > 0 }.map { "\(tally.count($0)) \($0.rawValue)" }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// A bar is stretched to the width of its box; other charts keep their proportions.
    private static func svg(width: Int, height: Int, label: String, className: String, stretch: Bool, body: String) -> String {
        let text = HTML.escaped(label)
        return "<svg class=\"\(className)\" viewBox=\"0 0 \(width) \(height)\"" + (stretch ? " preserveAspectRatio=\"none\"" : "")
            + " role=\"img\" aria-label=\"\(text)\">"
            + "<title>\(text)</title>\(body)</svg>"
    }
}
