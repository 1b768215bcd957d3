/// Measuring and cleaning text for fixed-width output.
///
/// Widths are computed here rather than with libc `wcwidth`, so layout does not depend on
/// the locale: grapheme clusters count once, East Asian wide and fullwidth characters (and
/// emoji) take two columns, combining marks and zero-width characters none.
public enum DisplayText {
    /// Columns `text` occupies on a terminal.
    public static func width(_ text: String) -> Int {
        // Printable ASCII is one column a byte; only other text needs grapheme clusters.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        return text.reduce(0) { $0 + width(of: $1) }
    }

    /// Columns one grapheme cluster occupies: those of its first scalar that has a width.
    /// That is its base character, or what follows a prepended mark such as U+0600, which
    /// joins the next character (a space that pads it, say) into one cluster.
    public static func width(of character: Character) -> Int {
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        guard let base = character.unicodeScalars.first(where: { !isZeroWidth($0) }) else { return 0 }
        return isWide(base) ? 2 : 1
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: true
        default: scalar.value == 0x200B
        }
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges, and emoji presentation.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if scalar.properties.isEmojiPresentation { return true }
        return (0x1100...0x115F).contains(value) || (0x2E80...0x303E).contains(value)
            || (0x3041...0x33FF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x4E00...0x9FFF).contains(value) || (0xA000...0xA4CF).contains(value)
            || (0xA960...0xA97F).contains(value) || (0xAC00...0xD7A3).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value)
            || (0xFF00...0xFF60).contains(value) || (0xFFE0...0xFFE6).contains(value)
            || (0x20000...0x3FFFD).contains(value)
    }

    /// `text` made safe to print on a terminal: control characters (which could move the
    /// cursor, erase lines or overwrite what was printed) are shown as `^X`, and characters
    /// that reorder text (bidirectional overrides and isolates) or C1 controls as `<U+XXXX>`.
    /// Line breaks and tabs become spaces, so one record stays on one line.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else { result.append(scalar); continue }
            let replacement: String
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: replacement = " "
            case 0x00..<0x20: replacement = "^" + String(UnicodeScalar(UInt8(scalar.value + 0x40)))
            case 0x7F: replacement = "^?"
            default: replacement = "<U+" + String(scalar.value, radix: 16, uppercase: true) + ">"
            }
            result.append(contentsOf: replacement.unicodeScalars)
        }
        return String(result)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F || value == 0x061C
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

    /// `text` padded with spaces to `columns` columns (cut first when longer).
    public static func padded(_ text: String, to columns: Int) -> String {
        let cut = truncated(text, to: columns)
        return cut + String(repeating: " ", count: max(0, columns - width(cut)))
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
