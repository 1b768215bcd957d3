/// What `ptrack import` says it did (or, with `--dry-run`, would do).
public enum ImportReport {
    /// A few lines a person reads: what was added, what was already there, and which items
    /// the file describes otherwise than the tracker (kept as the tracker has them).
    public static func text(_ summary: ImportSummary, file: String, directory: String, written: Bool) -> String {
        let lead = written ? "Imported \(DisplayText.quoted(file)) into \(DisplayText.quoted(directory))"
            : "Would import \(DisplayText.quoted(file)) into \(DisplayText.quoted(directory)) (dry run: nothing written)"
        var lines = [lead + ":"]
        lines.append("  catalogs:        \(counted(summary.catalogsAdded, "added")), \(summary.catalogsDiffering.count) differing, kept")
        lines.append("  sources:         \(counted(summary.sourcesAdded, "added")), \(summary.sourcesDiffering.count) differing, kept")
        lines.append("  recommendations: \(summary.itemsAdded.count) added, \(summary.itemsUnchanged) already there, \(summary.itemsDiffering.count) differing, kept")
        lines.append("  changes:         \(summary.changesAdded) added, \(summary.changesPresent) already in the log")
        if !summary.vocabularyAdded.isEmpty { lines.append("  vocabulary:      \(counted(summary.vocabularyAdded, "added"))") }
        for catalog in summary.defaultsDeclined {
            lines.append("note: catalog \(DisplayText.quoted(catalog)) is marked default in the file; the tracker keeps its default catalog")
        }
        for difference in summary.itemsDiffering.prefix(20) {
            lines.append("note: \(difference.id): the file's \(difference.fields.joined(separator: ", ")) differ; kept the tracker's (use ptrack edit to change them)")
        }
        if summary.itemsDiffering.count > 20 { lines.append("note: … and \(summary.itemsDiffering.count - 20) more items differ") }
        return lines.map(DisplayText.sanitized).joined(separator: "\n") + "\n"
    }

    /// The summary for scripts.
    public static func json(_ summary: ImportSummary, file: String, written: Bool) -> JSONValue {
        func ids(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        return .object([
            "file": .string(file), "written": .bool(written),
            "catalogs": .object(["added": ids(summary.catalogsAdded), "differing": ids(summary.catalogsDiffering),
                                 "defaultDeclined": ids(summary.defaultsDeclined)]),
            "sources": .object(["added": ids(summary.sourcesAdded), "differing": ids(summary.sourcesDiffering)]),
            "recommendations": .object([
                "added": ids(summary.itemsAdded), "unchanged": .int(summary.itemsUnchanged),
                "differing": .array(summary.itemsDiffering.map { .object(["id": .string($0.id), "fields": ids($0.fields)]) }),
            ]),
            "changes": .object(["added": .int(summary.changesAdded), "present": .int(summary.changesPresent)]),
            "vocabulary": .object(["added": ids(summary.vocabularyAdded)]),
        ])
    }

    private static func counted(_ ids: [String], _ what: String) -> String {
        ids.isEmpty ? "0 \(what)" : "\(ids.count) \(what) (\(ids.prefix(5).joined(separator: ", "))\(ids.count > 5 ? ", …" : ""))"
    }
}
