/// A key press, decoded by a backend.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// A control character: `.control("c")` is Ctrl-C.
    case control(Character)
    case function(Int)
    /// A character typed with Alt (sent as Esc and the character at once): `.alt("b")` is
    /// Alt-b, `.alt("\u{7F}")` Alt-Backspace.
    case alt(Character)
    /// Text pasted while the terminal brackets pastes, as it came: one event, so nothing
    /// in it acts as a key.
    case paste(String)

    /// How help and `docs/keys.md` write the key.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .control(let character): "Ctrl-" + String(character).uppercased()
        case .function(let number): "F\(number)"
        case .alt("\u{7F}"): "Alt-Backspace"
        case .alt(let character): "Alt-" + String(character)
        case .paste: "Paste"
        }
    }
}

/// A mouse action at a cell.
public struct MouseEvent: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case press, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// Something that happened at the terminal.
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(Size)
}

/// The terminal as the runtime sees it. The ncursesw backend is the real one; tests use a
/// backend that replays events and keeps the frames it was given.
public protocol TerminalBackend: AnyObject {
    /// The current size.
    var size: Size { get }
    /// Draws `buffer` (the backend may draw only what changed).
    func present(_ buffer: Buffer)
    /// The next event, or nil when `timeoutMilliseconds` pass without one.
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
    /// True once SIGTERM, SIGHUP or SIGINT asked the program to end.
    var terminationRequested: Bool { get }
    /// Runs `body` with the terminal handed back as the shell had it (normal screen, cursor
    /// shown, keys echoed and read by line), for a program the browser runs in it; then
    /// takes it back at its size by then, and draws the next frame in full.
    func suspend<Value>(_ body: () -> Value) -> Value
    /// Puts `text` on the clipboard of the terminal the browser runs in, wherever that is
    /// (over SSH, inside tmux): the ncursesw backend sends it as OSC 52 after its next frame.
    func copyToClipboard(_ text: String)
}
