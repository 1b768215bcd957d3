import Foundation
import PolicyTrackerCore
import Testing

/// What is new since the last look: a set difference over change ids, and the file that
/// keeps them.
@Suite struct SeenChangesTests {
    private let history = ["c1", "c2", "c3", "c4"].map { Fixture.change($0, "a", .review) }

    private func text(_ body: String) -> SourceText {
        SourceText(path: "seen", bytes: Array(body.utf8))
    }

    // MARK: The set difference

    @Test func newChangesAreThoseNotSeenInTheLogsOrder() {
        let seen = SeenChanges(dataDirectory: "/made/up", ids: ["c1", "c3"])
        #expect(SeenChanges.new(in: history, seen: seen, reader: nil).map(\.changeId) == ["c2", "c4"])
    }

    @Test func beforeTheFirstLookNothingIsNew() {
        #expect(SeenChanges.new(in: history, seen: nil, reader: "Made-Up Reader").isEmpty)
    }

    @Test func orderOfArrivalDoesNotMatter() {
        // A merge or a rebase puts pulled lines anywhere in the log: only the ids count.
        let seen = SeenChanges(dataDirectory: "/made/up", ids: ["c1", "c2"])
        #expect(SeenChanges.new(in: history.reversed(), seen: seen, reader: nil).map(\.changeId) == ["c4", "c3"])
        #expect(SeenChanges.new(in: [history[0]], seen: SeenChanges(dataDirectory: "/made/up", ids: ["c1", "gone"]), reader: nil).isEmpty)
    }

    @Test func whatTheReaderRecordedIsNotNewToThem() {
        var authored = history
        authored[1].author = "Made-Up Reader"
        authored[3].author = "Made-Up Colleague"
        let seen = SeenChanges(dataDirectory: "/made/up", ids: ["c1"])
        #expect(SeenChanges.new(in: authored, seen: seen, reader: "Made-Up Reader").map(\.changeId) == ["c3", "c4"],
                "c3 has no author: another's")
        #expect(SeenChanges.new(in: authored, seen: seen, reader: nil).map(\.changeId) == ["c2", "c3", "c4"])
    }

    @Test func summarySaysHowMany() {
        #expect(SeenChanges.summary(count: 3) == "3 new since you last looked")
        #expect(SeenChanges.summary(count: 0) == "Nothing new since you last looked")
    }

    // MARK: The file

    @Test func fileRoundTripsAndSortsItsIds() throws {
        let seen = SeenChanges(dataDirectory: "/made/up/tracker \"quoted\"", ids: ["c2", "c1"])
        let bytes = seen.encoded()
        #expect(String(decoding: bytes, as: UTF8.self)
            == "{\"dataDirectory\":\"/made/up/tracker \\\"quoted\\\"\",\"schemaVersion\":2}\nc1\nc2\n")
        #expect(try SeenChanges.decode(SourceText(path: "seen", bytes: bytes)) == seen)
    }

    @Test func anEmptySetIsTheHeaderAlone() throws {
        let seen = SeenChanges(dataDirectory: "/made/up", ids: [])
        #expect(try SeenChanges.decode(SourceText(path: "seen", bytes: seen.encoded())) == seen)
    }

    @Test func aLineThatIsNotAChangeIdIsLocated() {
        #expect(throws: TrackerError.badData(path: "seen", line: 3, column: 1, message: "expected a change id, found \"not an id\"")) {
            try SeenChanges.decode(text("{\"dataDirectory\":\"/made/up\",\"schemaVersion\":1}\nc1\nnot an id\n"))
        }
    }

    @Test func aBadHeaderIsLocated() {
        #expect(throws: TrackerError.badData(path: "seen", line: 1, column: 1, message: "missing required field \"dataDirectory\"")) {
            try SeenChanges.decode(text("{\"schemaVersion\":1}\nc1\n"))
        }
        #expect(throws: TrackerError.self) { try SeenChanges.decode(text("c1\nc2\n")) }
        #expect(throws: TrackerError.self) { try SeenChanges.decode(text("{\"dataDirectory\":\"/x\",\"schemaVersion\":9}\n")) }
    }

    @Test func fileIsKeyedByTheRealPathUnderTheStateDirectory() throws {
        let root = FileManager.default.temporaryDirectory.path + "/ptrack-seen-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root + "/tracker", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/tracker")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = ["XDG_STATE_HOME": root + "/state", "HOME": root]
        let file = SeenFile(dataDirectory: root + "/link", environment: environment)
        let real = try #require(realpath(root + "/tracker", nil))
        defer { free(real) }
        #expect(file.dataDirectory == String(cString: real))
        #expect(file.path.hasPrefix(root + "/state/ptrack/seen/"))
        #expect(file.path == SeenFile(dataDirectory: root + "/tracker", environment: environment).path)
        #expect(try file.read() == nil)
        try file.write(["c1"])
        #expect(try file.read()?.ids == ["c1"])
        let home = SeenFile(dataDirectory: root + "/tracker", environment: ["HOME": root])
        #expect(home.path.hasPrefix(root + "/.local/state/ptrack/seen/"))
    }
}
