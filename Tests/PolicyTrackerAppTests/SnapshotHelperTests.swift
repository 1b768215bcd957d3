import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// The snapshot helper itself: its text form, and that it fails when it should.
@Suite struct SnapshotHelperTests {
    @Test func aBufferReadsAsRowsThenStyleRuns() {
        var buffer = Buffer(size: Size(width: 8, height: 3))
        buffer.write("★", x: 0, y: 0, style: CellStyle(.watched))
        buffer.write("日本", x: 2, y: 0)
        buffer.write("partial", x: 0, y: 2, maxWidth: 7, style: CellStyle(.status(.partial), bold: true))
        #expect(snapshotText(buffer) == """
            size 8×3
             0 |★ 日本  |
             1 |        |
             2 |partial |
            styles
            row 0: 0-0 watched, 1-7 normal
            row 2: 0-6 status.partial bold, 7-7 normal

            """)
    }

    @Test func theDifferenceNamesTheLinesThatDiffer() {
        let report = difference(expected: "a\nb\nc", actual: "a\nB\nc\nd")
        #expect(report == "line 2:\n  expected: b\n  actual:   B\nline 4:\n  expected: (none)\n  actual:   d")
    }

    @Test(.disabled(if: isRecordingSnapshots, "a recording run would write the file"))
    func aMissingSnapshotFailsAndSaysHowToRecord() {
        withKnownIssue {
            assertSnapshot(Buffer(size: Size(width: 2, height: 1)), named: "no-such-snapshot")
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("PTRACK_RECORD_SNAPSHOTS=1") }
        }
    }

    @Test(.disabled(if: isRecordingSnapshots, "a recording run would overwrite the file"))
    func aDifferentScreenFails() {
        withKnownIssue {
            assertSnapshot(Buffer(size: Size(width: 30, height: 8)), named: "too-small-30x8")
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("differs") }
        }
    }
}
