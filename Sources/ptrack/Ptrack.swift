import ArgumentParser
import PolicyTrackerCore

/// `ptrack`: the command-line entry point. Each subcommand parses its options, asks the core
/// for the work, and prints; the interactive browser will be the default subcommand.
@main
struct Ptrack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ptrack",
        abstract: "Track policy recommendations, what became of them, and why.",
        discussion: """
            Data lives in a directory of JSON files: --data DIR, else $PTRACK_DATA, else \
            $XDG_DATA_HOME/ptrack, else ~/.local/share/ptrack. A missing or empty directory \
            starts as the bundled US–Japan–ROK trilateral agenda.

            Ids, statuses, categories and actors accept any unique case-insensitive prefix.
            Exit status: 0 ok, 64 usage, 65 bad data, 66 not a tracker, 74 I/O error, 75 busy.
            """,
        version: "0.1.0",
        subcommands: [
            ListCommand.self, ShowCommand.self, MarkCommand.self, WatchCommand.self, UnwatchCommand.self,
            AddCommand.self, EditCommand.self, HistoryCommand.self, UndoCommand.self, ReportCommand.self,
        ])

    @OptionGroup var data: DataOptions

    func run() throws {
        Console.standardError.write("ptrack: the interactive browser is not part of this version; here is `ptrack list` (see `ptrack --help`).\n")
        try ListCommand.parse(data.data.map { ["--data", $0] } ?? []).run()
    }
}
