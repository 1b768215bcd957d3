/// Untrusted text made safe for a Markdown document, in running text, list items, headings
/// and table cells alike.
public enum Markdown {
    /// The ASCII punctuation that can start or end markup anywhere in a line: `\` (escapes),
    /// `` ` `` (code spans), `*` `_` `~` (emphasis, strikethrough), `[` `]` (links and
    /// images; with both escaped, `!`, `(` and `)` start nothing), `<` `>` (raw HTML,
    /// autolinks, block quotes), `#` (headings and their closing run), `|` (table cells) and
    /// `&` (character references such as `&#x202E;` or `&amp;`).
    static let special = Array("\\`*_~[]<>#|&".utf8)

    /// `text` shown as on a terminal (controls as `^X`, bidirectional and invisible
    /// characters as `<U+XXXX>`, line breaks as spaces), then with a backslash before each
    /// character of ``special`` and before what would make its line a list item or a block
    /// (a leading `-` or `+`, the `.` or `)` after leading digits), so that a CommonMark
    /// renderer, with or without the table extension, shows exactly those characters.
    public static func escaped(_ text: String) -> String {
        let safe = DisplayText.sanitized(text)
        let bytes = Array(safe.utf8)
        // Where a list marker or a block could start: after up to three leading spaces.
        let lead = bytes.prefix(3).prefix { $0 == 0x20 }.count
        let digits = bytes[lead...].prefix { (0x30...0x39).contains($0) }.count
        var marker: Int?
        if lead < bytes.count, bytes[lead] == UInt8(ascii: "-") || bytes[lead] == UInt8(ascii: "+") {
            marker = lead
        } else if digits > 0, lead + digits < bytes.count, bytes[lead + digits] == UInt8(ascii: ".") || bytes[lead + digits] == UInt8(ascii: ")") {
            marker = lead + digits
        }
        // All of them are ASCII: most text has none, and is returned as it is.
        guard marker != nil || bytes.contains(where: special.contains) else { return safe }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 8)
        for (index, byte) in bytes.enumerated() {
            if index == marker || special.contains(byte) { result.append(UInt8(ascii: "\\")) }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// `text` (which holds no line break) as a code span in a table cell: fenced by one
    /// backtick more than its longest run of them, padded with a space when it starts or
    /// ends with one, and each `|` escaped, which a table row reads before the span.
    public static func code(_ text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + pad + text.replacingOccurrences(of: "|", with: "\\|") + pad + fence
    }
}
