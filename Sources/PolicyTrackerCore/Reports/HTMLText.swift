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

    /// A whole page: `body` (sections already marked up) under a head holding `title` and
    /// the style sheet, then `footer`.
    static func document(title: String, body: String, footer: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<meta name=\"color-scheme\" content=\"light dark\">\n"
            + "<title>\(title)</title>\n<style>\n\(HTMLStyle.sheet)</style>\n</head>\n<body>\n"
            + body + "<footer><p>\(footer)</p></footer>\n</body>\n</html>\n"
    }

    /// The opening of a section: its heading (which labels it) and a lead paragraph.
    static func section(_ id: String, _ heading: String, lead: String) -> String {
        "<section id=\"\(id)\" aria-labelledby=\"\(id)-heading\">\n<h2 id=\"\(id)-heading\">\(heading)</h2>\n<p class=\"lead\">\(lead)</p>\n"
    }

    /// A table with a caption, column headers and `rows` (already marked up); the columns
    /// numbered in `numeric` are right-aligned. An empty table says "None.".
    static func table(caption: String, head: [String], numeric: [Int], rows: [String]) -> String {
        guard !rows.isEmpty else { return "<p class=\"none\">None.</p>\n" }
        let headers = head.enumerated().map { index, text in
            "<th scope=\"col\"\(numeric.contains(index) ? " class=\"num\"" : "")>\(escaped(text))</th>"
        }
        return "<table>\n<caption>\(caption)</caption>\n<thead><tr>\(headers.joined())</tr></thead>\n<tbody>\n"
            + rows.joined(separator: "\n") + "\n</tbody>\n</table>\n"
    }

    /// A status change as badges: `from → to`, or `still S` for new evidence of the same status.
    static func move(from: Status, to: Status) -> String {
        from == to ? "still " + badge(to) : badge(from) + " <span aria-label=\"to\">→</span> " + badge(to)
    }
}
