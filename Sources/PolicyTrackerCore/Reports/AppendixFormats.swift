/// The parts of a report listed item by item — the checklist, the items not reviewed, the
/// evidence — and the provenance, in each format.
extension StatusReport {
    var staleHeading: String { "Not reviewed in \(staleDays) days" }

    /// A change's source, as its citation when it names a catalog source.
    func citation(_ change: Change) -> String? {
        change.source.map { ItemOutput.citation($0, among: sources) }
    }

    // MARK: Text

    func writeTextAppendix(style: TextStyle, to output: inout some TextOutputStream) {
        output.write("\n" + style.bold(staleHeading) + "\n")
        if stale.isEmpty { output.write("  none\n") }
        for item in stale {
            output.write("  \(DisplayText.sanitized(item.id)): \(DisplayText.sanitized(item.recommendation.title)) "
                + style.dim("(last reviewed \(item.recommendation.lastReviewed?.text ?? "never"))") + "\n")
        }
        guard let evidence else { return }
        output.write("\n" + style.bold("Evidence") + "\n")
        if evidence.isEmpty { output.write("  none\n") }
        for entry in evidence {
            output.write("  \(DisplayText.sanitized(entry.item.id)) " + style.status(entry.item.status, entry.item.status.rawValue)
                + ": " + DisplayText.sanitized(entry.item.recommendation.title) + "\n")
            for transition in entry.transitions {
                let change = transition.change
                output.write("    \(DisplayText.padded(change.happened.text, to: 10))  " + transition.text(style: style)
                    + style.dim(DisplayText.sanitized(change.byline)) + "\n")
                if let note = change.note { output.write("                " + DisplayText.sanitized(note) + "\n") }
                if let source = citation(change) {
                    output.write("                " + style.dim(DisplayText.sanitized(change.evidence(citing: source))) + "\n")
                }
            }
        }
    }

    // MARK: Markdown

    func writeMarkdownChecklist(to output: inout some TextOutputStream) {
        output.write("\n## Checklist\n")
        var category: String?
        for item in listed {
            if item.recommendation.category != category {
                category = item.recommendation.category
                output.write("\n### \(Markdown.escaped(item.recommendation.category))\n\n")
            }
            let box = item.status == .implemented ? "[x]" : "[ ]"
            output.write("- \(box) `\(item.id)` \(Markdown.escaped(item.recommendation.title)) — \(Self.inWords(item.status))\n")
        }
    }

    func writeMarkdownAppendix(to output: inout some TextOutputStream) {
        output.write("\n## \(staleHeading)\n\n")
        if stale.isEmpty { output.write("None.\n") }
        for item in stale {
            output.write("- `\(item.id)` \(Markdown.escaped(item.recommendation.title)) (last reviewed \(item.recommendation.lastReviewed?.text ?? "never"))\n")
        }
        guard let evidence else { return }
        output.write("\n## Evidence\n")
        if evidence.isEmpty { output.write("\nNone.\n") }
        for entry in evidence {
            output.write("\n### `\(entry.item.id)` \(Markdown.escaped(entry.item.recommendation.title))\n\n")
            output.write("Now **\(Self.inWords(entry.item.status))**.\n\n")
            for transition in entry.transitions {
                let change = transition.change
                output.write("- **\(change.happened.text)** " + transition.text(style: TextStyle(enabled: false)))
                output.write(markdownDetails(note: change.note, source: citation(change), quote: change.quote, author: change.author) + "\n")
            }
        }
    }

    /// A status as words: `in progress`, `not started`.
    static func inWords(_ status: Status) -> String {
        status.rawValue.replacingOccurrences(of: "-", with: " ")
    }

    // MARK: JSON

    var appendixJSON: [String: JSONValue] {
        var members: [String: JSONValue] = [
            "stale": .array(stale.map { .string($0.id) }),
            "staleDays": .int(staleDays),
        ]
        if let evidence {
            members["evidence"] = .object(Dictionary(uniqueKeysWithValues: evidence.map { ($0.item.id, .array($0.transitions.map(ItemOutput.json))) }))
        }
        if let provenance {
            members["provenance"] = .object(Dictionary(uniqueKeysWithValues: provenance.fields.map {
                ($0.jsonName, $0.jsonName == "logBytes" ? .int(provenance.logBytes) : .string($0.value))
            }))
        }
        return members
    }

    // MARK: CSV

    func writeCSVProvenance(to output: inout some TextOutputStream) {
        for field in provenance?.fields ?? [] {
            output.write(CSVText.row(["provenance", field.name, field.value, "", "", asOf.text]))
        }
    }
}
