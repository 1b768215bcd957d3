/// Measuring and cleaning text for fixed-width output.
///
/// Widths are computed here rather than with libc `wcwidth`, so layout does not depend on
/// the locale, but they are the widths `wcwidth` gives in a UTF-8 locale, which ncurses
/// places characters by: tables generated from the Unicode Character Database
/// (``unicodeVersion``, in `WidthTables.swift`) by the GNU C library's rules. East Asian
/// wide and fullwidth characters (emoji presentation among them) take two columns,
/// combining marks and format characters none; a grapheme cluster counts once.
/// `docs/architecture.md` ("Display widths") lists where `wcwidth` differs and why.
public enum DisplayText {
    /// Columns `text` occupies on a terminal.
    public static func width(_ text: String) -> Int {
        // Printable ASCII is one column a byte; only other text needs grapheme clusters.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        return text.reduce(0) { $0 + width(of: $1) }
    }

    /// Columns one grapheme cluster occupies: those of its first scalar that has a width.
    /// That is its base character, which ncurses draws the cluster's marks on. A variation
    /// selector asking for emoji presentation (U+FE0F) adds nothing, as for `wcwidth`: the
    /// browser draws such a cluster in text presentation (see `WideText`).
    public static func width(of character: Character) -> Int {
        for scalar in character.unicodeScalars {
            let columns = width(of: scalar)
            if columns > 0 { return columns }
        }
        return 0
    }

