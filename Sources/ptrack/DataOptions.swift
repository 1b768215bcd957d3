import ArgumentParser
import Foundation
import PolicyTrackerCore

/// `--data DIR`, accepted by every subcommand, and the store it opens.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data directory.", valueName: "dir"), completion: .directory)
    var data: String?

    @Flag(name: .long, help: "Show no progress on standard error, even on a terminal.")
    var quiet = false

    /// The store for the chosen directory. Unless `initialising` is false, a missing or empty
    /// directory is first filled with the bundled agenda, and standard error says where.
    func openStore(initialising: Bool = true) throws(TrackerError) -> TrackerStore {
        var created = false
        return try openStore(initialising: initialising, created: &created)
    }

    /// ``openStore(initialising:)``; `created` says whether it filled a missing or empty
    /// directory with the bundled agenda.
    func openStore(initialising: Bool, created: inout Bool) throws(TrackerError) -> TrackerStore {
        // Under a file-size limit (`ulimit -f`) a write past it then fails with EFBIG, which
        // the store reports and undoes, instead of killing ptrack half way through a line.
        signal(SIGXFSZ, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        let configured = try Configuration.current().data
        let directory = TrackerFiles.dataDirectory(explicit: data, configured: configured, environment: environment)
        let timeout = environment["PTRACK_LOCK_TIMEOUT"].flatMap(Double.init) ?? 10
        let store = TrackerStore(directory: directory, lockTimeout: timeout)
        store.onNotice = { Console.standardError.write("ptrack: \($0)\n") }
        store.progress = ProgressLine.sink(quiet: quiet)
        if initialising, try store.initialiseIfNeeded() {
            created = true
            let count = try store.load().items.count
            store.onNotice("created a new tracker in \(directory) with the bundled trilateral agenda (\(count) recommendations)")
        }
        return store
    }
}

extension Configuration {
    /// The configuration of the user running ptrack, read once per process.
    static func current() throws(TrackerError) -> Configuration {
        try loaded.get()
    }

    private static let loaded = Result { () throws(TrackerError) in try load(environment: ProcessInfo.processInfo.environment) }
}

/// `--output FILE`, shared by the commands that write a document: `report`, `diff`, `export`.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Write to this file (replaced atomically) instead of standard output.", valueName: "file"))
    var output: String?

    /// The style for a text document: the terminal's when it goes to standard output.
    func style(isText: Bool) -> TextStyle {
        output == nil && isText ? Console.style : TextStyle(enabled: false)
    }

    /// Writes `text` to the file (see ``Console/save(_:to:)``) or to `console`.
    func emit(_ text: String, to console: inout Console) throws(TrackerError) {
        if let output { try Console.save(text, to: output) } else { console.write(text) }
    }
}

/// Filters shared by `list`, `report` and `diff`.
struct FilterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only items of this catalog (default: the configuration's catalog, else all).", valueName: "catalog"),
            completion: Completions.catalogs)
    var catalog: String?

    @Option(name: .long, help: ArgumentHelp("Only items in this status (repeatable).", valueName: "status"), completion: Completions.statuses)
    var status: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only items in this category.", valueName: "category"), completion: Completions.categories)
    var category: String?

    @Option(name: .long, help: ArgumentHelp("Only items this actor (such as US, Japan, ROK) must act on.", valueName: "actor"), completion: Completions.actors)
    var actor: String?

    @Flag(name: .long, help: "Only watched items.")
    var watched = false

    /// The filter, with every name resolved against `state`; without `--catalog`, the
    /// configuration's catalog, if any, is the one shown.
    func filter(in state: TrackerState, search: String? = nil) throws(TrackerError) -> ItemFilter {
        var filter = ItemFilter()
        let configured = catalog == nil ? try Configuration.current().catalog : nil
        if let name = catalog ?? configured {
            filter.catalog = try Lookup.resolve(name, among: state.catalogs.map(\.id), noun: "catalog")
        }
        for name in status { filter.statuses.insert(try Lookup.status(name)) }
        if let category { filter.category = try ItemFilter.category(category, in: state) }
        if let actor { filter.actor = try Lookup.actor(actor, in: state.vocabulary) }
        filter.watchedOnly = watched
        filter.search = search
        return filter
    }
}

/// The clock, read once per command so every change it records carries the same time.
enum Clock {
    /// Now: the system's clock, or `PTRACK_NOW` (seconds since 1970) for tests and
    /// demonstrations that need a fixed one. What today is, and when a change is recorded.
    static var now: Timestamp { fixed("PTRACK_NOW") ?? Timestamp(Date()) }

    /// When a document says it was generated: `SOURCE_DATE_EPOCH` (seconds since 1970) when
    /// set, else now. By the reproducible-builds convention that variable fixes only the
    /// timestamps a tool writes into its output, so a report can be made again byte for byte;
    /// shells that export it (Nix, devbox) leave today and the recorded times alone.
    static var generated: Timestamp { fixed("SOURCE_DATE_EPOCH") ?? now }

    private static func fixed(_ variable: String) -> Timestamp? {
        ProcessInfo.processInfo.environment[variable].flatMap(TimeInterval.init).map { Timestamp(Date(timeIntervalSince1970: $0)) }
    }
}
