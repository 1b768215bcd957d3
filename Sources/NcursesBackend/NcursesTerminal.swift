#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw
import PolicyTrackerApp

/// The real terminal, through ncursesw: sets the terminal up and restores it, decodes keys
/// and the mouse, and draws cell buffers. Only one can run at a time.
public final class NcursesTerminal: TerminalBackend {
    nonisolated(unsafe) private static var running = false

    private var screen: OpaquePointer?
    private let signals: SignalGuard
    private let pens: PenTable
    /// The frame on the screen, to draw only changed cells; nil forces a full redraw.
    private var lastFrame: Buffer?
    /// Events read ahead (the key after an Esc that was not an Alt key).
    private var pending: [InputEvent] = []
    /// Text to put on the terminal's clipboard after the next frame.
    private var clipboard: String?

    private init(screen: OpaquePointer, signals: SignalGuard, pens: PenTable) {
        self.screen = screen
        self.signals = signals
        self.pens = pens
    }

    deinit {
        stop()
    }

    /// Takes over the terminal: raw keyboard input, no echo, hidden cursor, the mouse, and
    /// one color pair per color combination of `theme`.
    ///
    /// Throws ``TerminalError`` when standard input or output is not a terminal, when `TERM`
    /// names no known terminal, or when another `NcursesTerminal` is running.
    public static func start(theme: Theme) throws -> NcursesTerminal {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        guard !running else { throw TerminalError.alreadyStarted }
        let signals = SignalGuard()
        signals.install()
        let screen: OpaquePointer
        do {
            screen = try openScreen()
        } catch {
            signals.restore()
            throw error
        }
        running = true
        configureInput()
        send(bracketedPasteOn)
        return NcursesTerminal(screen: screen, signals: signals, pens: configureColors(theme))
    }

    /// `newterm` on standard output and input (never `initscr`, which exits the process on
    /// an unknown `TERM`), in the user's locale, so wide characters work.
    private static func openScreen() throws -> OpaquePointer {
        setLocale()
        let term = environment("TERM")
        guard let screen = newterm(nil, ptrack_stdout(), ptrack_stdin()) else {
            throw TerminalError.unknownTerminal(term)
        }
        guard ptrack_can_address_cursor() else {
            endwin()
            delscreen(screen)
            throw TerminalError.cannotAddressCursor(term ?? "")
        }
        return screen
    }

    /// The user's locale, except that the ASCII-only C and POSIX locales (LANG unset, as in
    /// containers and CI) use C.UTF-8 for characters, as Python does (PEP 538): the terminal
    /// almost surely speaks UTF-8, and in ASCII ncurses cannot draw CJK text at all.
    private static func setLocale() {
        setlocale(LC_ALL, "")
        guard let current = setlocale(LC_CTYPE, nil).map({ String(cString: $0) }),
              current == "C" || current == "POSIX" else { return }
        setlocale(LC_CTYPE, "C.UTF-8")
    }

    /// Gives the terminal back exactly as it was (the first call does it; later calls and
    /// the one in `deinit` do nothing) and puts back the previous signal handlers.
    public func stop() {
        guard let screen else { return }
        self.screen = nil
        if !ptrack_has_alternate_screen() { clearBottomLine() }
        Self.send(Self.bracketedPasteOff)
        endwin()
        delscreen(screen)
        signals.restore()
        Self.running = false
    }

    /// Without an alternate screen the last frame stays, and `endwin` leaves the cursor on
    /// its bottom line, where the shell's prompt would mix with the status line: blank it.
    private func clearBottomLine() {
        wmove(ptrack_stdscr(), getmaxy(ptrack_stdscr()) - 1, 0)
        wclrtoeol(ptrack_stdscr())
        wrefresh(ptrack_stdscr())
    }

    /// Runs `body` with the terminal in its normal mode (to run `$EDITOR`, say): `endwin`
    /// leaves the alternate screen, shows the cursor and puts back the shell's settings.
    /// Then takes it back, at the size it has by then (ncurses' refresh takes a SIGWINCH
    /// that came meanwhile, and reports it as an event too), and paints the whole screen
    /// again, since the program drew over it.
    public func suspend<Value>(_ body: () -> Value) -> Value {
        guard screen != nil else { return body() }
        def_prog_mode()
        Self.send(Self.bracketedPasteOff)
        endwin()
        defer {
            reset_prog_mode()
            refresh()
            Self.send(Self.bracketedPasteOn)
            lastFrame = nil
        }
        return body()
    }

    /// The terminal's size in columns and rows.
    public var size: Size {
        guard screen != nil else { return Size(width: 0, height: 0) }
        return Size(width: Int(getmaxx(ptrack_stdscr())), height: Int(getmaxy(ptrack_stdscr())))
    }

