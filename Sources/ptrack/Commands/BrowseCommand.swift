import ArgumentParser
import Foundation
import NcursesBackend
import PolicyTrackerApp
import PolicyTrackerCore

/// Opens the interactive browser: the store, the theme and the terminal, handed to the
/// runtime; the terminal is restored however the browser ends.
enum Browser {
    static func run(data: DataOptions, theme requested: String?, author: AuthorOptions) throws {
        try Console.run { _ in
            let store = try data.openStore()
            // The terminal is the browser's: a progress line on standard error would write
            // over the screen curses keeps.
            store.progress = .silent
            let environment = ProcessInfo.processInfo.environment
            let configuration = try Configuration.current()
            let recorder = try author.resolved(for: store)
            let (theme, warning) = ThemeLibrary.resolve(requested: requested, configured: configuration.theme, environment: environment)
            let terminal: NcursesTerminal
            do {
                terminal = try NcursesTerminal.start(theme: theme)
            } catch let error as TerminalError {
                throw TrackerError.unavailable(error.description)
            }
            defer { terminal.stop() }
            let runtime = try BrowserRuntime(
                store: store, backend: terminal, message: warning, staleDays: configuration.staleDays ?? 180,
                catalog: configuration.catalog, author: recorder,
                seen: SeenFile(dataDirectory: store.directory, environment: environment), now: { Clock.now })
            if environment[Self.crashVariable] == "1" { crashAfterFirstFrame(runtime, on: terminal) }
            runtime.run()
            if let signal = terminal.terminationSignal {
                terminal.stop()
                throw ExitCode(128 + signal)
            }
        }
    }

    /// The environment variable that makes the browser crash, for tests of the terminal's
    /// restoration.
    private static let crashVariable = "PTRACK_TEST_CRASH"

    /// Draws the first frame and traps, as a bug in the browser would.
    private static func crashAfterFirstFrame(_ runtime: BrowserRuntime, on terminal: NcursesTerminal) -> Never {
        terminal.present(View.render(runtime.state))
        fatalError("\(crashVariable) is set")
    }
}
