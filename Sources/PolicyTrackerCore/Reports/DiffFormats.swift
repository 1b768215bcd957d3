import Foundation

extension StatusDiff {
    /// Writes the diff in `format`; `style` colors text output only, `width` fits text
    /// output to a terminal.
    public func write(_ format: ReportFormat, style: TextStyle, width: Int, to output: inout some TextOutputStream) {
        switch format {
        case .text: writeText(style: style, width: width, to: &output)
        case .markdown: writeMarkdown(to: &output)
        case .json: output.write(JSONWriter.pretty(json, escaping: .terminal))
        case .csv: writeCSV(to: &output)
        case .html: writeHTML(to: &output)
        }
    }

    var span: String { "\(from.firstDay.text) to \(to.lastDay.text)" }

    /// Items grouped by their move over the whole span (`before → after`), moves first in
    /// status order, then those whose status ended where it began (`still S`).
    var netMoves: [(before: Status, after: Status, ids: [String])] {
        let groups = Dictionary(grouping: items) { [$0.before, $0.after] }
        let order = { (move: [Status]) in (move[0] == move[1] ? 1 : 0, move[0], move[1]) }
        return groups.keys.sorted { order($0) < order($1) }.map { ($0[0], $0[1], groups[$0]!.map(\.item.id)) }
    }

    func citation(_ change: Change) -> String? {
        change.source.map { citations[$0] ?? $0 }
    }

    // MARK: Text

    /// A summary that fits one screen of 80 × 24 for two years of the bundled agenda (counts,
    /// then each net move with the items that made it), followed by every change with its
    /// note and source, item by item.
    func writeText(style: TextStyle, width: Int, to output: inout some TextOutputStream) {
        output.write(style.bold("\(counted(changes.count, "status change")) from \(span), to \(items.count) of \(counted(after.total, "recommendation"))") + "\n")
        for line in DisplayText.wrapped("\(catalogs.names); generated \(generated.text)", to: max(20, width)) {
            output.write(style.dim(line) + "\n")
        }
        output.write("\n")
        writeCountsTable(style: style, to: &output)
        output.write("\n" + style.bold("What moved") + " (start → end)\n")
        if items.isEmpty { output.write("  none\n") }
        let plain = TextStyle(enabled: false)
        for move in netMoves {
            let text = Transition.text(from: move.before, to: move.after, style: plain) + " (\(move.ids.count)): " + move.ids.joined(separator: ", ")
            for (index, line) in DisplayText.wrapped(text, to: max(20, width - 4)).enumerated() {
                output.write((index == 0 ? "  " : "    ") + line + "\n")
            }
        }
        writeTextChanges(style: style, width: width, to: &output)
        provenance?.writeText(style: style, to: &output)
    }

    private func writeCountsTable(style: TextStyle, to output: inout some TextOutputStream) {
        let cell = { (text: String) in DisplayText.rightAligned(text, to: 12) }
        output.write(style.bold("Counts") + "  " + Status.allCases.map { style.status($0, cell($0.rawValue)) }.joined() + "\n")
        let rows: [(String, (Status) -> String)] = [
            ("start", { "\(before.count($0))" }), ("end", { "\(after.count($0))" }),
            ("change", { signed(after.count($0) - before.count($0)) }),
        ]
        for (name, value) in rows {
            output.write("  " + DisplayText.padded(name, to: 6) + Status.allCases.map { cell(value($0)) }.joined() + "\n")
        }
    }

    private func writeTextChanges(style: TextStyle, width: Int, to output: inout some TextOutputStream) {
        output.write("\n" + style.bold("Changes by item") + "\n")
        if items.isEmpty { output.write("  none\n") }
        let body = max(20, width - 14)
        for diff in items {
            output.write("\n  " + style.bold(DisplayText.sanitized(diff.item.id)) + "  "
                + Transition.text(from: diff.before, to: diff.after, style: style) + "\n")
            output.write("    " + style.dim(DisplayText.truncated(DisplayText.sanitized(diff.item.recommendation.title), to: max(20, width - 4))) + "\n")
            for transition in diff.transitions {
                let change = transition.change
                output.write("  " + DisplayText.padded(change.happened.text, to: 10) + "  " + transition.text(style: style) + "\n")
                for line in DisplayText.wrapped(change.note ?? "", to: body) { output.write("              \(line)\n") }
                for line in DisplayText.wrapped(citation(change).map(change.evidence(citing:)) ?? "", to: body) {
                    output.write("              " + style.dim(line) + "\n")
                }
                for line in DisplayText.wrapped(DisplayText.sanitized("change \(change.changeId), recorded \(change.recorded.text)\(change.byline)"), to: body) {
                    output.write("              " + style.dim(line) + "\n")
                }
            }
        }
    }

    // MARK: Markdown

    func writeMarkdown(to output: inout some TextOutputStream) {
        output.write("# Status changes from \(span)\n\n")
        output.write("\(counted(changes.count, "status change")) to \(items.count) of \(counted(after.total, "recommendation")). \(Markdown.escaped(catalogs.names)); generated \(generated.text).\n\n")
        output.write("## Counts\n\n| Status | Start | End | Change |\n| --- | ---: | ---: | ---: |\n")
        for status in Status.allCases {
            output.write("| \(status.rawValue) | \(before.count(status)) | \(after.count(status)) | \(signed(after.count(status) - before.count(status))) |\n")
        }
        output.write("\n## Changes by item\n")
        if items.isEmpty { output.write("\nNone.\n") }
        let plain = TextStyle(enabled: false)
        for diff in items {
            output.write("\n### `\(diff.item.id)`: \(Transition.text(from: diff.before, to: diff.after, style: plain))\n\n")
            output.write("\(Markdown.escaped(diff.item.recommendation.title))\n\n")
            for transition in diff.transitions {
                let change = transition.change
                output.write("- **\(change.happened.text)** \(transition.text(style: plain))")
                output.write(markdownDetails(note: change.note, source: citation(change), quote: change.quote, author: change.author))
                output.write(" (change \(Markdown.escaped(change.changeId)), recorded \(change.recorded.text))\n")
            }
        }
        provenance?.writeMarkdown(to: &output)
    }

    // MARK: JSON

    /// The changes as a JSON array, one object per change, in the order the text lists them.
    var json: JSONValue {
        .array(changes.map { transition in
            let change = transition.change
            return .object([
                "id": .string(change.recommendationId), "changeId": .string(change.changeId),
                "before": .string(transition.from.rawValue), "after": .string(transition.to.rawValue),
                "happened": .string(change.happened.text), "recorded": .string(change.recorded.text),
                "note": .optional(change.note), "source": .optional(change.source), "citation": .optional(citation(change)),
            ])
        })
    }

    // MARK: CSV

    /// One row per change, each cell written as the export writes it (``CSVText``): safe on
    /// a terminal and in a spreadsheet, and read back exactly.
    func writeCSV(to output: inout some TextOutputStream) {
        output.write(CSVText.row(["id", "changeId", "before", "after", "happened", "recorded", "note", "source", "citation"]))
        for transition in changes {
            let change = transition.change
            output.write(CSVText.row([change.recommendationId, change.changeId, transition.from.rawValue, transition.to.rawValue,
                                  change.happened.text, change.recorded.text, change.note ?? "", change.source ?? "",
                                  citation(change) ?? ""]))
        }
    }
}

/// `count` and `noun`, in the plural unless `count` is 1: `1 status change`, `35 status changes`.
func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

/// A difference of counts with its sign: `+3`, `-2`, `0`.
func signed(_ number: Int) -> String { number > 0 ? "+\(number)" : "\(number)" }
