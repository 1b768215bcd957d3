import Foundation
import PolicyTrackerCore
import Testing

/// Reports over 40 categories with long, wide (CJK), space-holding and hostile names: the
/// tables by category and by actor (written by the same code) keep within 80 columns, and
/// the HTML page draws one bar per group with its name escaped.
@Suite struct ManyGroupsReportTests {
    /// Made-up category names, each used for one group or more (numbered to make 40).
    private static let names = [
        "European Union", "United Kingdom", "대한민국", "日本", "Republic of Korea and Japan",
        "An uncommonly long category name that no column could hold", "日本と大한민국の長い協力関係の名前",
        "<script>alert(\"x\")</script> & 'friends'",
    ]

    private static let categories = (0..<40).map { index in
        index < names.count ? names[index] : "\(names[index % names.count]) \(index)"
    }

    /// One to three items in each category, their statuses spread over every status; the
    /// actor groups are the category groups too, so both tables have 40 rows.
    private func report() throws -> StatusReport {
        var recommendations: [Recommendation] = []
        var changes: [Change] = []
        for (index, category) in Self.categories.enumerated() {
            for copy in 0...(index % 3) {
                let id = "r\(index)-\(copy)"
                recommendations.append(Fixture.recommendation(id, category: category))
                let status = Status.allCases[(index + copy) % Status.allCases.count]
                if status != .notStarted { changes.append(Fixture.change("c-\(id)", id, .status(status))) }
            }
        }
        let state = try Replay.state(
            catalog: Fixture.catalog(recommendations), changes: changes, asOf: nil, locate: Fixture.locate, locateLink: Fixture.locateLink)
        var report = StatusReport(items: state.sortedItems, catalogs: state.catalogs, history: changes, asOf: day("2024-01-31"), generated: Fixture.now)
        report.byActor = report.byCategory
        return report
    }

    private func written(_ format: ReportFormat) throws -> String {
        var output = ""
        try report().write(format, style: TextStyle(enabled: false), to: &output)
        return output
    }

    /// The lines of `text` from the one starting with `heading` to the next blank line.
    private func table(_ heading: String, in text: String) -> [Substring] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
        return Array(lines[start...].prefix { !$0.isEmpty })
    }

    @Test func everyTextLineFitsEightyColumns() throws {
        let text = try written(.text)
        for line in text.split(separator: "\n") {
            #expect(DisplayText.width(String(line)) <= 80, "\(line)")
        }
    }

    @Test func textTablesAlignEveryRowAndCutLongNames() throws {
        let text = try written(.text)
        for heading in ["By category", "By actor"] {
            let rows = table(heading, in: text).dropFirst()
            #expect(rows.count == 40)
            // Every field has its own width, so every row is as wide as the others.
            #expect(Set(rows.map { DisplayText.width(String($0)) }).count == 1)
            #expect(rows.contains { $0.hasPrefix("  대한민국 ") })
            #expect(rows.contains { $0.hasPrefix("  An uncommonly long category…") })
            #expect(rows.contains { $0.hasPrefix("  日本と大한민국の長い協力関… ") })
        }
    }

    @Test func textTableShrinksTheBarBeforeCrossingEightyColumns() throws {
        var report = try report()
        var large = Tally()
        for _ in 0..<123_456 { large.add(.inProgress) }
        report.byCategory[0].tally = large
        var text = ""
        report.write(.text, style: TextStyle(enabled: false), to: &text)
        let rows = table("By category", in: text)
        #expect(rows.allSatisfy { DisplayText.width(String($0)) <= 80 })
        #expect(rows.contains { $0.contains(" 123456  ▒▒▒▒▒▒▒▒▒▒▒▒  ") })
    }

    @Test func markdownHasARowPerGroupWithItsNameEscaped() throws {
        let markdown = try written(.markdown)
        #expect(markdown.contains("\n| 대한민국 | 3 |"))
        #expect(markdown.contains("\n| \\<script\\>alert(\"x\")\\</script\\> \\& 'friends' |"))
        #expect(markdown.contains("\n| European Union | 1 |"))
    }

    @Test func htmlDrawsOneBarPerGroupWithItsFullName() throws {
        let html = try written(.html)
        for id in ["by-category", "by-actor"] {
            let start = try #require(html.range(of: "<section id=\"\(id)\""))
            let rest = html[start.lowerBound...]
            let body = rest[..<(try #require(rest.range(of: "</section>"))).upperBound]
            #expect(body.components(separatedBy: "<svg class=\"bar\"").count - 1 == 40)
            #expect(body.components(separatedBy: "<tr><th scope=\"row\">").count - 1 == 40)
            #expect(body.contains("<title>An uncommonly long category name that no column could hold: "))
            #expect(body.contains("<th scope=\"row\">日本と大한민국の長い協力関係の名前</th>"))
            #expect(body.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;friends&#x27;"))
            #expect(!body.contains("<script>"))
        }
    }
}
