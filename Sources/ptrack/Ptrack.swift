import ArgumentParser
import PolicyTrackerCore

/// `ptrack`: the command-line entry point. With no subcommand it opens the interactive
/// browser; each subcommand parses its options, asks the core for the work, and prints.
@main
struct Ptrack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ptrack",
        abstract: "Track policy recommendations, what became of them, and why.",
        discussion: """
            Data lives in a directory of JSON files: --data DIR, else $PTRACK_DATA, else \
            $XDG_DATA_HOME/ptrack, else ~/.local/share/ptrack. A missing or empty directory \
            starts as the bundled US–Japan–ROK trilateral agenda.

            With no subcommand, ptrack opens the interactive browser (press ? in it for keys).
            Ids, statuses, categories and actors accept any unique case-insensitive prefix.
            Exit status: 0 ok, 1 a report no longer matches the data (verify) or an empty note cancelled, 64 usage, 65 bad data, \
            66 not a tracker, 69 no terminal, 74 I/O error, 75 busy (the lock), 78 bad configuration, 128+N the browser ended \
            on signal N. See man ptrack for the environment and the files.
            """,
        version: "0.1.0",
        subcommands: [
            ListCommand.self, ShowCommand.self, MarkCommand.self, ReviewCommand.self, WatchCommand.self, UnwatchCommand.self,
            AddCommand.self, EditCommand.self, HistoryCommand.self, NewsCommand.self, UndoCommand.self, ReportCommand.self, DiffCommand.self,
            VerifyCommand.self, CheckCommand.self, AgendaCommand.self, VocabularyCommand.self, ExportCommand.self, ImportCommand.self, InitCommand.self, ThemesCommand.self,
        ])

    @OptionGroup var data: DataOptions

    @Option(name: .long, help: ArgumentHelp(
        "The browser's theme: a name from `ptrack themes` or a file (default: $PTRACK_THEME, else mono under NO_COLOR, else default).",
        valueName: "name|path"))
    var theme: String?

    @OptionGroup var author: AuthorOptions

    func run() throws {
        try Browser.run(data: data, theme: theme, author: author)
    }
}
