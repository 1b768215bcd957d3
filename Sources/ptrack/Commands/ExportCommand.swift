import ArgumentParser
import PolicyTrackerCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the tracker for another tool: JSON or CSV (lossless, read back by import), or Taskwarrior's import format.",
        discussion: """
            `ptrack export --format csv > all.csv` and `ptrack import all.csv` round-trip every item, status \
            and change. `ptrack export --format taskwarrior | task import` gives one task per recommendation.
            """)

    @OptionGroup var data: DataOptions

    @Option(name: .long, help: ArgumentHelp("json, csv or taskwarrior.", valueName: "format"))
    var format: ExportFormat = .json

    @Option(name: .long, help: ArgumentHelp("Only this catalog, its recommendations, their changes and the sources they cite.", valueName: "catalog"),
            completion: Completions.catalogs)
    var catalog: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Console.run { console in
            let store = try data.openStore()
            var document = try store.catalogDocument()
            var history = try store.history()
            var id: String?
            if let catalog {
                id = try Lookup.resolve(catalog, among: document.catalogs.map(\.id), noun: "catalog")
                (document, history) = TrackerExport.selecting(catalog: id!, from: document, changes: history)
            }
            let total = document.recommendations.count + history.count
            let text = try store.progress.run("writing the export", total: total, unit: "records") { counter throws(TrackerError) in
                switch format {
                case .json: TrackerExport.json(catalog: document, changes: history, progress: counter)
                case .csv: CSVInterchange.write(catalog: document, changes: history, progress: counter)
                case .taskwarrior: TrackerExport.taskwarrior(state: try state(store, catalog: id), history: history, now: Clock.now)
                }
            }
            try output.emit(text, to: &console)
        }
    }

    /// The tracker's state, with only the items of `catalog` when one is named (their links
    /// may lead into other catalogs, so the whole tracker is loaded).
    private func state(_ store: TrackerStore, catalog: String?) throws(TrackerError) -> TrackerState {
        var state = try store.load()
        if let catalog { state.items = state.items.filter { $0.value.recommendation.catalog == catalog } }
        return state
    }
}

extension ExportFormat: ExpressibleByArgument {}
