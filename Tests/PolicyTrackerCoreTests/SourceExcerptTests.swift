import PolicyTrackerCore
import Testing

/// The offending line shown under a message: safe for a terminal, cut around the column.
@Suite struct SourceExcerptTests {
    private func text(_ string: String, firstLine: Int = 1) -> SourceText {
        SourceText(path: "f.json", bytes: Array(string.utf8), firstLine: firstLine)
    }

    @Test func showsTheLineWithACaretUnderTheColumn() {
        let source = text("{\n  \"schemaVersion\": 1,\n}\n")
        #expect(source.excerpt(line: 2, column: 21) == "    2 |   \"schemaVersion\": 1,\n      |                     ^")
        #expect(source.excerpt(line: 3, column: nil) == "    3 | }")
        #expect(source.excerpt(line: 9, column: 1) == nil)
    }

    @Test func countsLinesFromTheTextsFirstLine() {
        #expect(text("{\"a\":1}\n{\"b\"\n", firstLine: 70).excerpt(line: 71, column: 5) == "   71 | {\"b\"\n      |     ^")
    }

    @Test func showsControlCharactersSafely() {
        let excerpt = text("\"é\u{1B}[2J\0x\"").excerpt(line: 1, column: 3)
        #expect(excerpt == "    1 | \"é^[[2J^@x\"\n      |   ^")
    }

    @Test func cutsALongLineAroundTheColumn() throws {
        let line = String(repeating: "x", count: 50_000) + "!" + String(repeating: "y", count: 50_000)
        let excerpt = try #require(text(line).excerpt(line: 1, column: 50_001))
        let (shown, caret) = (excerpt.split(separator: "\n")[0], excerpt.split(separator: "\n")[1])
        #expect(shown == "    1 | …" + String(repeating: "x", count: 39) + "!" + String(repeating: "y", count: 58) + "…")  // 100 columns
        #expect(caret == "      | " + String(repeating: " ", count: 40) + "^")
    }

    @Test func quotesLongValuesCut() {
        #expect(DisplayText.quoted("done") == "\"done\"")
        #expect(DisplayText.quoted(String(repeating: "x", count: 1_000_000)) == "\"" + String(repeating: "x", count: 59) + "…\"")
    }
}
