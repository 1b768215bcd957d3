#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw

/// What the signal handlers read and write.
struct SignalState {
    var savedTermios = termios()
    var termiosSaved: sig_atomic_t = 0
    var terminationRequested: sig_atomic_t = 0
}

/// Allocated once and never freed, reached through a `let`: after the first access (in
/// ``SignalGuard/install()``, before any handler exists) a handler touches no lazy
/// initialiser, no exclusivity check and no allocator.
nonisolated(unsafe) let signalState: UnsafeMutablePointer<SignalState> = {
    let state = UnsafeMutablePointer<SignalState>.allocate(capacity: 1)
    state.initialize(to: SignalState())
    return state
}()

/// SIGTERM, SIGHUP and SIGINT (sent by `kill`: in the browser Ctrl-C is a key): ask the
/// event loop to end; it reads the flag after `get_wch` returns.
private func requestTermination(_ signal: Int32) {
    signalState.pointee.terminationRequested = signal
}

/// A fatal signal: put the terminal back with async-signal-safe calls only (`tcsetattr`,
/// `write`, `sigaction`, `raise`), then die of the signal as if no handler were installed.
private func restoreTerminalAndReraise(_ signal: Int32) {
    if signalState.pointee.termiosSaved != 0 {
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &signalState.pointee.savedTermios)
    }
    // Mouse reports off, bracketed paste off, attributes off, cursor keys back to normal
    // mode, cursor shown, main screen back.
    let reset: StaticString =
        "\u{1B}[?1000l\u{1B}[?2004l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[0m\u{1B}[?1l\u{1B}>\u{1B}[?25h\u{1B}[?1049l"
    _ = write(STDOUT_FILENO, reset.utf8Start, reset.utf8CodeUnitCount)
    ptrack_reraise_with_default(signal)
}

/// Installs the handlers while the terminal is in curses mode and puts the previous ones back.
final class SignalGuard {
    private static let terminationSignals: [Int32] = [SIGTERM, SIGHUP, SIGINT]
    private static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGQUIT]
    private var previous: [(signal: Int32, action: sigaction)] = []

    /// True once SIGTERM, SIGHUP or SIGINT arrived after ``install()``.
    var terminationRequested: Bool { signalState.pointee.terminationRequested != 0 }

    /// The signal that asked for the end, if one did.
    var terminationSignal: Int32? {
        let signal = signalState.pointee.terminationRequested
        return signal == 0 ? nil : Int32(signal)
    }

    /// Saves the terminal settings of standard input for the fatal handlers, then installs
    /// all handlers. Call before `newterm`, so ncurses leaves SIGTERM to us.
    func install() {
        let saved = tcgetattr(STDIN_FILENO, &signalState.pointee.savedTermios) == 0
        signalState.pointee.termiosSaved = saved ? 1 : 0
        signalState.pointee.terminationRequested = 0
        for signal in Self.terminationSignals { install(requestTermination, for: signal) }
        for signal in Self.fatalSignals { install(restoreTerminalAndReraise, for: signal) }
    }

    /// Puts back the handlers that were there before ``install()``.
    func restore() {
        for entry in previous.reversed() {
            var action = entry.action
            _ = ptrack_restore_handler(entry.signal, &action)
        }
        previous = []
        signalState.pointee.termiosSaved = 0
    }

    private func install(_ handler: @convention(c) (Int32) -> Void, for signal: Int32) {
        var old = sigaction()
        if ptrack_install_handler(signal, handler, &old) == 0 { previous.append((signal, old)) }
    }
}
