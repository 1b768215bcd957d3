import Foundation

/// The formats `ptrack report` writes.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, markdown, json, csv, html
}

extension StatusReport {
    /// Writes the report in `format`; `style` colors text output only.
    public func write(_ format: ReportFormat, style: TextStyle, to output: inout some TextOutputStream) {
        switch format {
        case .text: writeText(style: style, to: &output)
        case .markdown: writeMarkdown(to: &output)
        case .json: output.write(JSONWriter.pretty(json, escaping: .terminal))
        case .csv: writeCSV(to: &output)
        case .html: HTMLReport(report: self).write(to: &output)
        }
    }

    var catalogNames: String { catalogs.names }

    // MARK: Text

    func writeText(style: TextStyle, to output: inout some TextOutputStream) {
        output.write(style.bold("Status report as of \(asOf.text)") + " — \(overall.total) recommendations\n")
        output.write(style.dim("\(DisplayText.sanitized(catalogNames)); generated \(generated.text)") + "\n\n")
        output.write(style.bold("Overall") + "\n")
        for status in Status.allCases {
            let share = overall.share(status)
            output.write("  " + style.status(status, DisplayText.padded(status.rawValue, to: 12))
                + " " + DisplayText.padded(TextStyle.bar(share, width: 24), to: 24)
                + String(format: " %4d %4.0f%%\n", overall.count(status), share * 100))
        }
        writeGroups("By category", byCategory, style: style, to: &output)
        writeGroups("By actor", byActor, style: style, to: &output)
        output.write("\n" + style.bold("Recent changes") + "\n")
        if recent.isEmpty { output.write("  none\n") }
        for transition in recent {
            let change = transition.change
            output.write("  \(DisplayText.padded(change.happened.text, to: 10))  \(DisplayText.sanitized(change.recommendationId))  "
                + transition.text(style: style) + "\n")
            if let note = change.note, !note.isEmpty {
                output.write("              " + style.dim(DisplayText.truncated(DisplayText.sanitized(note), to: 100)) + "\n")
            }
        }
        output.write("\n" + style.bold("Stalled or reversed") + "\n")
        if attention.isEmpty { output.write("  none\n") }
        for item in attention {
            output.write("  " + style.status(item.status, DisplayText.padded(item.status.rawValue, to: 9))
                + "  since \(DisplayText.padded(item.since?.text ?? "—", to: 10))  \(DisplayText.sanitized(item.id)): "
                + DisplayText.sanitized(item.recommendation.title) + "\n")
        }
        writeTextAppendix(style: style, to: &output)
        output.write("\n" + style.dim("Bars: " + Status.allCases.map { "\(TextStyle.glyphs[$0]!) \($0.rawValue)" }.joined(separator: " ")) + "\n")
        provenance?.writeText(style: style, to: &output)
    }

    /// A table of `groups` under `heading` that keeps within 80 columns (see ``GroupTable``).
    private func writeGroups(_ heading: String, _ groups: [GroupTally], style: TextStyle, to output: inout some TextOutputStream) {
        let table = GroupTable(groups)
        output.write("\n" + table.heading(heading, style: style) + "\n")
        for group in groups { output.write(table.row(group, style: style) + "\n") }
    }

    // MARK: Markdown

    func writeMarkdown(to output: inout some TextOutputStream) {
        output.write("# Status report as of \(asOf.text)\n\n")
        output.write("\(Markdown.escaped(catalogNames)). \(overall.total) recommendations; generated \(generated.text).\n\n")
        output.write("## Overall\n\n| Status | Count | Share |\n| --- | ---: | ---: |\n")
        for status in Status.allCases {
            output.write("| \(status.rawValue) | \(overall.count(status)) | \(percent(overall.share(status))) |\n")
        }
        writeMarkdownGroups("By category", "Category", byCategory, to: &output)
        writeMarkdownGroups("By actor", "Actor", byActor, to: &output)
        writeMarkdownChecklist(to: &output)
        output.write("\n## Recent changes\n\n")
        if recent.isEmpty { output.write("None.\n") }
        for transition in recent {
            let change = transition.change
            output.write("- **\(change.happened.text)** `\(change.recommendationId)`: " + transition.text(style: TextStyle(enabled: false)))
            output.write(markdownDetails(note: change.note, source: nil) + "\n")
        }
        output.write("\n## Stalled or reversed\n\n")
        if attention.isEmpty { output.write("None.\n") }
        for item in attention {
            output.write("- `\(item.id)` \(Markdown.escaped(item.recommendation.title)): **\(item.status.rawValue)** since \(item.since?.text ?? "—")\n")
        }
        writeMarkdownAppendix(to: &output)
        provenance?.writeMarkdown(to: &output)
    }

