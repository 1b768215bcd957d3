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
            if let catalog {
                let id = try Lookup.resolve(catalog, among: document.catalogs.map(\.id), noun: "catalog")
                (document, history) = TrackerExport.selecting(catalog: id, from: document, changes: history)
            }
            let text = switch format {
            case .json: TrackerExport.json(catalog: document, changes: history)
            case .csv: CSVInterchange.write(catalog: document, changes: history)
            case .taskwarrior: TrackerExport.taskwarrior(state: try state(document, history), history: history, now: Clock.now)
            }
            try output.emit(text, to: &console)
        }
    }

    private func state(_ document: CatalogDocument, _ history: [Change]) throws(TrackerError) -> TrackerState {
        try Replay.state(catalog: document, changes: history, locate: { _, _, message in .usage(message) },
                         locateLink: { _, _, message in .usage(message) })
    }
}

extension ExportFormat: ExpressibleByArgument {}
