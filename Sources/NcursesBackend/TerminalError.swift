/// Why the terminal could not be opened, worded for the person at the keyboard.
public struct TerminalError: Error, CustomStringConvertible {
    /// The message to print.
    public let description: String

    /// Standard input or output is a file or a pipe.
    public static let notATerminal = TerminalError(description:
        "the browser needs a terminal: standard input and output must be a terminal; "
            + "in scripts use ptrack list, show, report")

    /// Another ``NcursesTerminal`` has not been stopped yet.
    public static let alreadyStarted = TerminalError(description:
        "the terminal is already in use by the browser")

    /// The terminal named by `TERM` cannot place the cursor (`dumb`, a printing terminal).
    public static func cannotAddressCursor(_ term: String) -> TerminalError {
        TerminalError(description: "terminal type \"\(term)\" cannot place the cursor, which the browser needs; "
            + "set TERM, for example TERM=xterm-256color")
    }

    /// ncurses has no description of the terminal named by `TERM` (nil or empty when unset).
    public static func unknownTerminal(_ term: String?) -> TerminalError {
        guard let term, !term.isEmpty else {
            return TerminalError(description: "TERM is not set; set TERM, for example TERM=xterm-256color")
        }
        return TerminalError(description:
            "unknown terminal type \"\(term)\"; set TERM, for example TERM=xterm-256color")
    }
}
