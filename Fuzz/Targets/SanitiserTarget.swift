import PolicyTrackerCore

/// `DisplayText`: sanitised text holds none of the code points the sanitiser promises to
/// replace, sanitising twice changes nothing, and cutting, padding and wrapping keep to
/// their widths. The first byte of an input is a column count, the rest is the text.
enum SanitiserTarget {
    static func check(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let columns = Int(first % 64)
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        let clean = DisplayText.sanitized(text)
        invariant(isSafe(clean), "sanitised text holds a forbidden code point: \(scalars(clean))")
        invariant(clean.unicodeScalars.elementsEqual(DisplayText.sanitized(clean).unicodeScalars), "sanitising twice changes the text")
        // A joiner between emoji is kept only inside one grapheme cluster, which this check
        // does not model: text holding one is left to the first invariant.
        if isSafe(text), !text.unicodeScalars.contains("\u{200D}") {
            invariant(clean.unicodeScalars.elementsEqual(text.unicodeScalars), "safe text was changed")
        }
        checkWidths(text, columns: columns)
    }

    /// Cut text fits its columns, padded text fills them exactly, and wrapped lines are
    /// safe and fit theirs (a grapheme cluster is at most two columns wide, so a line of
    /// fewer columns may hold one that does not fit).
    static func checkWidths(_ text: String, columns: Int) {
        invariant(DisplayText.width(DisplayText.truncated(text, to: columns)) <= columns, "cut text is too wide")
        invariant(DisplayText.width(DisplayText.padded(text, to: columns)) == columns, "padded text has the wrong width")
        for line in DisplayText.wrapped(text, to: columns) {
            invariant(isSafe(line), "a wrapped line holds a forbidden code point: \(scalars(line))")
            invariant(DisplayText.width(line) <= max(columns, 2), "a wrapped line is too wide: \(scalars(line))")
        }
    }

    /// True when `text` holds none of what the sanitiser replaces: C0 controls (tabs and
    /// line breaks included, which become spaces), DEL, C1 controls, the bidirectional
    /// embeddings, overrides, isolates and marks, the zero-width characters, the word joiner
    /// and invisible operators, the line and paragraph separators and the byte order mark. A
    /// zero-width joiner is allowed before an emoji (it joins an emoji sequence). The
    /// prepended concatenation marks are replaced too.
    static func isSafe(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return scalars.indices.allSatisfy { index in
            switch scalars[index].value {
            case 0x200D: index + 1 < scalars.count && scalars[index + 1].properties.isEmoji
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069,
                 0xFEFF: false
            // The prepended concatenation marks, which join the next character into one
            // cluster that curses would draw as the mark alone.
            case 0x0600...0x0605, 0x06DD, 0x070F, 0x0890...0x0891, 0x08E2, 0x110BD, 0x110CD: false
            default: true
            }
        }
    }

    private static func scalars(_ text: String) -> String {
        text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
