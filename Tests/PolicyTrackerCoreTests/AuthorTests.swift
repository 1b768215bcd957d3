import PolicyTrackerCore
import Testing

/// Who recorded a change: how the name is found, and how it is written and read back.
@Suite struct AuthorTests {
    /// Lookups that answer with fixed names and count how often git is asked.
    private final class System {
        var git: String?
        var login: String?
        var gitAsked: [String] = []

        init(git: String? = nil, login: String? = nil) {
            self.git = git
            self.login = login
        }

        var lookups: AuthorName.Lookups {
            AuthorName.Lookups(gitUserName: { self.gitAsked.append($0); return self.git }, loginName: { self.login })
        }
    }

    private func resolve(_ system: System, explicit: String? = nil, configured: String? = nil) -> String? {
        AuthorName.resolve(
            explicit: explicit, configuration: Configuration(author: configured), dataDirectory: "/made/up/tracker",
            lookups: system.lookups)
    }

    // MARK: Resolution

    @Test func explicitNameWinsOverEverything() {
        let system = System(git: "Git Name\n", login: "login")
        #expect(resolve(system, explicit: "Given", configured: "Configured") == "Given")
        #expect(system.gitAsked.isEmpty)
    }

    @Test func configurationComesBeforeGit() {
        let system = System(git: "Git Name\n", login: "login")
        #expect(resolve(system, configured: "Configured") == "Configured")
        #expect(system.gitAsked.isEmpty)
    }

    @Test func gitIsAskedForTheDataDirectoryAndItsLineBreakTrimmed() {
        let system = System(git: "Git Name\n", login: "login")
        #expect(resolve(system) == "Git Name")
        #expect(system.gitAsked == ["/made/up/tracker"])
    }

    @Test func loginNameWhenGitHasNone() {
        #expect(resolve(System(git: nil, login: "login")) == "login")
        #expect(resolve(System(git: "  \n", login: "login")) == "login")
    }

    @Test func blankNamesAreSkippedAndNoneLeavesNil() {
        #expect(resolve(System(git: nil, login: "login"), explicit: " ", configured: "\t") == "login")
        #expect(resolve(System()) == nil)
    }

    @Test func anAuthorIsOneLine() {
        #expect(resolve(System(), explicit: "A.\nMade-Up\tAnalyst ") == "A. Made-Up Analyst")
    }

    @Test func configurationReadsTheAuthorKey() throws {
        let text = SourceText(path: "config.json", bytes: Array(#"{"author": "A. Made-Up Analyst"}"#.utf8))
        #expect(try Configuration.decode(text).author == "A. Made-Up Analyst")
    }

    // MARK: The change log

    @Test func factoryGivesEveryChangeItsAuthor() throws {
        let factory = ChangeFactory(now: Fixture.now, ids: Fixture.countingIds(), author: "A. Made-Up Analyst")
        let item = try Fixture.state(ids: ["a"], changes: []).items["a"]!
        let changes = [
            try factory.mark(item, .partial, happened: nil, note: nil, source: nil),
            try factory.review(item, note: nil),
            factory.watch(item, true)!,
            try factory.undo(nil, history: [try factory.review(item, note: nil)]).revert,
        ]
        #expect(changes.allSatisfy { $0.author == "A. Made-Up Analyst" })
        #expect(try ChangeFactory(now: Fixture.now).review(item, note: nil).author == nil)
    }

    @Test func authorRoundTripsThroughALine() throws {
        var change = Fixture.change("c1", "a", .status(.partial), note: "A made-up test event")
        change.author = "Analyst 한국"
        let line = ChangeLogFormat.encodeLine(change)
        #expect(line.contains(#""author":"Analyst 한국""#))
        let text = SourceText(path: "changes.jsonl", bytes: Array((line + "\n").utf8))
        #expect(try ChangeLogFormat.decode(text).changes == [change])
        #expect(try ChangeLogFormat.decodeChange(text.parseDocument(), text) == change)
    }

    @Test func linesWithoutAnAuthorReadAsUnknown() throws {
        let line = #"{"changeId":"c2","happened":"2023","id":"a","kind":"watch","recorded":"2024-01-01T00:00:00Z","schemaVersion":2,"watched":true}"#
        let text = SourceText(path: "changes.jsonl", bytes: Array((line + "\n").utf8))
        let change = try #require(try ChangeLogFormat.decode(text).changes.first)
        #expect(change.author == nil)
        #expect(change.byline == "")
        #expect(ChangeLogFormat.encodeLine(change) == line)
    }

    @Test func anAuthorThatIsNotTextIsLocated() throws {
        let line = #"{"author":7,"changeId":"c2","happened":"2023","id":"a","kind":"review","recorded":"2024-01-01T00:00:00Z","schemaVersion":1}"#
        let text = SourceText(path: "changes.jsonl", bytes: Array((line + "\n").utf8))
        #expect(throws: TrackerError.badData(path: "changes.jsonl", line: 1, column: 11, message: "\"author\" must be a string, found a number")) {
            try ChangeLogFormat.decode(text)
        }
    }
}
