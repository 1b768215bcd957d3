extension SourceText {
    /// Columns of a line an excerpt shows at most.
    static let excerptWidth = 100
    /// Columns an excerpt shows before its caret at most, when the line is too long to show whole.
    static let excerptLead = 40

    /// The line `line` as shown under a message about it: its number, its text made safe
    /// for a terminal (and cut around `column` when it is long), and, when `column` is
    /// given (counted in Unicode scalars, as messages count it), a caret under that column.
    /// Nil when the text has no such line.
    ///
    /// ```text
    ///     9 |       "version": "2024.01",
    ///       |                           ^
    /// ```
    public func excerpt(line: Int, column: Int?) -> String? {
        guard let start = lineStart(line) else { return nil }
        var end = firstNewline(in: start..<bytes.count) ?? bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }     // a CRLF line's CR is not shown
        let target = column.map { byteOffset(ofColumn: $0, from: start, to: end) } ?? start
        let shownFrom = characterStart(max(start, target - 4 * Self.excerptLead))
        let shownTo = characterStart(min(end, target + 4 * Self.excerptWidth))
        var before = DisplayText.sanitized(String(decoding: bytes[shownFrom..<target], as: UTF8.self))
        if shownFrom > start || DisplayText.width(before) > Self.excerptLead {
            before = "…" + DisplayText.suffix(of: before, columns: Self.excerptLead - 1)
        }
        let after = DisplayText.sanitized(String(decoding: bytes[target..<shownTo], as: UTF8.self)) + (shownTo < end ? "…" : "")
        let number = String(line)
        let gutter = String(repeating: " ", count: max(0, 5 - number.count))
        var result = "\(gutter)\(number) | \(DisplayText.truncated(before + after, to: Self.excerptWidth))"
        if column != nil {
            let blank = String(repeating: " ", count: gutter.count + number.count)
            result += "\n\(blank) | \(String(repeating: " ", count: DisplayText.width(before)))^"
        }
        return result
    }

    /// The byte offset at which line `line` starts, or nil when the text has no such line.
    private func lineStart(_ line: Int) -> Int? {
        guard line >= firstLine else { return nil }
        var start = 0
        for _ in firstLine..<line {
            guard let newline = firstNewline(in: start..<bytes.count) else { return nil }
            start = newline + 1
        }
        return start
    }

    /// The offset of the `column`-th character of the line `start..<end` (the line's end
    /// when it is shorter), columns counted as ``position(of:)`` counts them.
    private func byteOffset(ofColumn column: Int, from start: Int, to end: Int) -> Int {
        var remaining = column - 1
        var offset = start
        while offset < end, remaining > 0 || bytes[offset] & 0xC0 == 0x80 {
            if bytes[offset] & 0xC0 != 0x80 { remaining -= 1 }
            offset += 1
        }
        return offset
    }

    /// `offset`, moved forward past UTF-8 continuation bytes to the start of a character.
    private func characterStart(_ offset: Int) -> Int {
        var result = offset
        while result < bytes.count, bytes[result] & 0xC0 == 0x80 { result += 1 }
        return result
    }
}
