import CNcursesw
import PolicyTrackerCore

/// A cell's text as `setcchar` takes it.
public enum WideText {
    /// All scalars of the grapheme cluster `text` (a spacing character and the combining
    /// marks on it), at most `CCHARW_MAX`, then a terminating 0. Control characters, which
    /// would move the cursor or reach the terminal raw, become U+FFFD; empty text a space.
    /// A request for emoji presentation (U+FE0F) after a one-column character is left out:
    /// `wcwidth`, and so ncurses, gives such a cluster one column, but a terminal that
    /// honours the request draws two and pushes the rest of the row right.
    public static func characters(of text: String) -> [wchar_t] {
        let scalars = text.unicodeScalars
        let narrow = scalars.first.map { DisplayText.width(of: $0) < 2 } ?? true
        var characters = scalars.filter { !(narrow && $0.value == 0xFE0F) }.prefix(Int(CCHARW_MAX)).map { scalar in
            wchar_t(isControl(scalar) ? 0xFFFD : scalar.value)
        }
        if characters.isEmpty { characters.append(wchar_t(0x20)) }
        characters.append(0)
        return characters
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }
}
