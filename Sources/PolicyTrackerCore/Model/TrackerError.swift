import Foundation

/// Everything that can go wrong, each with the exit status from `sysexits.h` it maps to and a
/// message that says what was wrong and where.
public enum TrackerError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The command was used wrongly: an unknown id or status, an ambiguous prefix, a bad date.
    case usage(String)
    /// A file holds data ptrack cannot accept, located as precisely as possible.
    case badData(path: String, line: Int?, column: Int?, message: String)
    /// The user's configuration file holds a key or value ptrack cannot accept.
    case badConfiguration(path: String, line: Int?, column: Int?, message: String)
    /// The data directory is not a tracker (it has files, but no catalog).
    case notATracker(path: String)
    /// The operating system refused an operation.
    case io(path: String, message: String)
    /// Another process held the lock for longer than we were willing to wait; `holder` names
    /// it ("process 4711 (ptrack)") where the system tells.
    case lockBusy(path: String, seconds: Double, holder: String?)
    /// Something the command needs is not there, such as a terminal for the browser.
    case unavailable(String)
    /// Every problem found in one input, such as each bad row of a file to import.
    case several([TrackerError])

    /// The process exit status for this error (`EX_USAGE`, `EX_DATAERR`, `EX_NOINPUT`, `EX_UNAVAILABLE`, `EX_IOERR`,
    /// `EX_TEMPFAIL`, `EX_CONFIG`).
    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .badData: 65
        case .notATracker: 66
        case .io: 74
        case .lockBusy: 75
        case .unavailable: 69
        case .badConfiguration: 78
        case .several(let problems): problems.first?.exitCode ?? 65
        }
    }

    public var description: String {
        switch self {
        case .usage(let message), .unavailable(let message):
            return message
        case let .badData(path, line, column, message), let .badConfiguration(path, line, column, message):
            let location = [line, column].compactMap { $0 }.map(String.init).joined(separator: ":")
            return location.isEmpty ? "\(path): \(message)" : "\(path):\(location): \(message)"
        case .notATracker(let path):
            return "\(path): not a ptrack data directory (it is not empty and has no \(TrackerFiles.catalog))"
        case let .io(path, message):
            return "\(path): \(message)"
        case .several(let problems):
            return problems.map(\.description).joined(separator: "\n")
        case let .lockBusy(path, seconds, holder):
            return "\(path): locked by \(holder ?? "another process"); gave up after \(String(format: "%.1f", seconds)) s (set PTRACK_LOCK_TIMEOUT to wait longer)"
        }
    }
}