    /// True once SIGTERM, SIGHUP or SIGINT asked the program to end.
    public var terminationRequested: Bool { signals.terminationRequested }

    /// SIGTERM, SIGHUP or SIGINT, when one of them ended the browser (the exit status is then 128
    /// plus its number, as a shell reports it).
    public var terminationSignal: Int32? { signals.terminationSignal }

    /// Draws the cells of `buffer` that changed since the last frame (all of them after a
    /// resize or a suspend), places or hides the cursor, then updates the screen once.
    public func present(_ buffer: Buffer) {
        guard screen != nil else { return }
        let previous = lastFrame.flatMap { $0.size == buffer.size ? $0 : nil }
        if previous == nil { werase(ptrack_stdscr()) }
        let rows = min(buffer.size.height, Int(getmaxy(ptrack_stdscr())))
        let columns = min(buffer.size.width, Int(getmaxx(ptrack_stdscr())))
        for y in 0..<max(0, rows) {
            for x in 0..<max(0, columns) {
                let cell = buffer[x, y]
                if cell.width > 0, previous?[x, y] != cell { draw(cell, x: x, y: y) }
            }
        }
        lastFrame = buffer
        placeCursor(buffer.cursor, rows: rows, columns: columns)
        wnoutrefresh(ptrack_stdscr())
        doupdate()
        if let text = clipboard {
            clipboard = nil
            Self.send(Clipboard.osc52(text))
        }
    }

    /// Sends `text` as OSC 52 after the next frame, so it never lands in the middle of one.
    public func copyToClipboard(_ text: String) {
        clipboard = text
    }

