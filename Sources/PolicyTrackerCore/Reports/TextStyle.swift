/// Colors for text output, as ANSI escape sequences, or nothing at all when disabled
/// (output not to a terminal, or `NO_COLOR` set). Meaning never rests on color alone:
/// every status is also written out in words.
public struct TextStyle: Sendable {
    public var isEnabled: Bool

    public init(enabled: Bool) { isEnabled = enabled }

    /// `text` in the color of `status`.
    public func status(_ status: Status, _ text: String) -> String {
        wrap(text, code: Self.statusCodes[status]!)
    }

    public func bold(_ text: String) -> String { wrap(text, code: "1") }
    public func dim(_ text: String) -> String { wrap(text, code: "2") }

    private func wrap(_ text: String, code: String) -> String {
        isEnabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static let statusCodes: [Status: String] = [
        .notStarted: "2", .inProgress: "33", .partial: "36", .implemented: "32", .stalled: "35", .reversed: "31",
    ]

    /// The glyph that stands for a status in stacked bars (so bars read without color).
    public static let glyphs: [Status: Character] = [
        .implemented: "█", .partial: "▓", .inProgress: "▒", .notStarted: "░", .stalled: "╌", .reversed: "×",
    ]

    /// A bar `width` columns wide for a share in 0...1, in eighths of a column.
    public static func bar(_ share: Double, width: Int) -> String {
        let eighths = Int((share * Double(width) * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        let full = String(repeating: "█", count: eighths / 8)
        return full + partial
    }
}

/// Writes values as RFC 4180 CSV: fields quoted when they hold a comma, quote or line break;
/// lines end in CRLF, as the RFC says.
public enum CSV {
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        // Scalars, not characters: "\r\n" is one character, equal to neither "\r" nor "\n".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
