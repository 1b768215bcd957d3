/// Untrusted text made safe for an HTML page.
enum HTML {
    /// `text` shown as on a terminal (controls as `^X`, bidirectional and invisible
    /// characters as `<U+XXXX>`, line breaks as spaces), then with `& < > " '` escaped, so it
    /// is inert in an element and in a quoted attribute.
    static func escaped(_ text: String) -> String {
        let safe = DisplayText.sanitized(text)
        // All five are ASCII: most text has none, and is returned as it is.
        guard safe.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return safe }
        var result = ""
        for scalar in safe.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#x27;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A link to `url` showing `text` when `url` is a plain `http` or `https` address (no
    /// spaces, nothing a terminal would need escaped); otherwise `text` alone, escaped.
    static func link(_ url: String, text: String) -> String {
        guard WebAddress.isHTTP(url), !url.unicodeScalars.contains(where: { DisplayText.needsEscape($0) || $0 == " " }) else { return escaped(text) }
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

    /// A page's header: a kicker above its title, then `rows` of name and value (already
    /// marked up), and, given a provenance, its filters and the data's digest.
    static func header(kicker: String, title: String, rows: [(String, String)], provenance: Provenance?) -> String {
        var rows = rows
        if let provenance {
            rows += [("Filters", escaped(provenance.filters)),
                     ("Data", "SHA-256 <code class=\"digest\">\(provenance.dataSHA256)</code> (<a href=\"#provenance\">provenance</a>)")]
        }
        return "<header>\n<p class=\"kicker\">\(kicker)</p>\n<h1>\(title)</h1>\n"
            + "<dl class=\"provenance\">\n" + rows.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>\n" }.joined() + "</dl>\n</header>\n"
    }

    /// Each catalog as its title, id and version, one to a line.
    static func catalogs(_ catalogs: [Catalog]) -> String {
        catalogs.map { "\(escaped($0.title)) <span class=\"muted\">(\(escaped($0.id)), version \(escaped($0.version)))</span>" }
            .joined(separator: "<br>")
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

    /// One item's status changes as a table: date, move, note, `evidence` (the source,
    /// cited or linked), and with `changeIds` the change id.
    static func changes(of id: String, _ transitions: [Transition], evidence: (Change) -> String, changeIds: Bool) -> String {
        let rows = transitions.map { transition in
            let change = transition.change
            return "<tr><td class=\"date\">\(change.happened.text)</td><td>\(move(from: transition.from, to: transition.to))</td>"
                + "<td>\(escaped(change.note ?? ""))</td><td>\(evidence(change))\(byline(change))</td>"
                + (changeIds ? "<td><code>\(escaped(change.changeId))</code></td>" : "") + "</tr>"
        }
        return table(caption: "Status changes of \(escaped(id))", head: ["Date", "Change", "Note", "Evidence"] + (changeIds ? ["Change id"] : []),
                     numeric: [], rows: rows)
    }

    /// The provenance as a section: each field under its name, as `ptrack verify` reads it
    /// back (see ``Provenance/parse(_:path:)``).
    static func provenance(_ provenance: Provenance?) -> String {
        guard let provenance else { return "" }
        let rows = provenance.fields.map { field in
            let value = field.name.hasSuffix("sha256") ? "<code>\(escaped(field.value))</code>" : escaped(field.value)
            return "<tr><th scope=\"row\">\(field.name)</th><td>\(value)</td></tr>"
        }
        return section("provenance", "Provenance",
                       lead: "This page was built from the data these digests identify: SHA-256 of <code>catalog.json</code> followed by <code>changes.jsonl</code>. <code>ptrack verify FILE</code> checks that the tracker still holds it.")
            + table(caption: "What the page was built from", head: ["Field", "Value"], numeric: [], rows: rows) + "</section>\n"
    }

    /// Who recorded a change, as a space and ` by Name` in small print; empty without an author.
    static func byline(_ change: Change) -> String {
        change.author.map { " <small>by \(escaped($0))</small>" } ?? ""
    }

    /// A change's quote as a space and an inline quotation; empty without one.
    static func quotation(_ quote: String?) -> String {
        quote.map { " <q>\(escaped($0))</q>" } ?? ""
    }

    /// A status change as badges: `from → to`, or `still S` for new evidence of the same status.
    static func move(from: Status, to: Status) -> String {
        from == to ? "still " + badge(to) : badge(from) + " <span aria-label=\"to\">→</span> " + badge(to)
    }
}
