import Foundation

/// The defaults a user would otherwise retype, read from `config.json` in
/// `$XDG_CONFIG_HOME/ptrack` (else `~/.config/ptrack`). A missing file is an empty
/// configuration; an unknown key or a bad value is an error naming the file, line and
/// column. Command-line options and environment variables win over it.
public struct Configuration: Equatable, Sendable {
    /// The browser's theme: a name or a path, as `--theme` takes it.
    public var theme: String?
    /// The data directory, as `--data` takes it (a leading `~/` is the home directory).
    public var data: String?
    /// The days after which an item counts as not reviewed (reports and dashboard).
    public var staleDays: Int?
    /// The catalog `list`, `report` and `diff` show when no `--catalog` is given.
    public var catalog: String?
    /// The name every change this user records carries (see ``AuthorName``).
    public var author: String?

    public init(theme: String? = nil, data: String? = nil, staleDays: Int? = nil, catalog: String? = nil, author: String? = nil) {
        self.theme = theme
        self.data = data
        self.staleDays = staleDays
        self.catalog = catalog
        self.author = author
    }

    /// The keys a configuration file may hold.
    public static let keys = ["theme", "data", "staleDays", "catalog", "author"]

    /// Where the configuration file is for this `environment`.
    public static func path(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/ptrack/config.json" }
        return home(environment) + "/.config/ptrack/config.json"
    }

    /// The configuration of this `environment`'s user: empty when the file is missing or out
    /// of sight (a directory on its way that may not be entered, as for a command run as
    /// another user); a file that is there but cannot be read is an error.
    public static func load(environment: [String: String]) throws(TrackerError) -> Configuration {
        let path = path(environment: environment)
        var info = stat()
        guard stat(path, &info) == 0, let bytes = try FileSystem.read(path) else { return Configuration() }
        var configuration = try decode(SourceText(path: path, bytes: bytes))
        if let data = configuration.data, data.hasPrefix("~/") { configuration.data = home(environment) + data.dropFirst() }
        return configuration
    }

    /// The configuration `text` holds; every problem is located in it.
    public static func decode(_ text: SourceText) throws(TrackerError) -> Configuration {
        do {
            let reader = try FieldReader(try text.parseDocument(), in: text, what: "the configuration", fields: keys)
            let staleDays = try reader.optionalNode("staleDays").map { node throws(TrackerError) in
                let days = try reader.int("staleDays")
                guard days >= 0 else { throw text.problem(at: node.offset, "\"staleDays\" must not be negative") }
                return days
            }
            return Configuration(
                theme: try nonEmpty(reader, "theme"), data: try nonEmpty(reader, "data"), staleDays: staleDays,
                catalog: try nonEmpty(reader, "catalog"), author: try nonEmpty(reader, "author"))
        } catch {
            guard case let .badData(path, line, column, message) = error else { throw error }
            throw .badConfiguration(path: path, line: line, column: column, message: message)
        }
    }

    private static func nonEmpty(_ reader: FieldReader, _ key: String) throws(TrackerError) -> String? {
        guard reader.optionalNode(key) != nil else { return nil }
        return try reader.nonEmptyString(key)
    }

    private static func home(_ environment: [String: String]) -> String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }
}
