/// Untrusted text made safe for an HTML page.
enum HTML {
    /// `text` shown as on a terminal (controls as `^X`, bidirectional and invisible
    /// characters as `<U+XXXX>`, line breaks as spaces), then with `& < > " '` escaped, so it
    /// is inert in an element and in a quoted attribute.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in DisplayText.sanitized(text) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#x27;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A link to `url` showing `text` when `url` is a plain `http` or `https` address (no
    /// spaces, nothing a terminal would need escaped); otherwise `text` alone, escaped.
    static func link(_ url: String, text: String) -> String {
        let lowered = url.lowercased()
        let isWeb = lowered.hasPrefix("https://") || lowered.hasPrefix("http://")
        guard isWeb, !url.unicodeScalars.contains(where: { DisplayText.needsEscape($0) || $0 == " " }) else { return escaped(text) }
        return "<a href=\"\(escaped(url))\">\(escaped(text))</a>"
    }

    /// A status in a word on a colored edge: the word carries the meaning, the color repeats it.
    static func badge(_ status: Status) -> String {
        "<span class=\"badge s-\(status.rawValue)\">\(status.rawValue)</span>"
    }
}
