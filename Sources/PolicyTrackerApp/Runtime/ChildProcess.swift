import Foundation
import PolicyTrackerCore

/// Runs a program in the terminal the browser or the command line hands over to it (the
/// editor, a web browser) and waits for it.
///
/// The child stays in ptrack's process group, the one the terminal's keys go to, so it can
/// read the terminal (Foundation's `Process` starts a group of its own, where a program
/// reading the terminal is stopped). While it runs ptrack ignores the interrupts, as git
/// does, and the child starts with their default actions. Nothing goes through a shell
/// unless the caller runs one.
enum ChildProcess {
    /// Signals the terminal's keys send (Ctrl-C, Ctrl-\), meant for the child while it runs.
    private static let interrupts = [SIGINT, SIGQUIT]

    /// Runs `arguments` (the first is the program, looked up in `PATH` when it has no
    /// slash) with `environment`, and returns its wait status; throws why it could not start.
    static func run(_ arguments: [String], environment: [String: String]) throws(StartFailure) -> Int32 {
        var saved = interrupts.map { _ in sigaction() }
        for (index, number) in interrupts.enumerated() {
            sigaction(number, nil, &saved[index])
            signal(number, SIG_IGN)
        }
        defer { for (index, number) in interrupts.enumerated() { sigaction(number, &saved[index], nil) } }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0.key + "=" + $0.value) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let failure = withDefaultInterrupts { attributes in posix_spawnp(&pid, arguments[0], nil, attributes, argv, envp) }
        guard failure == 0 else { throw StartFailure(reason: String(cString: strerror(failure))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return status
    }

    /// Why a program could not be started, as the C library words it.
    struct StartFailure: Error {
        var reason: String
    }

    /// A wait status that is not success, in words: "status 2", "signal 9".
    static func describe(_ status: Int32) -> String {
        status & 0x7F == 0 ? "status \(status >> 8 & 0xFF)" : "signal \(status & 0x7F)"
    }

    /// Calls `spawn` with attributes that give the child the interrupts' default actions.
    private static func withDefaultInterrupts(_ spawn: (UnsafePointer<posix_spawnattr_t>) -> Int32) -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in interrupts { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        return spawn(&attributes)
    }
}
