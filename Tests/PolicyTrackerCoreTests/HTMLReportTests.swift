import Foundation
import PolicyTrackerCore
import Testing

/// The geometry of the HTML report's charts and the page over the bundled agenda.
@Suite struct HTMLReportTests {
    private func tally(_ statuses: [Status]) -> Tally {
        var tally = Tally()
        for status in statuses { tally.add(status) }
        return tally
    }

    // MARK: Chart geometry

    @Test func segmentsFillTheWholeBar() {
        for counts in [[1, 1, 1, 0, 0, 0], [10, 15, 4, 2, 2, 0], [1, 2, 3, 4, 5, 6], [7, 0, 0, 0, 0, 1]] {
            let statuses = zip(Status.allCases, counts).flatMap { Array(repeating: $0, count: $1) }
            for length in [1000, 333, 7] {
                let segments = ChartGeometry.segments(tally(statuses), length: length)
                #expect(segments.first?.offset == 0)
                #expect(segments.reduce(0) { $0 + $1.length } == length)
                #expect(zip(segments, segments.dropFirst()).allSatisfy { $0.offset + $0.length == $1.offset })
                #expect(segments.map(\.count) == counts.filter { $0 > 0 })
            }
        }
    }

    @Test func segmentsAreProportional() {
        let segments = ChartGeometry.segments(tally([.implemented, .stalled, .stalled, .stalled]), length: 1000)
        #expect(segments.map(\.status) == [.implemented, .stalled])
        #expect(segments.map(\.count) == [1, 3])
        #expect(segments.map(\.offset) == [0, 250])
        #expect(segments.map(\.length) == [250, 750])
    }

    @Test func zeroCountsHaveNoSegment() {
        #expect(ChartGeometry.segments(Tally(), length: 1000).isEmpty)
        let segments = ChartGeometry.segments(tally([.partial, .reversed]), length: 1000)
        #expect(segments.map(\.status) == [.partial, .reversed])
        #expect(segments.allSatisfy { $0.length > 0 })
    }

    @Test func oneStatusFillsTheBar() {
        let segments = ChartGeometry.segments(tally([.inProgress, .inProgress]), length: 1000)
        #expect(segments.map(\.status) == [.inProgress])
        #expect(segments.map(\.count) == [2])
        #expect(segments.map(\.offset) == [0])
        #expect(segments.map(\.length) == [1000])
    }

    @Test func aZeroLengthBarHasEmptySegments() {
        let segments = ChartGeometry.segments(tally([.partial, .implemented]), length: 0)
        #expect(segments.map(\.length) == [0, 0])
    }

    // MARK: The page

    private func page() throws -> HTMLReport {
        let date = day("2024-01-31")
        let state = try Bundled.state(asOf: date)
        let history = try Bundled.changes()
        let transitions = Timeline.transitions(history, asOf: date)
        var report = StatusReport(items: state.sortedItems, catalogs: state.catalogs, transitions: transitions, asOf: date, generated: Fixture.now)
        report.addAppendix(items: state.sortedItems, transitions: transitions, staleDays: 180)
        report.sources = state.sources
        return HTMLReport(report: report, transitions: transitions, periodLimit: 5)
    }

    @Test func periodsKeepTheLatestAndCountTheRest() throws {
        let page = try page()
        let transitions = Timeline.transitions(try Bundled.changes(), asOf: day("2024-01-31"))
        #expect(page.periods.count == 5)
        #expect(page.periods.map(\.period) == page.periods.map(\.period).sorted())
        #expect(page.periods.reduce(0) { $0 + $1.tally.total } + page.earlierChanges == transitions.count)
    }

    @Test func pageIsSelfContained() throws {
        var html = ""
        try page().write(to: &html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("url("))
        #expect(html.components(separatedBy: "<svg").count == html.components(separatedBy: "role=\"img\"").count)
        #expect(html.contains("<span class=\"badge s-implemented\">implemented</span>"))
    }

    @Test func untrustedTextIsEscaped() throws {
        var page = try page()
        page.items[0].recommendation.title = "<b onclick='x'>\u{202E}A & B\u{1B}[2J\""
        var html = ""
        page.write(to: &html)
        #expect(html.contains("&lt;b onclick=&#x27;x&#x27;&gt;&lt;U+202E&gt;A &amp; B^[[2J&quot;"))
        #expect(!html.contains("<b onclick"))
    }
}
