import Foundation
import PolicyTrackerCore

/// `$VISUAL`, else `$EDITOR`, else `vi`, run on a temporary file as `git commit` runs it:
/// through the shell, so the variable may hold arguments, with the terminal handed over.
/// `mark --edit`, `review --edit` and the browser's `e` all write their notes with it.
public enum Editor {
    /// The text of `template` after the user edited it; an error when the editor could not
    /// be run or exited with a failure (nothing is recorded then).
    public static func edit(_ template: String) throws(TrackerError) -> String {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let path = FileManager.default.temporaryDirectory.path + "/ptrack-note-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
        try FileSystem.replaceAtomically(path, with: Array(template.utf8))
        defer { unlink(path) }
        // `exec`: the editor takes the shell's place, so it is the process waited for, and
        // Ctrl-C in it cannot end a shell left waiting behind it.
        let status = try run(["/bin/sh", "-c", "exec " + editor + " \"$@\"", editor, path], environment: environment, editor: editor)
        guard status == 0 else {
            let why = status & 0x7F == 0 ? "status \(status >> 8 & 0xFF)" : "signal \(status & 0x7F)"
            throw .unavailable("the editor \(DisplayText.quoted(editor)) failed (\(why)); nothing was recorded")
        }
        return String(decoding: try FileSystem.read(path) ?? [], as: UTF8.self)
    }

    /// Signals the terminal's keys send (Ctrl-C, Ctrl-\), meant for the editor while it runs.
    private static let interrupts = [SIGINT, SIGQUIT]

    /// Runs `arguments` (the first is the program's path) and returns its wait status.
    ///
    /// The child stays in ptrack's process group, the one the terminal's keys go to, so it
    /// can read the terminal (Foundation's `Process` starts a group of its own, where an
    /// editor reading the terminal is stopped). While it runs ptrack ignores the interrupts,
    /// as git does, and the child starts with their default actions.
    private static func run(_ arguments: [String], environment: [String: String], editor: String) throws(TrackerError) -> Int32 {
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
        let failure = withDefaultInterrupts { attributes in posix_spawn(&pid, arguments[0], nil, attributes, argv, envp) }
        guard failure == 0 else {
            throw .unavailable("cannot run the editor \(DisplayText.quoted(editor)): \(String(cString: strerror(failure)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return status
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