    private func writeMarkdownGroups(_ heading: String, _ column: String, _ groups: [GroupTally], to output: inout some TextOutputStream) {
        output.write("\n## \(heading)\n\n| \(column) | Total | " + Status.allCases.map(\.rawValue).joined(separator: " | ") + " |\n")
        output.write("| --- | ---: |" + String(repeating: " ---: |", count: Status.allCases.count) + "\n")
        for group in groups {
            output.write("| \(Markdown.escaped(group.name)) | \(group.tally.total) | "
                + Status.allCases.map { "\(group.tally.count($0))" }.joined(separator: " | ") + " |\n")
        }
    }

    private func percent(_ share: Double) -> String { String(format: "%.0f%%", share * 100) }

    // MARK: JSON

    var json: JSONValue {
        .object(appendixJSON.merging([
            "schemaVersion": .int(SchemaVersion.current),
            "asOf": .string(asOf.text), "generated": .string(generated.text),
            "catalogs": .array(catalogs.map { .object(["id": .string($0.id), "title": .string($0.title), "version": .string($0.version)]) }),
            "total": .int(overall.total),
            "byStatus": Self.counts(overall), "shareByStatus": Self.shares(overall),
            "byCategory": .array(byCategory.map { Self.group($0, key: "category") }),
            "byActor": .array(byActor.map { Self.group($0, key: "actor") }),
            "recent": .array(recent.map(ItemOutput.json)),
            "stalledOrReversed": .array(attention.map {
                .object(["id": .string($0.id), "title": .string($0.recommendation.title), "status": .string($0.status.rawValue),
                         "since": .optional($0.since?.text), "lastChange": .optional($0.lastChange?.text)])
            }),
        ]) { $1 })
    }

    static func counts(_ tally: Tally) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: Status.allCases.map { ($0.rawValue, JSONValue.int(tally.count($0))) }))
    }

    static func shares(_ tally: Tally) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: Status.allCases.map { ($0.rawValue, JSONValue.fraction(tally.share($0))) }))
    }

    static func group(_ group: GroupTally, key: String) -> JSONValue {
        .object([key: .string(group.name), "total": .int(group.tally.total), "byStatus": counts(group.tally)])
    }

    // MARK: CSV

    /// The CSV rows, each cell written as the export writes it (``CSVText``): safe on a
    /// terminal and in a spreadsheet, and read back exactly.
    func writeCSV(to output: inout some TextOutputStream) {
        output.write(CSVText.row(["dimension", "group", "status", "count", "share", "asOf"]))
        let groups = [("overall", GroupTally(name: "all", tally: overall))]
            + byCategory.map { ("category", $0) } + byActor.map { ("actor", $0) }
        for (dimension, group) in groups {
            for status in Status.allCases {
                output.write(CSVText.row([dimension, group.name, status.rawValue, "\(group.tally.count(status))",
                                      String(format: "%.4f", group.tally.share(status)), asOf.text]))
            }
        }
        writeCSVProvenance(to: &output)
    }
}

/// A change's note and source for a Markdown list entry: ` — The note. Source: citation.`,
/// then the quote: ` “Its words.”`, then who recorded it: ` Recorded by Name.`
func markdownDetails(note: String?, source: String?, quote: String? = nil, author: String? = nil) -> String {
    var text = ""
    if let note, let last = note.last {
        text += " — " + Markdown.escaped(note) + (".!?…".contains(last) ? "" : ".")
    }
    if let source { text += " Source: \(Markdown.escaped(source))." }
    if let quote { text += " \u{201C}\(Markdown.escaped(quote))\u{201D}" }
    if let author { text += " Recorded by \(Markdown.escaped(author))." }
    return text
}
