import Foundation

/// The names of a tracker's files and where its data directory is.
public enum TrackerFiles {
    /// The catalogs, sources and recommendations as published (pretty JSON).
    public static let catalog = "catalog.json"
    /// Every change, one JSON object per line, only ever appended to.
    public static let changes = "changes.jsonl"
    /// A cache of the replayed log; derived, safe to delete.
    public static let snapshot = "snapshot.jsonl"
    /// The snapshot's name in earlier versions, removed by the next write.
    static let legacySnapshot = "snapshot.json"
    /// The file writers lock.
    public static let lock = ".lock"
    /// The rules `ptrack check` is told to leave alone for single items, with the reasons.
    public static let checkSettings = "check.json"
    /// Where the texts of listed sources may be kept, one `<source id>.txt` each, for
    /// `ptrack check` to find quotes in.
    public static let sourceTexts = "sources"

    /// What a tracker shared through git needs in `.gitattributes`: the change log, only
    /// ever appended to and with a unique id on every line, merges as the union of both
    /// sides' lines, so two analysts' changes never conflict.
    public static let gitAttributes = ["\(changes) merge=union"]
    /// What stays out of the repository: the derived snapshot, the lock with its seal, and
    /// temporary files of an interrupted write; each clone has its own.
    public static let gitIgnored = [snapshot, legacySnapshot, lock, ".*.tmp-*"]
    /// Files of git's that a directory may hold and still be fresh for a new tracker.
    static let gitFiles: Set<String> = [".git", ".gitattributes", ".gitignore"]

    /// The data directory: `explicit` (from `--data`), else `$PTRACK_DATA`, else `configured`
    /// (the configuration's `data`), else `$XDG_DATA_HOME/ptrack` (when that is an absolute
    /// path, as the XDG spec requires), else `~/.local/share/ptrack`.
    public static func dataDirectory(explicit: String?, configured: String? = nil, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["PTRACK_DATA"], !fromEnvironment.isEmpty { return fromEnvironment }
        if let configured, !configured.isEmpty { return configured }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/ptrack" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/ptrack"
    }
}
