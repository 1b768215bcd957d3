import PolicyTrackerCore
import Testing

/// A long log is cut at line breaks and its pieces decoded side by side: whatever the cut,
/// the result and the errors are those of reading it line by line.
@Suite struct ChangeLogSplitTests {
    /// The lines of a log of `count` changes of every kind, with blank and CRLF lines among them.
    private func lines(_ count: Int) -> [String] {
        let kinds = DirectDecodingTests.changeLines
        return (0..<count).flatMap { index in
            let line = kinds[index % kinds.count].replacingOccurrences(of: #""c\#(index % kinds.count + 1)""#, with: "\"n\(index)\"")
            return index % 7 == 3 ? [line + "\r", "  "] : [line]
        }
    }

    private func log(_ count: Int) -> String {
        lines(count).map { $0 + "\n" }.joined()
    }

    private func sourceText(_ log: String) -> SourceText {
        SourceText(path: "changes.jsonl", bytes: Array(log.utf8), firstLine: 11)
    }

    /// `text` decoded line by line, and cut into `parts` pieces as small as a byte allows.
    private func decodedBothWays(_ text: SourceText, parts: Int) throws -> (whole: ChangeLogFormat.Decoded, split: ChangeLogFormat.Decoded) {
        (try ChangeLogFormat.decode(text, parts: 1), try ChangeLogFormat.decode(text, parts: parts, minimumPartBytes: 1))
    }

    private func expectSame(_ whole: ChangeLogFormat.Decoded, _ split: ChangeLogFormat.Decoded) {
        #expect(split.changes == whole.changes)
        #expect(split.lineCount == whole.lineCount)
        #expect(split.completeBytes == whole.completeBytes)
        #expect(split.tornTailBytes == whole.tornTailBytes)
    }

    @Test(arguments: [2, 3, 8, 50, 1000])
    func piecesCutAnywhereGiveTheSameChanges(_ parts: Int) throws {
        let log = log(60)
        let (whole, split) = try decodedBothWays(sourceText(log), parts: parts)
        #expect(whole.changes.count == 60)
        #expect(whole.lineCount == 60 + 9)  // nine blank lines
        #expect(whole.completeBytes == log.utf8.count)
        expectSame(whole, split)
    }

    @Test(arguments: [2, 8, 1000])
    func tornLastLineIsIgnoredWhenCut(_ parts: Int) throws {
        let torn = #"{"changeId":"half","happ"#
        let (whole, split) = try decodedBothWays(sourceText(log(30) + torn), parts: parts)
        #expect(whole.tornTailBytes == torn.utf8.count)
        #expect(whole.changes.count == 30)
        expectSame(whole, split)
    }

    /// What a power cut can leave past the last acknowledged line, on a file system that made
    /// the log's new size durable before all of its data (the zeros): the regression states
    /// of `Tests/EndToEnd/test_power_cut.py`.
    static let powerCutTails: [String] = [
        String(repeating: "\0", count: 700),
        String(repeating: "\0", count: 300) + #"idence","recorded":"2026-01-01T00:00:00Z"}"# + "\n",
        #"{"changeId":"half","note":"a"# + String(repeating: "\0", count: 512) + #"b"}"# + "\n"
            + DirectDecodingTests.changeLines[2].replacingOccurrences(of: "c3", with: "after") + "\n",
        String(repeating: "\0", count: 40) + "\n{not json\n" + String(repeating: "\0", count: 9),
    ]

    @Test(arguments: [1, 2, 8, 1000], 0..<powerCutTails.count)
    func powerCutTailIsLeftOutWhenCut(_ parts: Int, _ tail: Int) throws {
        let tail = Self.powerCutTails[tail]
        let log = log(30)
        let text = sourceText(log + tail)
        let (whole, split) = (try ChangeLogFormat.decode(text, parts: 1), try ChangeLogFormat.decode(text, parts: parts, minimumPartBytes: 1))
        #expect(whole.changes.count == 30)
        #expect(whole.completeBytes == log.utf8.count)
        #expect(whole.tornTailBytes == tail.utf8.count)
        expectSame(whole, split)
    }

    /// A line that does not parse and holds no NUL byte is damage, not a power cut's remains,
    /// when a line follows it.
    @Test(arguments: [1, 8, 1000])
    func damagedLineWithoutZerosIsStillAnError(_ parts: Int) throws {
        let text = sourceText(log(30) + "{\"changeId\":\"half\n" + log(2))
        #expect(throws: TrackerError.self) { try ChangeLogFormat.decode(text, parts: parts, minimumPartBytes: 1) }
        // Before a power cut's tail too: the damage comes first.
        let before = sourceText(log(30) + "{\"changeId\":\"half\n" + log(2) + Self.powerCutTails[1])
        #expect(throws: TrackerError.self) { try ChangeLogFormat.decode(before, parts: parts, minimumPartBytes: 1) }
    }

    @Test(arguments: [2, 8, 1000])
    func completeLastLineWithoutLineBreakIsReadWhenCut(_ parts: Int) throws {
        let (whole, split) = try decodedBothWays(sourceText(log(30) + DirectDecodingTests.changeLines[2].replacingOccurrences(of: "c3", with: "last")), parts: parts)
        #expect(whole.changes.last?.changeId == "last")
        #expect(whole.tornTailBytes == 0)
        expectSame(whole, split)
    }

    @Test(arguments: [2, 8, 1000])
    func firstBadLineIsReportedOnItsOwnLine(_ parts: Int) {
        var lines = lines(40)
        lines[lines.count - 6] = #"{"changeId": x}"#
        lines[lines.count - 3] = "[1]"
        let text = sourceText(lines.map { $0 + "\n" }.joined())
        let expected = TrackerError.badData(
            path: "changes.jsonl", line: 11 + lines.count - 6, column: 14, message: "expected a JSON value, found 'x'")
        #expect(thrown { _ = try ChangeLogFormat.decode(text, parts: 1) } == expected)
        #expect(thrown { _ = try ChangeLogFormat.decode(text, parts: parts, minimumPartBytes: 1) } == expected)
    }

    @Test func emptyLogHasNoPieces() throws {
        let decoded = try ChangeLogFormat.decode(sourceText(""), parts: 8, minimumPartBytes: 1)
        #expect(decoded.changes.isEmpty && decoded.lineCount == 0 && decoded.completeBytes == 0)
    }
}
