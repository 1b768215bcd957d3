import Foundation
import PolicyTrackerCore
import Testing

/// Bad `catalog.json` and `changes.jsonl` input is refused with the file, line, column and a
/// message that names the problem.
@Suite struct CatalogFormatErrorTests {
    /// A catalog document whose recommendations start on line 6, one per line, indented by
    /// four spaces (so a column is 4 + the position in the line as written in the test).
    private func catalogText(_ recommendations: [String], schemaVersion: String = "1") -> String {
        """
        {
          "schemaVersion": \(schemaVersion),
          "catalogs": [{"id": "main", "title": "Main"}],
          "sources": [{"id": "src", "title": "Source"}],
          "recommendations": [
        \(recommendations.map { "    " + $0 }.joined(separator: ",\n"))
          ]
        }
        """
    }

    private let goodRecommendation =
        #"{"id": "a", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "actors": ["US"], "source": {"id": "src"}}"#

    private func catalogError(_ text: String) -> TrackerError? {
        thrown { _ = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(text.utf8))) }
    }

    private func catalogError(recommendation: String) -> TrackerError? {
        catalogError(catalogText([recommendation]))
    }

    private func bad(_ line: Int, _ column: Int, _ message: String, path: String = "catalog.json") -> TrackerError {
        .badData(path: path, line: line, column: column, message: message)
    }

    @Test func theGoodFixtureDecodes() throws {
        let document = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(catalogText([goodRecommendation]).utf8)))
        #expect(document.recommendations == [
            Recommendation(id: "a", catalog: "main", title: "A", category: "c", horizon: .ongoing, actors: [.us], source: Citation(source: "src")),
        ])
        #expect(document.catalogs.map(\.id) == ["main"])
    }

    // MARK: catalog.json

    @Test func unknownField() {
        let error = catalogError(recommendation:
            #"{"id": "a", "colour": "red", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "source": {"id": "src"}}"#)
        #expect(error == bad(6, 17, "unknown field \"colour\" in a recommendation (known fields: actors, catalog, category, horizon, id, lastReviewed, links, source, summary, title, watched)"))
        #expect(error?.exitCode == 65)
    }

    @Test func unknownTopLevelField() {
        let error = catalogError("{\"schemaVersion\": 1, \"extra\": []}")
        #expect(error == bad(1, 22, "unknown field \"extra\" in the catalog document (known fields: catalogs, recommendations, schemaVersion, sources)"))
    }

    @Test func wrongType() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": 5, "category": "c", "horizon": "ongoing", "source": {"id": "src"}}"#)
        #expect(error == bad(6, 45, "\"title\" must be a string, found a number"))
    }

    @Test func wrongTypeOfAList() {
        let error = catalogError("{\n  \"schemaVersion\": 1,\n  \"catalogs\": {}\n}")
        #expect(error == bad(3, 15, "\"catalogs\" must be an array, found an object"))
    }

    @Test func wrongTypeOfAQuote() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "source": {"id": "src", "quote": 1}}"#)
        #expect(error == bad(6, 122, "\"quote\" must be a string, found a number"))
    }

    @Test func columnsCountCharactersNotBytes() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": "한국", "category": 7, "horizon": "ongoing", "source": {"id": "src"}}"#)
        #expect(error == bad(6, 63, "\"category\" must be a string, found a number"))
    }

    @Test func missingRequiredField() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": "A", "horizon": "ongoing", "source": {"id": "src"}}"#)
        #expect(error == bad(6, 5, "missing required field \"category\""))
    }

    @Test func missingSchemaVersion() {
        #expect(catalogError("{\"catalogs\": []}") == bad(1, 1, "missing required field \"schemaVersion\""))
    }

    @Test func emptyTitle() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": "  ", "category": "c", "horizon": "ongoing", "source": {"id": "src"}}"#)
        #expect(error == bad(6, 45, "\"title\" must not be empty"))
    }

    @Test func badHorizon() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": "A", "category": "c", "horizon": "soon", "source": {"id": "src"}}"#)
        #expect(error == bad(6, 78, "horizon \"soon\" is not in the vocabulary of catalog \"main\" (horizons: short-term, medium-term, long-term, ongoing)"))
    }

    @Test func badActor() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "actors": ["US", "China"], "source": {"id": "src"}}"#)
        #expect(error == bad(6, 106, "actor \"China\" is not in the vocabulary of catalog \"main\" (actors: US, Japan, ROK)"))
    }

    @Test func actorListedTwice() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "actors": ["ROK", "US", "ROK"], "source": {"id": "src"}}"#)
        #expect(error == bad(6, 113, "actor \"ROK\" is listed twice"))
    }

    /// The error for a recommendation whose `links` member is `links`.
    private func linksError(_ links: String) -> TrackerError? {
        catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "source": {"id": "src"}, "links": \#(links)}"#)
    }

    @Test func badLinkKind() {
        #expect(linksError(#"[{"kind": "follows", "id": "b"}]"#) == bad(6, 133, "invalid \"kind\" \"follows\" (expected one of advances, supersedes)"))
    }

    @Test func linkTargetThatIsNotASlug() {
        #expect(linksError(#"[{"kind": "advances", "id": "B"}]"#) == bad(
            6, 151, "invalid \"id\" \"B\" (expected a lowercase slug of letters, digits and single hyphens, such as 222-dialogue)"))
    }

    @Test func linkListedTwice() {
        #expect(linksError(#"[{"kind": "advances", "id": "b"}, {"id": "b", "kind": "advances"}]"#) == bad(6, 157, "link advances \"b\" is listed twice"))
    }

    @Test func unknownFieldInALink() {
        #expect(linksError(#"[{"kind": "advances", "id": "b", "why": "x"}]"#) == bad(6, 156, "unknown field \"why\" in a link (known fields: id, kind)"))
    }

    @Test func linkWithoutATarget() {
        #expect(linksError(#"[{"kind": "advances"}]"#) == bad(6, 124, "missing required field \"id\""))
    }

    @Test func linksThatAreNotAnArrayOfObjects() {
        #expect(linksError(#""b""#) == bad(6, 123, "\"links\" must be an array, found a string"))
        #expect(linksError(#"["b"]"#) == bad(6, 124, "expected a link as an object, found a string"))
    }

    @Test func emptyOrNullLinksAreNoLinks() throws {
        for links in ["[]", "null"] {
            let text = catalogText([#"{"id": "a", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "source": {"id": "src"}, "links": \#(links)}"#])
            let document = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: Array(text.utf8)))
            #expect(document.recommendations.map(\.links) == [[]])
        }
    }

    @Test func badLastReviewedDate() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "source": {"id": "src"}, "lastReviewed": "2023-02-30"}"#)
        #expect(error == bad(6, 130, "invalid \"lastReviewed\" \"2023-02-30\" (expected YYYY, YYYY-MM or YYYY-MM-DD)"))
    }

    @Test func duplicateRecommendationId() {
        let error = catalogError(catalogText([goodRecommendation, goodRecommendation]))
        #expect(error == bad(7, 5, "duplicate id \"a\""))
    }

    @Test func duplicateCatalogId() {
        let text = "{\"schemaVersion\": 1, \"catalogs\": [{\"id\": \"x\", \"title\": \"X\"},\n{\"id\": \"x\", \"title\": \"Y\"}]}"
        #expect(catalogError(text) == bad(2, 1, "duplicate id \"x\""))
    }

    @Test func recommendationNamingAnUndefinedCatalog() {
        let error = catalogError(recommendation:
            #"{"id": "a", "catalog": "nope", "title": "A", "category": "c", "horizon": "ongoing", "source": {"id": "src"}}"#)
        #expect(error == bad(6, 5, "recommendation \"a\" names catalog \"nope\", which the document does not define (defined: main)"))
    }

    @Test(arguments: ["Bad Id", "UPPER", "trailing-", "-leading", "double--hyphen", "under_score", "", "é"])
    func badSlug(_ id: String) {
        let line = #"{"id": "\#(id)", "catalog": "main", "title": "A", "category": "c", "horizon": "ongoing", "source": {"id": "src"}}"#
        #expect(catalogError(recommendation: line) == bad(
            6, 12, "invalid \"id\" \"\(id)\" (expected a lowercase slug of letters, digits and single hyphens, such as 222-dialogue)"))
    }

    @Test func newerSchemaVersion() {
        let error = catalogError(catalogText([goodRecommendation], schemaVersion: "\(SchemaVersion.current + 1)"))
        #expect(error == bad(2, 20, "schemaVersion 3 is newer than this ptrack understands (2); upgrade ptrack"))
    }

    @Test func schemaVersionBelowOne() {
        let error = catalogError(catalogText([goodRecommendation], schemaVersion: "0"))
        #expect(error == bad(2, 20, "schemaVersion must be 1 or more, found 0"))
    }

    @Test func syntaxErrorIsLocated() {
        #expect(catalogError("{\n  \"schemaVersion\": 1,\n}") == bad(2, 21, "trailing comma before '}'"))
    }

    // MARK: changes.jsonl, line by line

    private let goodChange =
        #"{"changeId":"c1","happened":"2024","id":"a","kind":"status","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"status":"implemented"}"#

    private func decodeLog(_ text: String) throws(TrackerError) -> ChangeLogFormat.Decoded {
        try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: Array(text.utf8)))
    }

    /// The error for a log whose second line is `line` (the first is a good change).
    private func secondLineError(_ line: String) -> TrackerError? {
        thrown { _ = try decodeLog(goodChange + "\n" + line + "\n") }
    }

    private func logError(_ column: Int, _ message: String) -> TrackerError {
        .badData(path: "changes.jsonl", line: 2, column: column, message: message)
    }

    @Test func theGoodChangeDecodes() throws {
        let decoded = try decodeLog(goodChange + "\n")
        #expect(decoded.changes == [Fixture.change("c1", "a", .status(.implemented), happened: "2024")])
    }

    @Test func unknownStatus() {
        let line = #"{"changeId":"c1","happened":"2024","id":"a","kind":"status","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"status":"done"}"#
        #expect(secondLineError(line) == logError(
            122, "invalid \"status\" \"done\" (expected one of not-started, in-progress, partial, implemented, stalled, reversed)"))
    }

    @Test func statusChangeCarryingWatched() {
        let line = #"{"changeId":"c1","happened":"2024","id":"a","kind":"status","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"status":"implemented","watched":true}"#
        #expect(secondLineError(line) == logError(136, "field \"watched\" does not belong to a \"status\" change"))
    }

    @Test func unknownChangeField() {
        let line = #"{"changeId":"c1","colour":"red","happened":"2024","id":"a","kind":"status","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"status":"implemented"}"#
        #expect(secondLineError(line) == logError(
            18, "unknown field \"colour\" in a change (known fields: author, catalog, changeId, fields, follows, happened, id, kind, list, note, previous, quote, recommendation, recorded, replaces, reverts, schemaVersion, sequence, source, status, term, watched)"))
    }

    @Test func sequenceMustBeAWholeNumberFromOne() {
        let zero = #"{"changeId":"c1","happened":"2024","id":"a","kind":"status","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"sequence":0,"status":"implemented"}"#
        #expect(secondLineError(zero) == logError(124, "\"sequence\" must be 1 or more, found 0"))
        let onWatch = #"{"changeId":"c1","happened":"2024","id":"a","kind":"watch","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"sequence":2,"watched":true}"#
        #expect(secondLineError(onWatch) != nil)
    }

    @Test func unknownKind() {
        let line = #"{"changeId":"c1","happened":"2024","id":"a","kind":"delete","recorded":"2024-01-01T00:00:00Z","schemaVersion":1}"#
        #expect(secondLineError(line) == logError(52, "invalid \"kind\" \"delete\" (expected one of add, edit, revert, review, status, vocabulary, watch)"))
    }

    @Test func badHappenedDate() {
        let line = #"{"changeId":"c1","happened":"2024-13","id":"a","kind":"status","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"status":"implemented"}"#
        #expect(secondLineError(line) == logError(29, "invalid \"happened\" \"2024-13\" (expected YYYY, YYYY-MM or YYYY-MM-DD)"))
    }

    @Test func badRecordedTimestamp() {
        let line = #"{"changeId":"c1","happened":"2024","id":"a","kind":"status","recorded":"2024-01-01","schemaVersion":1,"status":"implemented"}"#
        #expect(secondLineError(line) == logError(72, "invalid \"recorded\" \"2024-01-01\" (expected YYYY-MM-DDTHH:MM:SSZ)"))
    }

    @Test func changeWithNewerSchemaVersion() {
        let line = #"{"changeId":"c1","happened":"2024","id":"a","kind":"status","recorded":"2024-01-01T00:00:00Z","schemaVersion":3,"status":"implemented"}"#
        #expect(secondLineError(line) == logError(111, "schemaVersion 3 is newer than this ptrack understands (2); upgrade ptrack"))
    }

    @Test func changeIdWithASpace() {
        let line = #"{"changeId":"c 1","happened":"2024","id":"a","kind":"status","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"status":"implemented"}"#
        #expect(secondLineError(line) == logError(13, "invalid \"changeId\" \"c 1\" (expected text without spaces)"))
    }

    @Test func watchedThatIsNotABoolean() {
        let line = #"{"changeId":"c1","happened":"2024","id":"a","kind":"watch","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"watched":"yes"}"#
        #expect(secondLineError(line) == logError(122, "\"watched\" must be true or false, found a string"))
    }

    @Test func editSettingALinkTwice() {
        let line = #"{"changeId":"c1","fields":{"links":[{"id":"b","kind":"supersedes"},{"id":"b","kind":"supersedes"}]},"happened":"2024","id":"a","kind":"edit","previous":{"links":[]},"recorded":"2024-01-01T00:00:00Z","schemaVersion":1}"#
        #expect(secondLineError(line) == logError(68, "link supersedes \"b\" is listed twice"))
    }

    @Test func lineThatIsNotAnObject() {
        #expect(secondLineError("[1]") == logError(1, "expected a change as an object, found an array"))
    }

    // MARK: changes.jsonl, as a whole

    @Test func tornUnterminatedLastLineIsIgnored() throws {
        let torn = #"{"changeId":"c2","happ"#
        let decoded = try decodeLog(goodChange + "\n" + torn)
        #expect(decoded.changes.map(\.changeId) == ["c1"])
        #expect(decoded.tornTailBytes == torn.utf8.count)
        #expect(decoded.completeBytes == goodChange.utf8.count + 1)
        #expect(decoded.lineCount == 1)
    }

    @Test func unterminatedButCompleteLastLineIsRead() throws {
        let second = goodChange.replacingOccurrences(of: "\"c1\"", with: "\"c2\"")
        let decoded = try decodeLog(goodChange + "\n" + second)
        #expect(decoded.changes.map(\.changeId) == ["c1", "c2"])
        #expect(decoded.tornTailBytes == 0)
        #expect(decoded.completeBytes == goodChange.utf8.count + 1 + second.utf8.count)
        #expect(decoded.lineCount == 2)
    }

    @Test func badCompleteLineInTheMiddleIsAnError() {
        let third = goodChange.replacingOccurrences(of: "\"c1\"", with: "\"c3\"")
        let error = thrown { _ = try decodeLog(goodChange + "\n{\"a\" 1}\n" + third + "\n") }
        #expect(error == logError(6, "expected ':' after the member name, found '1'"))
    }

    @Test func badTerminatedLastLineIsAnErrorNotATornTail() {
        let error = thrown { _ = try decodeLog(goodChange + "\n{\"changeId\":\n") }
        #expect(error == logError(13, "expected a JSON value, found the end of the input"))
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let second = goodChange.replacingOccurrences(of: "\"c1\"", with: "\"c2\"")
        let text = "\n  \t\n" + goodChange + "\n\r\n\n" + second + "\n"
        let decoded = try decodeLog(text)
        #expect(decoded.changes.map(\.changeId) == ["c1", "c2"])
        #expect(decoded.lineCount == 6)
        #expect(decoded.completeBytes == text.utf8.count)
        let error = thrown { _ = try decodeLog("\n\n" + "[1]\n") }
        #expect(error == .badData(path: "changes.jsonl", line: 3, column: 1, message: "expected a change as an object, found an array"))
    }

    @Test func tailOfALogIsNumberedFromItsFirstLine() {
        let error = thrown {
            _ = try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: Array("\n[1]\n".utf8), firstLine: 41))
        }
        #expect(error == .badData(path: "changes.jsonl", line: 42, column: 1, message: "expected a change as an object, found an array"))
    }

    // MARK: Replay refuses inconsistent logs

    private func replayError(_ changes: [Change]) -> TrackerError? {
        thrown { _ = try Fixture.state(ids: ["a", "b"], changes: changes) }
    }

    @Test func duplicateChangeId() {
        let changes = [
            Fixture.change("c1", "a", .status(.inProgress)), Fixture.change("c2", "b", .review),
            Fixture.change("c1", "b", .status(.implemented)),
        ]
        #expect(replayError(changes) == .badData(path: "log", line: 3, column: nil, message: "duplicate changeId \"c1\""))
    }

    @Test func changeAboutAnUnknownRecommendation() {
        let changes = [Fixture.change("c1", "a", .review), Fixture.change("c2", "zzz", .status(.stalled))]
        #expect(replayError(changes) == .badData(
            path: "log", line: 2, column: nil, message: "names recommendation \"zzz\", which the catalog does not have"))
    }

    @Test func revertOfAnUnknownChange() {
        let changes = [Fixture.change("c1", "a", .review), Fixture.change("c2", "a", .revert(changeId: "c9"))]
        #expect(replayError(changes) == .badData(path: "log", line: 2, column: nil, message: "reverts \"c9\", which no earlier line records"))
    }

    @Test func revertOfALaterChange() {
        let changes = [Fixture.change("c1", "a", .revert(changeId: "c2")), Fixture.change("c2", "a", .review)]
        #expect(replayError(changes) == .badData(path: "log", line: 1, column: nil, message: "reverts \"c2\", which no earlier line records"))
    }

    @Test func additionOfAnExistingRecommendation() {
        let changes = [Fixture.change("c1", "a", .add(Fixture.recommendation("a")))]
        #expect(replayError(changes) == .badData(path: "log", line: 1, column: nil, message: "adds \"a\", which already exists"))
    }

    @Test func additionToAnUnknownCatalog() {
        let changes = [Fixture.change("c1", "new", .add(Fixture.recommendation("new", catalog: "nope")))]
        #expect(replayError(changes) == .badData(
            path: "log", line: 1, column: nil, message: "adds \"new\" to unknown catalog \"nope\""))
    }

    @Test func additionWhoseIdDiffersFromTheChangesId() {
        let changes = [Fixture.change("c1", "other", .add(Fixture.recommendation("new")))]
        #expect(replayError(changes) == .badData(
            path: "log", line: 1, column: nil, message: "adds \"new\" but names \"other\" as its id"))
    }

    @Test func revertNamingAnotherRecommendation() {
        let changes = [Fixture.change("c1", "a", .review), Fixture.change("c2", "b", .revert(changeId: "c1"))]
        #expect(replayError(changes) == .badData(
            path: "log", line: 2, column: nil, message: "reverts a change about \"a\" but names \"b\""))
    }

    @Test func revertOfItself() {
        let changes = [Fixture.change("c1", "a", .revert(changeId: "c1"))]
        #expect(replayError(changes) == .badData(path: "log", line: 1, column: nil, message: "reverts \"c1\", which no earlier line records"))
    }

    @Test func fullReplayLocatesErrorsOnTheirFileLine() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            try FileManager.default.removeItem(atPath: store.snapshotPath)
            let duplicate = try #require(Bundled.changesText.split(separator: "\n").first)
            try appendToFile(store.changesPath, "\n" + duplicate + "\n")
            let expected = TrackerError.badData(
                path: store.changesPath, line: Bundled.lineCount + 2, column: 13, message: "duplicate changeId \"agenda-multilevel-engagement-1\"")
            #expect(thrown { _ = try store.load() } == expected)
            #expect(thrown { _ = try store.state(asOf: day("2024")) } == expected)
            #expect(thrown { _ = try store.history() } == nil)
        }
    }

    @Test func duplicateChangeIdIsRefusedPastASnapshotToo() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            #expect(FileManager.default.fileExists(atPath: store.snapshotPath))
            let duplicate = try #require(Bundled.changesText.split(separator: "\n").first)
            try appendToFile(store.changesPath, duplicate + "\n")
            let expected = TrackerError.badData(
                path: store.changesPath, line: Bundled.lineCount + 1, column: 13, message: "duplicate changeId \"agenda-multilevel-engagement-1\"")
            #expect(thrown { _ = try store.load() } == expected)
            #expect(thrown { try store.record { context throws(TrackerError) in _ = try context.item("dtt"); return [] } } == expected)
        }
    }
}
