import Foundation

/// The changes a user has been shown of one tracker: the ids of its log's changes the
/// browser showed them (or `ptrack news --mark-seen` marked). Kept per user, outside the
/// shared data, so what is new is a set difference — the log's changes whose ids it does not
/// hold — which stays right whatever order `git pull` (a fast-forward, a union merge, a
/// rebase) brings the lines in.
///
/// The file: a JSON header line, `{"dataDirectory":"/its/real/path","schemaVersion":1}`,
/// then one change id a line.
public struct SeenChanges: Equatable, Sendable {
    /// The real path of the data directory the ids belong to.
    public var dataDirectory: String
    /// The ids of the changes shown.
    public var ids: Set<String>

    public init(dataDirectory: String, ids: Set<String>) {
        self.dataDirectory = dataDirectory
        self.ids = ids
    }

    /// The changes of `history` not among ``ids``, in the log's order.
    public func unseen(in history: [Change]) -> [Change] {
        history.filter { !ids.contains($0.changeId) }
    }

    /// The changes of `history` new to `reader`, who saw `seen`: those they have not seen
    /// and did not record themselves (what others changed; a change without an author counts
    /// as another's). None when nothing was seen yet: a first look finds nothing new.
    public static func new(in history: [Change], seen: SeenChanges?, reader: String?) -> [Change] {
        guard let seen else { return [] }
        return seen.unseen(in: history).filter { reader == nil || $0.author != reader }
    }

    /// How many changes are new, in words: `3 new since you last looked`.
    public static func summary(count: Int) -> String {
        count == 0 ? "Nothing new since you last looked" : "\(count) new since you last looked"
    }

    // MARK: The file's text

    /// The file's bytes, the ids sorted so the same set always gives the same bytes.
    public func encoded() -> [UInt8] {
        let header = JSONWriter.compact(.object(["dataDirectory": .string(dataDirectory), "schemaVersion": .int(SchemaVersion.current)]))
        return Array((([header] + ids.sorted()).joined(separator: "\n") + "\n").utf8)
    }

    /// The ids `text` holds; a bad header or a line that is not a change id is an error
    /// located at its line and column.
    public static func decode(_ text: SourceText) throws(TrackerError) -> SeenChanges {
        let bytes = text.bytes
        let headerEnd = text.firstNewline(in: 0..<bytes.count) ?? bytes.count
        let header = SourceText(path: text.path, bytes: Array(bytes[..<headerEnd]))
        let reader = try FieldReader(try header.parseDocument(), in: header, what: "a seen file", fields: ["dataDirectory", "schemaVersion"])
        try reader.checkSchemaVersion()
        let directory = try reader.nonEmptyString("dataDirectory")
        var ids = Set<String>()
        var start = headerEnd + 1
        while start < bytes.count {
            let end = text.firstNewline(in: start..<bytes.count) ?? bytes.count
            let id = String(decoding: bytes[start..<end], as: UTF8.self)
            guard ChangeLogFormat.isValidChangeId(id) else {
                throw text.problem(at: start, "expected a change id, found \(DisplayText.quoted(id))")
            }
            ids.insert(id)
            start = end + 1
        }
        return SeenChanges(dataDirectory: directory, ids: ids)
    }
}

/// Where a user's ``SeenChanges`` of one tracker are kept: `$XDG_STATE_HOME/ptrack/seen/`
/// (when an absolute path), else `~/.local/state/ptrack/seen/`, in a file named by the
/// SHA-256 of the data directory's real path, which the file also holds.
public struct SeenFile: Sendable {
    /// The file's path.
    public let path: String
    /// The data directory's real path (symbolic links resolved).
    public let dataDirectory: String

    /// The seen file of `dataDirectory` for the user of `environment`.
    public init(dataDirectory: String, environment: [String: String]) {
        self.dataDirectory = FileSystem.resolvingSymlinks(dataDirectory)
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.local/state"
        let name = String(SHA256.hexDigest(Array(self.dataDirectory.utf8)).prefix(32))
        path = state + "/ptrack/seen/" + name
    }

    /// What the file holds; nil when there is none yet. A file that holds another
    /// directory's changes is an error, as a damaged one is.
    public func read() throws(TrackerError) -> SeenChanges? {
        guard let bytes = try FileSystem.read(path) else { return nil }
        let seen = try SeenChanges.decode(SourceText(path: path, bytes: bytes))
        guard seen.dataDirectory == dataDirectory else {
            throw .badData(path: path, line: 1, column: 1, message: "holds the changes seen in \(DisplayText.quoted(seen.dataDirectory)), not \(DisplayText.quoted(dataDirectory))")
        }
        return seen
    }

    /// Records that `ids` are every change seen, replacing the file atomically.
    public func write(_ ids: Set<String>) throws(TrackerError) {
        try FileSystem.createDirectory(FileSystem.split(path).directory)
        try FileSystem.replaceAtomically(path, with: SeenChanges(dataDirectory: dataDirectory, ids: ids).encoded())
    }
}
