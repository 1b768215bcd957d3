import CNcursesw
import PolicyTrackerApp

/// Turns what `wget_wch` and `getmouse` return into ``InputEvent``s. Pure: the terminal
/// handles `KEY_RESIZE` and `KEY_MOUSE` itself, since they need ncurses calls.
public enum KeyDecoder {
    /// The event for one `wget_wch` call: `result` is `OK` (a character in `code`),
    /// `KEY_CODE_YES` (a key code in `code`) or `ERR` (nothing). Nil for `ERR` and for
    /// characters and key codes the browser has no use for.
    public static func decode(result: Int32, code: UInt32) -> InputEvent? {
        switch result {
        case OK: character(code).map(InputEvent.key)
        case KEY_CODE_YES: keyCodes[Int32(bitPattern: code)].map(InputEvent.key)
        default: nil
        }
    }

    /// The event for a mouse report: button 1 pressed or clicked is a press, buttons 4 and
    /// 5 the wheel. Nil for other buttons and for releases.
    public static func decodeMouse(buttons: mmask_t, x: Int, y: Int) -> InputEvent? {
        let kind: MouseEvent.Kind
        if buttons & ptrack_button4_pressed() != 0 {
            kind = .wheelUp
        } else if buttons & ptrack_button5_pressed() != 0 {
            kind = .wheelDown
        } else if buttons & (ptrack_button1_pressed() | ptrack_button1_clicked()) != 0 {
            kind = .press
        } else {
            return nil
        }
        return .mouse(MouseEvent(kind: kind, x: x, y: y))
    }

    /// The key codes the terminal is told to report for the start and the end of a
    /// bracketed paste (`ESC [ 200 ~`, `ESC [ 201 ~`): past ncurses' own codes.
    public static let pasteStart = KEY_MAX + 1
    public static let pasteEnd = KEY_MAX + 2

    /// What an Esc read as a character was, given the event that came at once after it
    /// (nil when none did): a character or Backspace makes it an Alt key; anything else
    /// leaves a lone Esc, then that event.
    public static func afterEscape(_ next: InputEvent?) -> [InputEvent] {
        switch next {
        case nil: [.key(.escape)]
        case .key(.character(let character)): [.key(.alt(character))]
        case .key(.backspace): [.key(.alt("\u{7F}"))]
        case let event?: [.key(.escape), event]
        }
    }

    /// The characters read between the two ends of a bracketed paste as one event, the text
    /// as it came (values that are not Unicode scalars left out); the prompts make it safe.
    public static func paste(_ codes: [UInt32]) -> InputEvent {
        var text = ""
        text.unicodeScalars.append(contentsOf: codes.compactMap(Unicode.Scalar.init))
        return .key(.paste(text))
    }

    /// A character as typed: control characters become named keys or `.control`; other C0
    /// and C1 controls and values that are not Unicode scalars give nil.
    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 0x0D, 0x0A: .enter
        case 0x09: .tab
        case 0x1B: .escape
        case 0x7F, 0x08: .backspace
        case 1...26: .control(Character(Unicode.Scalar(UInt8(0x60 + code))))
        case 0..<0x20, 0x80..<0xA0: nil
        default: Unicode.Scalar(code).map { .character(Character($0)) }
        }
    }

    /// ncurses key codes (with `keypad` on) and the keys they stand for. The keypad's
    /// corner keys A1, A3, C1 and C3 are Home, PgUp, End and PgDn.
    static let keyCodes: [Int32: Key] = {
        var codes: [Int32: Key] = [
            KEY_UP: .up, KEY_DOWN: .down, KEY_LEFT: .left, KEY_RIGHT: .right,
            KEY_PPAGE: .pageUp, KEY_NPAGE: .pageDown, KEY_HOME: .home, KEY_END: .end,
            KEY_A1: .home, KEY_A3: .pageUp, KEY_C1: .end, KEY_C3: .pageDown,
            KEY_ENTER: .enter, KEY_BTAB: .backTab, KEY_BACKSPACE: .backspace, KEY_DC: .delete,
        ]
        for number in 1...12 { codes[ptrack_key_f(Int32(number))] = .function(number) }
        return codes
    }()
}
