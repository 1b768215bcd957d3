import Foundation
import PolicyTrackerCore
import Testing

/// `ptrack diff` over a small hand-made history whose answers are worked out by hand.
@Suite struct StatusDiffTests {
    /// a: in-progress before the span, partial on its first day (as `2022`), implemented on its last.
    /// b: stalled inside the span but reverted, in-progress after it: nothing to show.
    /// c: in-progress the day before the span, then partial and back to in-progress inside it.
    /// d: added inside the span and marked in-progress. e: never changed.
    private static let history: [Change] = [
        Fixture.change("c1", "a", .status(.inProgress), happened: "2021-06", note: "begun", source: "src"),
        Fixture.change("c2", "a", .status(.partial), happened: "2022", note: "half done", source: "https://example.org"),
        Fixture.change("c3", "a", .status(.implemented), happened: "2023-12-31"),
        Fixture.change("c4", "b", .status(.stalled), happened: "2022-03-01"),
        Fixture.change("r1", "b", .revert(changeId: "c4"), happened: "2022-04"),
        Fixture.change("c5", "b", .status(.inProgress), happened: "2024-01-01"),
        Fixture.change("add-d", "d", .add(Fixture.recommendation("d")), happened: "2022-05", recorded: "2022-05-10T00:00:00Z"),
        Fixture.change("c6", "d", .status(.inProgress), happened: "2022-05-10"),
        Fixture.change("c7", "c", .status(.inProgress), happened: "2021-12-31"),
        Fixture.change("c8", "c", .status(.partial), happened: "2022-02"),
        Fixture.change("c9", "c", .status(.inProgress), happened: "2022-03"),
    ]

    private func diff(_ from: String, _ to: String) throws -> StatusDiff {
        let state = try Fixture.state(ids: ["a", "b", "c", "e"], changes: Self.history, asOf: day(to))
        return try StatusDiff(
            items: Array(state.items.values), state: state, history: Self.history, from: day(from), to: day(to),
            generated: Fixture.now)
    }

    private func moves(_ diff: StatusDiff) -> [String] {
        diff.changes.map { "\($0.change.changeId) \($0.from.rawValue)→\($0.to.rawValue)" }
    }

    @Test func changesWithinTheSpan() throws {
        let diff = try diff("2022-01-01", "2023-12-31")
        #expect(diff.items.map(\.item.id) == ["a", "c", "d"])
        #expect(moves(diff) == [
            "c2 in-progress→partial", "c3 partial→implemented", "c8 in-progress→partial", "c9 partial→in-progress",
            "c6 not-started→in-progress",
        ])
        #expect(diff.items.map { "\($0.before.rawValue)→\($0.after.rawValue)" } == [
            "in-progress→implemented", "in-progress→in-progress", "not-started→in-progress",
        ])
    }

    @Test func countsAtTheStartAndTheEnd() throws {
        let diff = try diff("2022-01-01", "2023-12-31")
        #expect(Status.allCases.map(diff.before.count) == [3, 2, 0, 0, 0, 0])
        #expect(Status.allCases.map(diff.after.count) == [2, 2, 0, 1, 0, 0])
        #expect(diff.before.total == 5 && diff.after.total == 5)
    }

    @Test func periodsCountFromTheirFirstToTheirLastDay() throws {
        #expect(moves(try diff("2022", "2023")) == moves(try diff("2022-01-01", "2023-12-31")))
        let later = try diff("2022-01-02", "2023-12-31")
        #expect(later.items.first?.before == .partial)
        #expect(moves(later).first == "c3 partial→implemented")
        #expect(moves(try diff("2022-01-01", "2023-12-30")).contains("c3 partial→implemented") == false)
    }

    @Test func aSpanWithoutChanges() throws {
        let diff = try diff("2021-07", "2021-11")
        #expect(diff.items.isEmpty)
        #expect(diff.before == diff.after)
        #expect(Status.allCases.map(diff.after.count) == [4, 1, 0, 0, 0, 0])
        var json = ""
        diff.write(.json, style: TextStyle(enabled: false), width: 80, to: &json)
        #expect(json == "[]\n")
    }

    @Test func aStartAfterTheEndIsAUsageError() throws {
        #expect(thrown { _ = try diff("2024", "2023") } == .usage("the start 2024 is after the end 2023"))
        #expect(thrown { _ = try diff("2023-12-31", "2023-06") } != nil)
        #expect(thrown { _ = try diff("2023-06", "2023") } == nil)
    }

    @Test func citationsResolveSourceIds() throws {
        let diff = try diff("2021", "2022-01")
        #expect(diff.citations["src"]?.hasSuffix("[src]") == true)
        #expect(diff.citations["https://example.org"] == "https://example.org")
    }

    @Test func csvHasOneRowPerChange() throws {
        var csv = ""
        try diff("2022", "2023").write(.csv, style: TextStyle(enabled: false), width: 80, to: &csv)
        let rows = csv.components(separatedBy: "\r\n").dropLast()
        #expect(rows.first == "id,changeId,before,after,happened,recorded,note,source,citation")
        #expect(rows.count == 6)
        #expect(rows[1] == "a,c2,in-progress,partial,2022,2024-01-01T00:00:00Z,half done,https://example.org,https://example.org")
    }

    @Test func firstAndLastDays() {
        #expect(day("2022").firstDay == day("2022-01-01"))
        #expect(day("2022-05").firstDay == day("2022-05-01"))
        #expect(day("2022-05-20").firstDay == day("2022-05-20"))
        #expect(day("2023").lastDay == day("2023-12-31"))
        #expect(day("2023-02").lastDay == day("2023-02-28"))
        #expect(day("2024-02").lastDay == day("2024-02-29"))
        #expect(day("2024-02-10").lastDay == day("2024-02-10"))
    }
}
