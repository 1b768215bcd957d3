import PolicyTrackerCore
import Testing

/// `ptrack check`'s rules: for each, a made-up tracker that breaks it and one that keeps it.
@Suite struct CheckTests {
    private typealias C = Fixture

    /// The sources of the made-up trackers: the recommending text (2021), a dated web page,
    /// an undated one, and a text whose words are at hand.
    private static let sources = [
        Source(id: "src", title: "A Source", author: "Author", publisher: "", date: day("2021"), location: ""),
        Source(id: "dated-page", title: "Page", author: "", publisher: "P", date: day("2024-05-10"), location: "https://example.org/dated"),
        Source(id: "undated-page", title: "Page", author: "", publisher: "P", date: nil, location: "https://example.org/undated"),
        Source(id: "held-text", title: "Text", author: "", publisher: "P", date: day("2024-06"), location: "https://example.org/held"),
    ]
    private static let heldText = "The Ministry of Made-Up Affairs said on Tuesday that the \u{201C}imaginary talks\u{201D} had resumed\n  in full after two years."

    /// The rules broken by `changes` over items a, b and c (a's recommendation as given).
    private func broken(
        _ changes: [Change], a: Recommendation = C.recommendation("a"), b: Recommendation = C.recommendation("b"),
        only rule: CheckRule? = nil, today: String = "2026-12-06"
    ) throws -> [CheckRule] {
        var catalog = C.catalog([a, b, C.recommendation("c")])
        catalog.sources = Self.sources
        let state = try Replay.state(catalog: catalog, changes: changes, locate: C.locate, locateLink: C.locateLink)
        let settings = Checker.Settings(
            rules: rule.map { [$0] } ?? Set(CheckRule.allCases), staleDays: 180, today: day(today),
            sourceText: { $0 == "held-text" ? QuoteMatch.Text(Self.heldText) : nil })
        return Checker.run(state: state, history: changes, settings: settings).findings.map(\.rule)
    }

    private func mark(
        _ id: String, _ status: Status, _ happened: String, source: String? = "dated-page", quote: String? = nil,
        changeId: String? = nil
    ) -> Change {
        Change(
            changeId: changeId ?? "\(id)-\(status.rawValue)-\(happened)", recommendationId: id, kind: .status(status),
            happened: day(happened), recorded: time("2026-12-01T00:00:00Z"), note: "A made-up event.", source: source, quote: quote)
    }

    @Test func statusWithoutSource() throws {
        #expect(try broken([mark("a", .inProgress, "2024-06", source: nil)], only: .statusWithoutSource) == [.statusWithoutSource])
        #expect(try broken([mark("a", .inProgress, "2024-05-10")], only: .statusWithoutSource).isEmpty)
        // Finding nothing needs no source.
        #expect(try broken([mark("a", .notStarted, "2024-06", source: nil)], only: .statusWithoutSource).isEmpty)
    }

    @Test func aRevertedChangeMakesNoClaim() throws {
        let weak = mark("a", .implemented, "2024-06", source: nil)
        let revert = Change(
            changeId: "undo", recommendationId: "a", kind: .revert(changeId: weak.changeId), happened: day("2026-12-06"),
            recorded: time("2026-12-06T00:00:00Z"), note: "No source shows it.")
        #expect(try broken([weak], only: .statusWithoutSource) == [.statusWithoutSource])
        #expect(try broken([weak, revert], only: .statusWithoutSource).isEmpty)
    }

    @Test func quoteWithoutSource() throws {
        #expect(try broken([mark("a", .notStarted, "2024-06", source: nil, quote: "words")], only: .quoteWithoutSource) == [.quoteWithoutSource])
        #expect(try broken([mark("a", .notStarted, "2024-06", quote: "words")], only: .quoteWithoutSource).isEmpty)
    }

    @Test func beforeRecommendation() throws {
        // The recommendation's source is dated 2021: 2019 is before it, 2021-03 and "2021" are not.
        #expect(try broken([mark("a", .reversed, "2019", source: "src")], only: .beforeRecommendation) == [.beforeRecommendation])
        #expect(try broken([mark("a", .inProgress, "2021-03", source: "src")], only: .beforeRecommendation).isEmpty)
        #expect(try broken([mark("a", .inProgress, "2021", source: "src")], only: .beforeRecommendation).isEmpty)
    }

