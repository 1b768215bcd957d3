import ArgumentParser
import PolicyTrackerCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the whole tracker for another tool: JSON (lossless) or Taskwarrior's import format.",
        discussion: "`ptrack export --format taskwarrior | task import` gives one task per recommendation.")

    @OptionGroup var data: DataOptions

    @Option(name: .long, help: ArgumentHelp("json or taskwarrior.", valueName: "format"))
    var format: ExportFormat = .json

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Console.run { console in
            let store = try data.openStore()
            let text = switch format {
            case .json: TrackerExport.json(catalog: try store.catalogDocument(), changes: try store.history())
            case .taskwarrior: TrackerExport.taskwarrior(state: try store.load(), history: try store.history(), now: Clock.now)
            }
            try output.emit(text, to: &console)
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