    /// Asks the terminal to bracket pastes (`ESC [ 200 ~` … `ESC [ 201 ~`), and to stop.
    private static let bracketedPasteOn = "\u{1B}[?2004h"
    private static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Writes `sequence` straight to the terminal, after what ncurses has written.
    private static func send(_ sequence: String) {
        fflush(ptrack_stdout())
        var bytes = Array(sequence.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Shows the cursor at `cursor` (the field being typed in), or hides it.
    private func placeCursor(_ cursor: Point?, rows: Int, columns: Int) {
        guard let cursor, cursor.x >= 0, cursor.x < columns, cursor.y >= 0, cursor.y < rows else {
            curs_set(0)
            return
        }
        curs_set(1)
        wmove(ptrack_stdscr(), Int32(cursor.y), Int32(cursor.x))
    }

    /// The next key, mouse action or resize; nil when `timeoutMilliseconds` pass without
    /// one (a negative timeout waits for ever) or when a signal interrupts the wait. An Esc
    /// with a character right behind it is that character with Alt; a bracketed paste is
    /// one event.
    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard screen != nil else { return nil }
        if !pending.isEmpty { return pending.removeFirst() }
        let event = readEvent(timeoutMilliseconds: timeoutMilliseconds)
        guard event == .key(.escape) else { return event }
        var events = KeyDecoder.afterEscape(readEvent(timeoutMilliseconds: 0))
        pending += events.dropFirst()
        return events.removeFirst()
    }

    /// The characters of a bracketed paste, up to its end (or until the terminal goes quiet
    /// for a second, should the end be lost); keys decoded inside it are left out.
    private func readPaste() -> [UInt32] {
        var codes: [UInt32] = []
        wtimeout(ptrack_stdscr(), 1000)
        while true {
            var code: wint_t = 0
            switch wget_wch(ptrack_stdscr(), &code) {
            case OK: codes.append(UInt32(truncatingIfNeeded: code))
            case KEY_CODE_YES where Int32(bitPattern: UInt32(truncatingIfNeeded: code)) != KeyDecoder.pasteEnd: continue
            default: return codes
            }
        }
    }

    /// One decoded event as ncurses reads it (a paste read whole), before an Esc is looked at.
    private func readEvent(timeoutMilliseconds: Int) -> InputEvent? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(timeoutMilliseconds))
        var wait = timeoutMilliseconds
        while true {
            wtimeout(ptrack_stdscr(), Int32(clamping: wait))
            var code: wint_t = 0
            let result = wget_wch(ptrack_stdscr(), &code)
            if result == ERR { return missedResize() }
            if let event = event(result: result, code: UInt32(truncatingIfNeeded: code)) { return event }
            if timeoutMilliseconds >= 0 {
                wait = Self.milliseconds(from: clock.now, to: deadline)
                if wait == 0 { return nil }
            }
        }
    }

    /// A resize ncurses did not report: a SIGWINCH that came before ncurses installed its
    /// handler is lost, so after each quiet wait the terminal's size is asked directly.
    private func missedResize() -> InputEvent? {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0,
              Size(width: Int(window.ws_col), height: Int(window.ws_row)) != size
        else { return nil }
        resizeterm(Int32(window.ws_row), Int32(window.ws_col))
        lastFrame = nil
        return .resize(size)
    }

    /// Decodes one `wget_wch` result; resize and mouse reports need ncurses calls.
    private func event(result: Int32, code: UInt32) -> InputEvent? {
        guard result == KEY_CODE_YES else { return KeyDecoder.decode(result: result, code: code) }
        switch Int32(bitPattern: code) {
        case KEY_RESIZE:
            lastFrame = nil
            return .resize(size)
        case KeyDecoder.pasteStart:
            return KeyDecoder.paste(readPaste())
        case KEY_MOUSE:
            var report = MEVENT()
            guard getmouse(&report) == OK else { return nil }
            return KeyDecoder.decodeMouse(buttons: report.bstate, x: Int(report.x), y: Int(report.y))
        default:
            return KeyDecoder.decode(result: result, code: code)
        }
    }

    /// Writes one cell; a character the C library cannot print (unassigned, or outside the
    /// locale's character set) becomes "?" rather than garbage, and so does one it measures
    /// otherwise than the cell's width (a C library of another Unicode version): ncurses
    /// would place it by its own measure and shift the rest of the row. A two-column cell
    /// drawn so gets "?" and a space. At the bottom-right corner `mvadd_wch` draws the
    /// character and then returns ERR because the cursor cannot move on (scrolling is
    /// off): that ERR is harmless.
    private func draw(_ cell: Cell, x: Int, y: Int) {
        let pen = pens.pen(for: cell.style)
        var characters = WideText.characters(of: cell.text)
        if ptrack_wcwidth(characters[0]) != Int32(cell.width) {
            characters = [wchar_t(0x3F), 0]
            if cell.width == 2, x + 1 < Int(getmaxx(ptrack_stdscr())) {
                draw(Cell(text: " ", width: 1, style: cell.style), x: x + 1, y: y)
            }
        }
        var character = cchar_t()
        characters.withUnsafeBufferPointer { text in
            _ = setcchar(&character, text.baseAddress, pen.attributes, pen.pair, nil)
        }
        _ = mvadd_wch(Int32(y), Int32(x), &character)
    }

    private static func milliseconds(from now: ContinuousClock.Instant, to deadline: ContinuousClock.Instant) -> Int {
        let left = now.duration(to: deadline).components
        return max(0, Int(left.seconds) * 1000 + Int(left.attoseconds / 1_000_000_000_000_000))
    }

    /// Keys arrive one by one and unechoed, Ctrl-C as a key, Esc after 25 ms (unless the user
    /// set ESCDELAY), function keys decoded, clicks and the wheel reported.
    private static func configureInput() {
        raw()
        noecho()
        nonl()
        keypad(ptrack_stdscr(), true)
        curs_set(0)
        if environment("ESCDELAY") == nil { set_escdelay(25) }
        let click = ptrack_button1_pressed() | ptrack_button1_clicked()
        mousemask(click | ptrack_button4_pressed() | ptrack_button5_pressed(), nil)
        mouseinterval(0)
        defineFallbackKeys()
    }

    /// Home and End as other terminals send them, for a `TERM` that does not match the
    /// terminal (xterm-256color inside tmux, say): otherwise Home would arrive as Esc, "[",
    /// "1", "~". Sequences the terminal description already binds are left alone.
    private static func defineFallbackKeys() {
        let keys: [(sequence: String, code: Int32)] = [
            ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME),
            ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END),
        ]
        for key in keys where key_defined(key.sequence) == 0 {
            define_key(key.sequence, key.code)
        }
        define_key("\u{1B}[200~", KeyDecoder.pasteStart)
        define_key("\u{1B}[201~", KeyDecoder.pasteEnd)
    }

    /// Starts colors when the terminal has them and creates the theme's color pairs once.
    private static func configureColors(_ theme: Theme) -> PenTable {
        guard has_colors() else {
            return PenTable(theme: theme, plan: ColorPairPlan(theme: theme, depth: .none, maxPairs: 0))
        }
        start_color()
        let defaultColors = use_default_colors() == OK
        let plan = ColorPairPlan(theme: theme, depth: ColorDepth(colors: Int(ptrack_colors())),
                                 maxPairs: Int(ptrack_color_pairs()), defaultColors: defaultColors)
        for (index, colors) in plan.pairs.enumerated() { initPair(index + 1, colors) }
        return PenTable(theme: theme, plan: plan)
    }

    /// `init_pair` where the numbers fit in a short, `init_extended_pair` for direct colors.
    private static func initPair(_ pair: Int, _ colors: ColorPairPlan.Colors) {
        if let pair = Int16(exactly: pair), let foreground = Int16(exactly: colors.foreground),
           let background = Int16(exactly: colors.background) {
            init_pair(pair, foreground, background)
        } else {
            init_extended_pair(Int32(pair), Int32(colors.foreground), Int32(colors.background))
        }
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