    @Test func aRecommendationWithNoDatedSourceSkipsTheDateRule() throws {
        let undated = Recommendation(
            id: "a", catalog: "main", title: "T", category: "x", horizon: .ongoing, actors: [.us], source: Citation(source: "free text"))
        #expect(try broken([mark("a", .reversed, "1990", source: "src")], a: undated, only: .beforeRecommendation).isEmpty)
    }

    @Test func sourceBeforeEvent() throws {
        // dated-page was published 2024-05-10: it cannot attest an event of 2024-06.
        #expect(try broken([mark("a", .implemented, "2024-06")], only: .sourceBeforeEvent) == [.sourceBeforeEvent])
        #expect(try broken([mark("a", .implemented, "2024-05")], only: .sourceBeforeEvent).isEmpty)
        #expect(try broken([mark("a", .implemented, "2024-05-10")], only: .sourceBeforeEvent).isEmpty)
    }

    @Test func futureDate() throws {
        #expect(try broken([mark("a", .notStarted, "2027-01", source: nil)], only: .futureDate) == [.futureDate])
        #expect(try broken([mark("a", .notStarted, "2026-12", source: nil)], only: .futureDate).isEmpty)
    }

    @Test func quoteNotFound() throws {
        let found = mark("a", .inProgress, "2024-06", source: "held-text", quote: "\"imaginary talks\" had resumed in full")
        let elided = mark("a", .inProgress, "2024-06", source: "held-text", quote: "the ministry … said on tuesday that … resumed in full")
        let bracketed = mark("a", .inProgress, "2024-06", source: "held-text", quote: "[the ministry] said on Tuesday")
        let invented = mark("a", .inProgress, "2024-06", source: "held-text", quote: "the talks were cancelled")
        #expect(try broken([found], only: .quoteNotFound).isEmpty)
        #expect(try broken([elided], only: .quoteNotFound).isEmpty)
        #expect(try broken([bracketed], only: .quoteNotFound).isEmpty)
        #expect(try broken([invented], only: .quoteNotFound) == [.quoteNotFound])
        // Where the text is not at hand, nothing can be said.
        #expect(try broken([mark("a", .inProgress, "2024-05", quote: "the talks were cancelled")], only: .quoteNotFound).isEmpty)
        // The recommendation's own quote is held to it too.
        let quoting = Recommendation(
            id: "a", catalog: "main", title: "T", category: "x", horizon: .ongoing, actors: [.us],
            source: Citation(source: "held-text", quote: "talks had collapsed"))
        #expect(try broken([], a: quoting, only: .quoteNotFound) == [.quoteNotFound])
    }

    @Test func quoteTooLong() throws {
        let words = (1...26).map { "word\($0)" }
        #expect(try broken([mark("a", .inProgress, "2024-05", quote: words.joined(separator: " "))], only: .quoteTooLong) == [.quoteTooLong])
        #expect(try broken([mark("a", .inProgress, "2024-05", quote: words.dropLast().joined(separator: " ") + " —")], only: .quoteTooLong).isEmpty)
    }

    @Test func linkConflictDoneBeforeWhatAdvancesIt() throws {
        let advancer = C.recommendation("b", links: [Link(.advances, "a")])
        let implemented = mark("a", .implemented, "2024-05")
        #expect(try broken([implemented, mark("b", .inProgress, "2024-05")], b: advancer, only: .linkConflict) == [.linkConflict])
        #expect(try broken([implemented, mark("b", .implemented, "2024-05")], b: advancer, only: .linkConflict).isEmpty)
    }

    @Test func linkConflictAheadOfEverythingThatAdvancesIt() throws {
        let advancer = C.recommendation("b", links: [Link(.advances, "a")])
        #expect(try broken([mark("a", .inProgress, "2024-05")], b: advancer, only: .linkConflict) == [.linkConflict])
        #expect(try broken([mark("a", .inProgress, "2024-05"), mark("b", .inProgress, "2024-05")], b: advancer, only: .linkConflict).isEmpty)
        // Without links, nothing contradicts.
        #expect(try broken([mark("a", .inProgress, "2024-05")], only: .linkConflict).isEmpty)
    }

