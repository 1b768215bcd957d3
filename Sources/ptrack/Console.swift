import ArgumentParser
import Foundation
import PolicyTrackerCore

/// The terminal edge of the command line: standard output and error, whether to color,
/// how wide to print, and turning errors into messages and exit statuses.
final class Console: TextOutputStream, @unchecked Sendable {
    private let handle: FileHandle
    private let flushesEveryWrite: Bool
    private var buffer = ""

    /// Buffered, flushed when a command ends.
    static let standardOutput = Console(handle: .standardOutput, flushesEveryWrite: false)
    /// Unbuffered, so messages appear at once and in order.
    static let standardError = Console(handle: .standardError, flushesEveryWrite: true)

    private init(handle: FileHandle, flushesEveryWrite: Bool) {
        self.handle = handle
        self.flushesEveryWrite = flushesEveryWrite
    }

    func write(_ text: String) {
        buffer += text
        if flushesEveryWrite || buffer.utf8.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer.utf8))
        buffer = ""
    }

    /// Saves a command's output to `path` (replaced atomically) instead of printing it, and
    /// says so on standard error.
    static func save(_ text: String, to path: String) throws(TrackerError) {
        try FileSystem.replaceAtomically(path, with: Array(text.utf8))
        standardError.write("ptrack: wrote \(path)\n")
    }

    /// Color only on a terminal, and never when `NO_COLOR` is set (https://no-color.org) or TERM is dumb.
    static var style: TextStyle {
        let environment = ProcessInfo.processInfo.environment
        let wanted = isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        return TextStyle(enabled: wanted)
    }

    /// The terminal's width, else `$COLUMNS`, else unlimited (output to a pipe or file is not cut).
    static var width: Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 10_000
    }

    /// Runs `body`, printing everything it wrote; a ``TrackerError`` becomes `ptrack: message`
    /// on standard error and its exit status.
    static func run(_ body: (inout Console) throws -> Void) throws {
        var output = standardOutput
        defer { output.flush() }
        do {
            try body(&output)
        } catch let error as TrackerError {
            output.flush()
            standardError.write(message(for: error))
            throw ExitCode(error.exitCode)
        }
    }

    /// Everything on standard input.
    static func readStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }

    /// `ptrack: message` made safe for a terminal (a message quotes what a file holds), and
    /// under it the line of the file a bad-data error is about. Several problems are each
    /// shown so, up to ``shownProblems`` of them.
    static func message(for error: TrackerError) -> String {
        guard case .several(let problems) = error else {
            return "ptrack: \(DisplayText.sanitized(error.description))\n" + (error.excerpt().map { $0 + "\n" } ?? "")
        }
        let more = problems.count > shownProblems ? "ptrack: … and \(problems.count - shownProblems) more problems\n" : ""
        return problems.prefix(shownProblems).map(message(for:)).joined() + more
    }

    /// How many of several problems are shown.
    static let shownProblems = 100
}
