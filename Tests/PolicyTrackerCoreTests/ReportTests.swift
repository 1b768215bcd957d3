import Foundation
import PolicyTrackerCore
import Testing

/// The status report over the bundled agenda, in every format, and the text helpers it uses.
@Suite struct ReportTests {
    private func report(asOf: String = "2026-12-06") throws -> StatusReport {
        let date = day(asOf)
        let state = try Bundled.state(asOf: date)
        return StatusReport(
            items: state.sortedItems, catalogs: state.catalogs, history: try Bundled.changes(), asOf: date, generated: Fixture.now)
    }

    private func written(_ format: ReportFormat, style: TextStyle = TextStyle(enabled: false), asOf: String = "2026-12-06") throws -> String {
        var output = ""
        try report(asOf: asOf).write(format, style: style, to: &output)
        return output
    }

    // MARK: Tallies

    @Test func overallTally() throws {
        let overall = try report().overall
        #expect(overall.total == 47)
        #expect(Status.allCases.map(overall.count) == [13, 20, 7, 6, 1, 0])
        #expect(overall.share(.inProgress) == 20.0 / 47.0)
        #expect(Tally().share(.implemented) == 0)
    }

    @Test func tallyByCategory() throws {
        let groups = try report().byCategory
        #expect(groups.map(\.name) == [
            "deterrence", "diplomacy", "economic-security", "global-and-regional", "institutions", "messaging",
            "north-korea-and-economics", "security",
        ])
        let diplomacy = try #require(groups.first { $0.name == "diplomacy" }).tally
        #expect(diplomacy.total == 9)
        #expect(Status.allCases.map(diplomacy.count) == [2, 4, 2, 1, 0, 0])
        let institutions = try #require(groups.first { $0.name == "institutions" }).tally
        #expect(Status.allCases.map(institutions.count) == [0, 4, 2, 2, 1, 0])
    }

    @Test func tallyByActor() throws {
        let groups = try report().byActor
        #expect(groups.map(\.name) == ["US", "Japan", "ROK"])
        #expect(groups.map(\.tally.total) == [46, 46, 47])
        #expect(Status.allCases.map(groups[1].tally.count) == [13, 19, 7, 6, 1, 0])
    }

    @Test func recentChangesAreNewestFirst() throws {
        let recent = try report().recent
        #expect(recent.count == 10)
        #expect(recent.prefix(3).map(\.change.recommendationId) == ["cptpp-entry", "annual-leaders-summit", "trilateral-secretariat"])
        #expect(recent.map(\.change.happened) == recent.map(\.change.happened).sorted(by: >))
        #expect(recent[1].from == .inProgress)
        #expect(recent[1].to == .stalled)
    }

    @Test func attentionListsStalledOrReversedOldestFirst() throws {
        #expect(try report().attention.map(\.id) == ["annual-leaders-summit"])
        // Nothing was stalled or reversed before the recommendations were made.
        let early = try report(asOf: "2020")
        #expect(early.attention.isEmpty && early.recent.isEmpty)
    }

    // MARK: JSON

    @Test func jsonParsesAndHasTheTotals() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try written(.json).utf8)) as? [String: Any])
        #expect(object["asOf"] as? String == "2026-12-06")
        #expect(object["generated"] as? String == "2024-01-31T12:00:00Z")
        #expect(object["total"] as? Int == 47)
        #expect(object["schemaVersion"] as? Int == SchemaVersion.current)
        let byStatus = try #require(object["byStatus"] as? [String: Int])
        #expect(byStatus == [
            "not-started": 13, "in-progress": 20, "partial": 7, "implemented": 6, "stalled": 1, "reversed": 0,
        ])
        let shares = try #require(object["shareByStatus"] as? [String: Double])
        #expect(Set(shares.keys) == Set(Status.names))
        #expect(shares["in-progress"] == 0.4255)
        #expect((object["byCategory"] as? [Any])?.count == 8)
        #expect((object["byActor"] as? [Any])?.count == 3)
        #expect((object["recent"] as? [Any])?.count == 10)
        let attention = try #require(object["stalledOrReversed"] as? [[String: Any]])
        #expect(attention.map { $0["id"] as? String } == ["annual-leaders-summit"])
        #expect(attention.first?["lastChange"] as? String == "2025-10-28")
        #expect(attention.first?["since"] as? String == "2025-10-28")
    }

    @Test func jsonOfAnEmptyReportHasZeroes() throws {
        let empty = StatusReport(items: [], catalogs: [], history: [], asOf: day("2024"), generated: Fixture.now)
        var output = ""
        empty.write(.json, style: TextStyle(enabled: true), to: &output)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == 0)
        #expect((object["byStatus"] as? [String: Int])?.values.allSatisfy { $0 == 0 } == true)
        #expect((object["byStatus"] as? [String: Int])?.count == 6)
        #expect(!output.contains("\u{1B}"))
    }

    // MARK: CSV

    @Test func csvHasAHeaderAndOneRowPerDimensionGroupAndStatus() throws {
        let csv = try written(.csv)
        #expect(csv.hasSuffix("\r\n"))
        let rows = csv.components(separatedBy: "\r\n").dropLast()
        #expect(rows.first == "dimension,group,status,count,share,asOf")
        #expect(rows.count == 1 + (1 + 8 + 3) * 6)
        #expect(rows.contains("overall,all,in-progress,20,0.4255,2026-12-06"))
        #expect(rows.contains("category,diplomacy,partial,2,0.2222,2026-12-06"))
        #expect(rows.contains("actor,US,stalled,1,0.0217,2026-12-06"))
        #expect(rows.contains("actor,ROK,reversed,0,0.0000,2026-12-06"))
        #expect(rows.dropFirst().allSatisfy { $0.split(separator: ",").count == 6 })
    }

    @Test func csvWritesGroupNamesAsTheExportDoes() throws {
        let date = day("2024-01-31")
        var items = try Bundled.state(asOf: date).sortedItems
        items[0].recommendation.category = "cat\u{1B}]0;t\u{07}\r\u{202E},x"
        var csv = ""
        StatusReport(items: items, catalogs: [], history: [], asOf: date, generated: Fixture.now)
            .write(.csv, style: TextStyle(enabled: false), to: &csv)
        #expect(csv.contains("category,\"cat\\u{1B}]0;t\\u{7}\\u{D}\\u{202E},x\",not-started,"))
        items[0].recommendation.category = "=HYPERLINK(\"http://x.test\",\"y\")"
        csv = ""
        StatusReport(items: items, catalogs: [], history: [], asOf: date, generated: Fixture.now)
            .write(.csv, style: TextStyle(enabled: false), to: &csv)
        #expect(csv.contains("category,\"\\u{3D}HYPERLINK(\"\"http://x.test\"\",\"\"y\"\")\",not-started,"))
    }

    @Test func csvQuotesFieldsThatNeedIt() {
        #expect(CSV.row(["a,b", "say \"hi\"", "line\nbreak", "plain"]) == "\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",plain\r\n")
    }

    // MARK: Markdown

    @Test func markdownHasTheTables() throws {
        let markdown = try written(.markdown)
        #expect(markdown.hasPrefix("# Status report as of 2026-12-06\n\n"))
        #expect(markdown.contains(
            "NCAFP Practical Trilateral Agenda (2021) \\[ncafp-2021\\]; Later Trilateral Commitments (2024) \\[trilateral-2024\\]. 47 recommendations; generated 2024-01-31T12:00:00Z.\n"))
        #expect(markdown.contains("""
            ## Overall

            | Status | Count | Share |
            | --- | ---: | ---: |
            | not-started | 13 | 28% |
            | in-progress | 20 | 43% |
            | partial | 7 | 15% |
            | implemented | 6 | 13% |
            | stalled | 1 | 2% |
            | reversed | 0 | 0% |

            """))
        #expect(markdown.contains("""
            ## By category

            | Category | Total | not-started | in-progress | partial | implemented | stalled | reversed |
            | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
            | deterrence | 5 | 3 | 1 | 0 | 1 | 0 | 0 |
            | diplomacy | 9 | 2 | 4 | 2 | 1 | 0 | 0 |

            """))
        #expect(markdown.contains("| Actor | Total |"))
        #expect(markdown.contains("| ROK | 47 | 13 | 20 | 7 | 6 | 1 | 0 |\n"))
        #expect(markdown.contains("- **2025-10-28** `annual-leaders-summit`: in-progress → stalled"))
        #expect(markdown.contains("## Stalled or reversed\n\n- `annual-leaders-summit` "))
        #expect(markdown.contains("**stalled** since 2025-10-28\n"))
    }

    // MARK: Text

    @Test func plainTextHasNoEscapes() throws {
        let text = try written(.text)
        #expect(!text.contains("\u{1B}"))
        #expect(text.hasPrefix("Status report as of 2026-12-06 — 47 recommendations\n"))
        #expect(text.contains("\nOverall\n"))
        #expect(text.contains("\nBy category   "))
        #expect(text.contains("\n  diplomacy                   9  ░░░░░▒▒▒▒▒▒▒▒▒▒▒▓▓▓▓▓███   2  4  2  1  0  0\n"))
        #expect(text.contains("\nStalled or reversed\n"))
        #expect(text.contains("  2025-10-28  annual-leaders-summit  in-progress → stalled\n"))
    }

    @Test func styledTextHasEscapes() throws {
        let text = try written(.text, style: TextStyle(enabled: true))
        #expect(text.contains("\u{1B}"))
        #expect(text.hasPrefix("\u{1B}[1mStatus report as of 2026-12-06\u{1B}[0m — 47 recommendations\n"))
        #expect(text.contains("\u{1B}[32mimplemented\u{1B}[0m"))
    }

    @Test func styleWrapsOnlyWhenEnabled() {
        #expect(TextStyle(enabled: true).status(.reversed, "x") == "\u{1B}[31mx\u{1B}[0m")
        #expect(TextStyle(enabled: true).dim("x") == "\u{1B}[2mx\u{1B}[0m")
        #expect(TextStyle(enabled: false).status(.reversed, "x") == "x")
        #expect(TextStyle(enabled: false).bold("x") == "x")
    }

    @Test func barsAreMeasuredInEighths() {
        #expect(TextStyle.bar(0.5, width: 4) == "██")
        #expect(TextStyle.bar(1, width: 3) == "███")
        #expect(TextStyle.bar(0.3, width: 2) == "▋")
        #expect(TextStyle.bar(0, width: 24) == "")
    }

    // MARK: DisplayText

    @Test func widthOfWideText() {
        #expect(DisplayText.width("abc") == 3)
        #expect(DisplayText.width("日本語") == 6)
        #expect(DisplayText.width("한국") == 4)
        #expect(DisplayText.width("ｆｕｌｌ") == 8)
        #expect(DisplayText.width("a日b") == 4)
    }

    @Test func widthOfCombiningMarksAndEmoji() {
        #expect(DisplayText.width("e\u{301}") == 1)
        #expect(DisplayText.width("Ame\u{301}lie\u{308}") == 6)
        #expect(DisplayText.width("😀") == 2)
        #expect(DisplayText.width("👍🏽") == 2)
        #expect(DisplayText.width("👨‍👩‍👧") == 2)
        #expect(DisplayText.width("\u{263A}") == 1)
        // U+FE0F adds no column, as for wcwidth: the browser draws ☺ in text presentation.
        #expect(DisplayText.width("\u{263A}\u{FE0F}") == 1)
        #expect(DisplayText.width("\u{1F1EB}\u{1F1F7}") == 1)
        #expect(DisplayText.width("a\u{200B}b") == 2)
    }

    @Test func prependedMarksTakeTheWidthOfWhatFollows() {
        // U+0600 and U+06DD join the next character into one grapheme cluster.
        #expect(DisplayText.width("\u{0600}1") == 1)
        #expect(DisplayText.width("\u{06DD}日") == 2)
        #expect(DisplayText.width("\u{0600}") == 0)
        // ncurses would draw the mark and drop what it joins: they are shown escaped.
        #expect(DisplayText.sanitized("\u{0600}1 \u{06DD}日") == "<U+600>1 <U+6DD>日")
        #expect(DisplayText.width(DisplayText.padded("a\u{0600}", to: 4)) == 4)
        #expect(DisplayText.width(DisplayText.padded("\u{FFFD}\u{06DD}", to: 2)) == 2)
    }

    @Test func sanitizedDefusesTerminalControls() {
        #expect(DisplayText.sanitized("a\r\nb\nc\td") == "a b c d")
        #expect(DisplayText.sanitized("REJECTED\rAPPROVED yes\u{08}\u{08}\u{08}no") == "REJECTED^MAPPROVED yes^H^H^Hno")
        #expect(DisplayText.sanitized("\u{1B}[2Jgone") == "^[[2Jgone")
        #expect(DisplayText.sanitized("abc\u{202E}fed") == "abc<U+202E>fed")
        #expect(DisplayText.sanitized("bell\u{07} del\u{7F} c1\u{9B}") == "bell^G del^? c1<U+9B>")
        #expect(DisplayText.sanitized("\u{2066}iso\u{2069}") == "<U+2066>iso<U+2069>")
        #expect(DisplayText.sanitized("한국어 é 😀") == "한국어 é 😀")
    }

    @Test func sanitizedShowsInvisibleCharacters() {
        #expect(DisplayText.sanitized("gso\u{200B}mia\u{200C}\u{200D}\u{2060}\u{FEFF}") == "gso<U+200B>mia<U+200C><U+200D><U+2060><U+FEFF>")
        #expect(DisplayText.sanitized("one\u{2028}two\u{2029}") == "one<U+2028>two<U+2029>")
        #expect(DisplayText.sanitized("\u{200E}\u{200F}\u{061C}\u{85}") == "<U+200E><U+200F><U+61C><U+85>")
        // A joiner between emoji draws one glyph and stays; anywhere else it only hides.
        #expect(DisplayText.sanitized("👩\u{200D}💻 a\u{200D}b 😀\u{200D}1 x\u{200D}\u{301}") == "👩\u{200D}💻 a<U+200D>b 😀<U+200D>1 x<U+200D>\u{301}")
        #expect(DisplayText.sanitized("👨‍👩‍👧 \u{200B}") == "👨‍👩‍👧 <U+200B>")
        // A joiner an escape before it takes out of its emoji sequence is escaped too, so
        // sanitising twice changes nothing (Fuzz/corpus/sanitiser/finding-joiner-after-escape).
        let escapedBefore = DisplayText.sanitized("👧\u{200C}\u{200D}👩")
        #expect(escapedBefore.unicodeScalars.elementsEqual("👧<U+200C><U+200D>👩".unicodeScalars))
        #expect(DisplayText.sanitized(escapedBefore).unicodeScalars.elementsEqual(escapedBefore.unicodeScalars))
    }

    @Test func truncatedRespectsWidths() {
        #expect(DisplayText.truncated("abcdef", to: 6) == "abcdef")
        #expect(DisplayText.truncated("abcdef", to: 4) == "abc…")
        #expect(DisplayText.truncated("日本語テキスト", to: 5) == "日本…")
        #expect(DisplayText.truncated("日本語テキスト", to: 6) == "日本…")
        #expect(DisplayText.width(DisplayText.truncated("日本語テキスト", to: 6)) == 5)
        #expect(DisplayText.truncated("abc", to: 0) == "")
        #expect(DisplayText.truncated("abc", to: 1) == "…")
    }

    @Test func paddedFillsToTheWidth() {
        #expect(DisplayText.padded("ab", to: 5) == "ab   ")
        #expect(DisplayText.padded("日本", to: 5) == "日本 ")
        #expect(DisplayText.padded("日本語テキスト", to: 6) == "日本… ")
        #expect(DisplayText.padded("abcdef", to: 3) == "ab…")
        for text in ["x", "日本語", "e\u{301}e\u{301}", "😀😀😀😀", "long text here"] {
            #expect(DisplayText.width(DisplayText.padded(text, to: 7)) == 7)
        }
    }

    @Test func wrappedBreaksAtSpaces() {
        #expect(DisplayText.wrapped("one two three four", to: 9) == ["one two", "three", "four"])
        #expect(DisplayText.wrapped("abcdefghijkl xy", to: 5) == ["abcde", "fghij", "kl xy"])
        #expect(DisplayText.wrapped("日本語の長い文です", to: 6) == ["日本語", "の長い", "文です"])
        #expect(DisplayText.wrapped("line\nbreak", to: 20) == ["line break"])
        #expect(DisplayText.wrapped("", to: 10) == [])
    }
}