    @Test func undatedURL() throws {
        #expect(try broken([mark("a", .inProgress, "2024-05", source: "https://example.org/x")], only: .undatedURL) == [.undatedURL])
        #expect(try broken([mark("a", .inProgress, "2024-05", source: "undated-page")], only: .undatedURL) == [.undatedURL])
        #expect(try broken([mark("a", .inProgress, "2024-05")], only: .undatedURL).isEmpty)
    }

    @Test func unlistedSource() throws {
        #expect(try broken([mark("a", .inProgress, "2024-05", source: "a note in my diary")], only: .unlistedSource) == [.unlistedSource])
        #expect(try broken([mark("a", .inProgress, "2024-05", source: "src")], only: .unlistedSource).isEmpty)
    }

    @Test func reviews() throws {
        // Items never changed were never reviewed; one changed long ago is stale; one changed lately is neither.
        let lately = Change(
            changeId: "r", recommendationId: "a", kind: .review, happened: day("2026-11"), recorded: time("2026-11-30T00:00:00Z"))
        let long = Change(
            changeId: "s", recommendationId: "b", kind: .review, happened: day("2025"), recorded: time("2025-01-30T00:00:00Z"))
        let rules = try broken([lately, long])
        #expect(rules.filter { $0 == .neverReviewed }.count == 1)
        #expect(rules.filter { $0 == .staleReview }.count == 1)
        #expect(try broken([lately, long], only: .staleReview, today: "2025-02-01").isEmpty)
    }

    @Test func silencesSetAFindingAside() throws {
        var catalog = C.catalog([C.recommendation("a")])
        catalog.sources = Self.sources
        let changes = [mark("a", .inProgress, "2024-06", source: nil)]
        let state = try Replay.state(catalog: catalog, changes: changes, locate: C.locate, locateLink: C.locateLink)
        let silence = CheckSilence(rule: .statusWithoutSource, item: "a", reason: "Made-up reason.", recorded: time("2026-12-06T00:00:00Z"))
        let result = Checker.run(
            state: state, history: changes, settings: Checker.Settings(rules: [.statusWithoutSource], silences: [silence], today: day("2026-12-06")))
        #expect(result.findings.isEmpty && result.silenced.map(\.rule) == [.statusWithoutSource] && !result.hasErrors)
    }

    @Test func everyRuleHasAnIdSeverityAndExplanation() {
        #expect(Set(CheckRule.ids).count == CheckRule.allCases.count)
        #expect(CheckRule.allCases.allSatisfy { !$0.explanation.isEmpty && CheckRule(id: $0.id.uppercased()) == $0 })
        #expect(CheckRule.statusWithoutSource.severity == .error && CheckRule.sourceBeforeEvent.severity == .error)
        #expect(CheckRule.staleReview.severity == .warning)
    }

    @Test func silenceFileRoundTrips() throws {
        let silences = [
            CheckSilence(rule: .linkConflict, item: "b", reason: "Made-up reason \u{201C}quoted\u{201D}.", recorded: time("2026-12-06T00:00:00Z")),
            CheckSilence(rule: .staleReview, item: "a", reason: "Another.", recorded: time("2026-12-05T00:00:00Z")),
        ]
        let text = SilenceFile.encode(silences)
        let decoded = try SilenceFile.decode(SourceText(path: "check.json", bytes: Array(text.utf8)))
        #expect(decoded == silences.reversed())
        let bad = #"{"schemaVersion": 1, "silences": [{"rule": "no-such-rule", "item": "a", "reason": "r", "recorded": "2026-12-06T00:00:00Z"}]}"#
        let error = thrown { _ = try SilenceFile.decode(SourceText(path: "check.json", bytes: Array(bad.utf8))) }
        #expect(error?.description.hasPrefix("check.json:1:") == true)
    }
}