    /// Columns one scalar takes on its own: 0, 1 or 2. Controls count 0 (``sanitized(_:)``
    /// shows them before anything is measured); unassigned code points count 1.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value >= 0x20, value < 0x7F { return 1 }
        if contains(value, in: zeroWidthRanges) { return 0 }
        return contains(value, in: wideRanges) ? 2 : 1
    }

    /// Binary search of `ranges`, pairs of inclusive bounds in ascending order.
    public static func contains(_ value: UInt32, in ranges: [UInt32]) -> Bool {
        var low = 0
        var high = ranges.count / 2
        while low < high {
            let middle = (low + high) / 2
            if value < ranges[2 * middle] {
                high = middle
            } else if value > ranges[2 * middle + 1] {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    /// `text` made safe to print on a terminal: control characters (which could move the
    /// cursor, erase lines or overwrite what was printed) are shown as `^X`, and C1 controls
    /// and the characters that reorder text or hide themselves (bidirectional controls,
    /// zero-width characters, line and paragraph separators) as `<U+XXXX>`. Tabs and line
    /// breaks (`\n`, `\r\n`) become spaces, so one record stays on one line; a lone `\r`,
    /// which would overwrite the line, shows as `^M`. A zero-width joiner inside an emoji
    /// sequence (👩‍💻) joins glyphs a terminal draws, and is kept. Sanitising sanitised text
    /// changes nothing.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        // Escaping a character can take a joiner after it out of the emoji sequence it was
        // kept in (`👧`, U+200C, U+200D, `👩` becomes `👧<U+200C>`, U+200D, `👩`), so the
        // text is escaped again until nothing changes. Each pass only turns escaped scalars
        // into ASCII, so this ends, after a second pass in all but such text.
        var current = text
        while true {
            let next = escapedOnce(current)
            if next.unicodeScalars.elementsEqual(current.unicodeScalars) { return current }
            current = next
        }
    }

    /// One pass of ``sanitized(_:)``: each scalar that needs it escaped, a joiner inside an
    /// emoji sequence kept.
    private static func escapedOnce(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for character in text {
            guard character != "\r\n" else { result.append(" "); continue }
            let scalars = character.unicodeScalars
            for index in scalars.indices {
                let scalar = scalars[index]
                if !needsEscape(scalar) || joinsEmoji(at: index, in: scalars) {
                    result.append(scalar)
                } else {
                    result.append(contentsOf: replacement(for: scalar).unicodeScalars)
                }
            }
        }
        return String(result)
    }

    /// True when the scalar at `index` is a zero-width joiner that goes on, in the same
    /// grapheme cluster, with an emoji: a terminal draws the sequence as one glyph.
    private static func joinsEmoji(at index: String.UnicodeScalarView.Index, in scalars: String.UnicodeScalarView) -> Bool {
        guard scalars[index] == "\u{200D}" else { return false }
        let next = scalars.index(after: index)
        return next != scalars.endIndex && scalars[next].properties.isEmoji
    }

    /// True for what must not reach a terminal as it is: C0 and C1 controls and DEL, the
    /// bidirectional controls (which reorder what follows), the zero-width and separator
    /// characters (which hide in text or break lines), and the prepended concatenation
    /// marks (U+0600 and the like), which join the character after them into one glyph
    /// that neither `wcwidth` nor ncurses can place.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: true
        default: isPrependedConcatenationMark(scalar)
        }
    }

    /// U+0600-U+0605, U+06DD, U+070F, U+0890-U+0891, U+08E2, U+110BD and U+110CD: the
    /// Prepended_Concatenation_Mark property of Unicode 14.0 (ptrack counts them 0 columns,
    /// `wcwidth` 1).
    public static func isPrependedConcatenationMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0600...0x0605, 0x06DD, 0x070F, 0x0890...0x0891, 0x08E2, 0x110BD, 0x110CD: true
        default: false
        }
    }

    /// How ``sanitized(_:)`` shows one character ``needsEscape(_:)`` names.
    private static func replacement(for scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09, 0x0A: " "
        case 0x00..<0x20: "^" + String(UnicodeScalar(UInt8(scalar.value + 0x40)))
        case 0x7F: "^?"
        default: "<U+" + String(scalar.value, radix: 16, uppercase: true) + ">"
        }
    }

    /// `text` cut to at most `columns` columns, ending in `…` when cut.
    public static func truncated(_ text: String, to columns: Int) -> String {
        guard width(text) > columns else { return text }
        guard columns > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let next = width(of: character)
            if used + next > columns - 1 { break }
            result.append(character)
            used += next
        }
        return result + "…"
    }

    /// `text` in double quotes for a message, cut to 60 columns: a value read from a file
    /// may be megabytes long.
    public static func quoted(_ text: String) -> String {
        "\"" + truncated(text, to: 60) + "\""
    }

    /// The end of `text` that fits in `columns` columns (the whole text when it fits).
    public static func suffix(of text: String, columns: Int) -> String {
        var result: [Character] = []
        var used = 0
        for character in text.reversed() {
            used += width(of: character)
            if used > columns { break }
            result.append(character)
        }
        return String(result.reversed())
    }

    /// `text` padded with spaces to `columns` columns (cut first when longer).
    public static func padded(_ text: String, to columns: Int) -> String {
        let cut = truncated(text, to: columns)
        return cut + String(repeating: " ", count: max(0, columns - width(cut)))
    }

    /// `text` after as many spaces as bring it to `columns` columns (never cut): a number
    /// right-aligned in its column.
    public static func rightAligned(_ text: String, to columns: Int) -> String {
        String(repeating: " ", count: max(0, columns - width(text))) + text
    }
}

extension DisplayText {
    /// `text` sanitised and broken into lines of at most `columns` columns at spaces; a
    /// word wider than a line (a Japanese or Chinese sentence has no spaces) is broken
    /// between glyphs, never cut off.
    public static func wrapped(_ text: String, to columns: Int) -> [String] {
        let limit = max(1, columns)
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in sanitized(text).split(separator: " ", omittingEmptySubsequences: true) {
            let wordWidth = width(String(word))
            if lineWidth > 0, lineWidth + 1 + wordWidth <= limit {
                line += " " + word
                lineWidth += 1 + wordWidth
                continue
            }
            if lineWidth > 0 { lines.append(line) }
            (line, lineWidth) = ("", 0)
            for character in word {
                let characterWidth = width(of: character)
                if lineWidth + characterWidth > limit, lineWidth > 0 {
                    lines.append(line)
                    (line, lineWidth) = ("", 0)
                }
                line.append(character)
                lineWidth += characterWidth
            }
        }
        if lineWidth > 0 || !line.isEmpty { lines.append(line) }
        return lines
    }
}
