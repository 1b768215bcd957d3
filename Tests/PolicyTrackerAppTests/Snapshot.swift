import Foundation
import PolicyTrackerApp
import Testing

// A small in-house snapshot helper, in the spirit of swift-argument-parser's AssertSnapshot:
// a Buffer becomes readable text (the screen's rows, then the style runs of each row) and is
// compared with Snapshots/NAME.txt next to this file.
//
// Record or re-record with PTRACK_RECORD_SNAPSHOTS=1: the files are (re)written and every
// recording test fails, so a recording run never passes by accident. Run again without the
// variable to check.

/// True when this run should write snapshots instead of comparing with them.
var isRecordingSnapshots: Bool { ProcessInfo.processInfo.environment["PTRACK_RECORD_SNAPSHOTS"] == "1" }

/// The directory holding the snapshot files.
let snapshotDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

/// The buffer as text: a size line, each row between `|` marks (so trailing spaces show),
/// then the style runs of every row that is not all `normal`.
func snapshotText(_ buffer: Buffer) -> String {
    var text = "size \(buffer.size.width)×\(buffer.size.height)\n"
    if let cursor = buffer.cursor { text += "cursor at column \(cursor.x), row \(cursor.y)\n" }
    for (index, line) in buffer.lines.enumerated() {
        text += pad(index) + " |" + line + "|\n"
    }
    text += "styles\n"
    for row in 0..<buffer.size.height {
        let runs = styleRuns(buffer, row: row)
        if runs.count == 1, runs[0].style == .normal { continue }
        text += "row \(row): " + runs.map { "\($0.range.lowerBound)-\($0.range.upperBound) \(describe($0.style))" }.joined(separator: ", ") + "\n"
    }
    return text
}

private func pad(_ number: Int) -> String {
    String(repeating: " ", count: max(0, 2 - String(number).count)) + String(number)
}

/// Runs of cells of one style, as inclusive column ranges.
func styleRuns(_ buffer: Buffer, row: Int) -> [(range: ClosedRange<Int>, style: CellStyle)] {
    var runs: [(range: ClosedRange<Int>, style: CellStyle)] = []
    for column in 0..<buffer.size.width {
        let style = buffer[column, row].style
        if let last = runs.last, last.style == style {
            runs[runs.count - 1].range = last.range.lowerBound...column
        } else {
            runs.append((column...column, style))
        }
    }
    return runs
}

/// "status.partial bold", "selection", "header bold underline".
func describe(_ style: CellStyle) -> String {
    ([style.role.name] + (style.bold ? ["bold"] : []) + (style.underline ? ["underline"] : [])).joined(separator: " ")
}

/// Compares `buffer` with the snapshot `name`, or records it when recording.
func assertSnapshot(_ buffer: Buffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = snapshotText(buffer)
    let file = snapshotDirectory.appendingPathComponent(name + ".txt")
    if isRecordingSnapshots {
        do {
            try FileManager.default.createDirectory(at: snapshotDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
            Issue.record("Recorded snapshot \(name).txt: check it, then run the tests without PTRACK_RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
        } catch {
            Issue.record("Could not record snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let data = FileManager.default.contents(atPath: file.path) else {
        Issue.record("No snapshot \(file.path): record it with PTRACK_RECORD_SNAPSHOTS=1 swift test --filter PolicyTrackerAppTests, then check it", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    guard expected != actual else { return }
    let report = "Snapshot \(name) differs (re-record with PTRACK_RECORD_SNAPSHOTS=1 if the change is intended):\n"
        + difference(expected: expected, actual: actual)
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
}

/// The lines that differ, expected first (at most ten of them).
func difference(expected: String, actual: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var report: [String] = []
    for index in 0..<max(old.count, new.count) {
        let before = index < old.count ? String(old[index]) : "(none)"
        let after = index < new.count ? String(new[index]) : "(none)"
        if before != after { report.append("line \(index + 1):\n  expected: \(before)\n  actual:   \(after)") }
        if report.count == 10 { break }
    }
    return report.joined(separator: "\n")
}
