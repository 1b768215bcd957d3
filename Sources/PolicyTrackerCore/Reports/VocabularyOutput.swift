/// What `ptrack vocabulary list` prints: each catalog's actors, categories and horizons.
public enum VocabularyOutput {
    /// Per catalog, per list, one term a line: id, then name, short label and aliases when
    /// they say more. Every text is made safe for the terminal.
    public static func text(_ catalogs: [Catalog]) -> String {
        var lines: [String] = []
        for catalog in catalogs {
            lines.append("\(DisplayText.sanitized(catalog.id)) — \(DisplayText.sanitized(catalog.title))")
            for list in VocabularyList.allCases {
                let terms = catalog.vocabulary[list]
                lines.append("  \(list.rawValue) (\(terms.count))")
                let width = min(24, terms.map { DisplayText.width(DisplayText.sanitized($0.id)) }.max() ?? 0)
                for term in terms { lines.append("    " + line(term, idWidth: width)) }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func line(_ term: Term, idWidth: Int) -> String {
        var parts: [String] = []
        if term.name != term.id { parts.append(DisplayText.sanitized(term.name)) }
        if !term.short.isEmpty { parts.append("short " + DisplayText.sanitized(term.short)) }
        if !term.aliases.isEmpty { parts.append("also " + term.aliases.map(DisplayText.sanitized).joined(separator: ", ")) }
        let shown = DisplayText.sanitized(term.id)
        let id = DisplayText.width(shown) >= idWidth ? shown : DisplayText.padded(shown, to: idWidth)
        return (id + "  " + parts.joined(separator: "; ")).trimmingCharacters(in: .whitespaces)
    }

    /// `{"schemaVersion": …, "catalogs": [{"id", "title", "vocabulary": {…}}]}`, the
    /// vocabulary as `catalog.json` holds it.
    public static func json(_ catalogs: [Catalog]) -> String {
        JSONWriter.pretty(.object([
            "schemaVersion": .int(SchemaVersion.current),
            "catalogs": .array(catalogs.map { catalog in
                .object(["id": .string(catalog.id), "title": .string(catalog.title), "vocabulary": VocabularyFormat.encode(catalog.vocabulary)])
            }),
        ]), escaping: .terminal)
    }
}
