import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ProcessError: Error, CustomStringConvertible {
    var description: String
}

/// A child process run to completion: wall time from spawn to reaped, exit status and the
/// child's own peak resident set (wait4's rusage, so it is that process's alone).
struct ChildRun {
    var ms: Double
    var exitCode: Int32
    var peakRSSKiB: Int
    var standardError: String
}

enum Child {
    /// Runs `arguments` (the first is the executable's path) with standard output sent to
    /// /dev/null, and waits for it.
    static func run(_ arguments: [String], standardOutput: String = "/dev/null", clock: ContinuousClock) throws -> ChildRun {
        let errorPath = NSTemporaryDirectory() + "ptrack-bench-stderr-\(getpid())"
        defer { unlink(errorPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in environment { free(pointer) } }

        var pid: pid_t = 0
        let start = clock.now
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environment)
        guard spawned == 0 else {
            throw ProcessError(description: "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw ProcessError(description: "wait4: \(String(cString: strerror(errno)))") }
        }
        let ms = (clock.now - start).ms
        let exitCode: Int32 = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return ChildRun(ms: ms, exitCode: exitCode, peakRSSKiB: Int(usage.ru_maxrss), standardError: errors)
    }

    /// Runs a helper (tmux) and returns its standard output. (Not Foundation's `Process`:
    /// its wait does not return when the child leaves a daemon behind, as `tmux new-session` does.)
    @discardableResult
    static func output(_ arguments: [String], clock: ContinuousClock) throws -> String {
        let outputPath = NSTemporaryDirectory() + "ptrack-bench-stdout-\(getpid())"
        defer { unlink(outputPath) }
        let child = try run(arguments, standardOutput: outputPath, clock: clock)
        guard child.exitCode == 0 else {
            throw ProcessError(description: "\(arguments.joined(separator: " ")) exited with \(child.exitCode): \(child.standardError)")
        }
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// The absolute path of `name` on $PATH, if any.
    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if access(path, X_OK) == 0 { return path }
        }
        return nil
    }

    /// This executable's directory (from /proc/self/exe, else argv[0]).
    static var ownDirectory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
        let path = length > 0 ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
        return (path as NSString).deletingLastPathComponent
    }
}

/// The browser started in a detached tmux session of a private tmux server, timed from
/// just before `tmux new-session` until `capture-pane` shows `marker`.
struct TmuxProbe {
    let tmux: String
    let timeoutSeconds: Double

    struct Sighting {
        var ms: Double
        var polls: Int
        /// Mean time between two captures: the granularity of the measurement.
        var pollIntervalMs: Double
    }

    func firstSighting(of marker: String, command: String, width: Int = 100, height: Int = 30, clock: ContinuousClock) throws -> Sighting {
        let socket = "ptrack-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let base = ["-L", socket, "-f", "/dev/null"]
        defer { _ = try? Child.output([tmux] + base + ["kill-server"], clock: clock) }
        let start = clock.now
        try Child.output([tmux] + base + ["new-session", "-d", "-s", "bench", "-x", "\(width)", "-y", "\(height)", command], clock: clock)
        var polls = 0
        let firstPoll = clock.now
        while true {
            let screen = try Child.output([tmux] + base + ["capture-pane", "-p", "-t", "bench"], clock: clock)
            polls += 1
            let now = clock.now
            if screen.contains(marker) {
                return Sighting(ms: (now - start).ms, polls: polls, pollIntervalMs: (now - firstPoll).ms / Double(polls))
            }
            if (now - start).ms / 1000 > timeoutSeconds {
                throw ProcessError(description: "\"\(marker)\" did not appear within \(Int(timeoutSeconds)) s; the screen showed:\n\(screen)")
            }
        }
    }
}

/// An exclusive `flock` on a tracker's `.lock`, held by this process: while it is held a
/// read cannot keep the snapshot (it would need the lock at once), so it answers from what
/// it read and writes nothing.
final class HeldLock {
    private var descriptor: Int32

    init(directory: String) throws {
        let path = directory + "/.lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ProcessError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ProcessError(description: "cannot lock \(path): \(String(cString: strerror(errno)))")
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// This process's peak resident set so far, in KiB.
func ownPeakRSSKiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss)
}

/// Single-quotes `text` for sh.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
