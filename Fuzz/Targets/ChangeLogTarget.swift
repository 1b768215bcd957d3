@testable import PolicyTrackerCore

/// `changes.jsonl`: reading it whole and in pieces side by side agree; a torn last line is
/// set aside and the complete lines before it read alone; the changes survive a round trip
/// through the writer.
enum ChangeLogTarget {
    static func check(_ bytes: [UInt8]) {
        let text = SourceText(path: "changes.jsonl", bytes: bytes)
        let whole = read(text, parts: 1)
        let pieces = read(text, parts: 8, minimumPartBytes: 64)
        invariant(whole == pieces, "the log read in pieces differs: \(whole) versus \(pieces)")
        guard case .success(let decoded) = whole else { return }
        invariant(decoded.completeBytes + decoded.tornTailBytes == bytes.count, "complete and torn bytes do not add up")
        let complete = read(SourceText(path: text.path, bytes: Array(bytes[..<decoded.completeBytes])), parts: 1)
        var untorn = decoded
        untorn.tornTailBytes = 0
        invariant(complete == .success(untorn), "the complete lines alone read differently")
        checkRoundTrip(decoded.changes, path: text.path, encode: encode) { text throws(TrackerError) in
            try ChangeLogFormat.decode(text, parts: 1).changes
        }
    }

    /// What reading the log gave, comparable.
    struct Summary: Equatable {
        var changes: [Change]
        var completeBytes: Int
        var lineCount: Int
        var tornTailBytes: Int

        init(_ decoded: ChangeLogFormat.Decoded) {
            changes = decoded.changes
            completeBytes = decoded.completeBytes
            lineCount = decoded.lineCount
            tornTailBytes = decoded.tornTailBytes
        }
    }

    private static func read(_ text: SourceText, parts: Int, minimumPartBytes: Int = 1 << 20) -> Result<Summary, TrackerError> {
        Result { () throws(TrackerError) in
            Summary(try ChangeLogFormat.decode(text, parts: parts, minimumPartBytes: minimumPartBytes))
        }
    }

    private static func encode(_ changes: [Change]) -> [UInt8] {
        Array(changes.map { ChangeLogFormat.encodeLine($0) + "\n" }.joined().utf8)
    }
}
