/// The parts of a report listed item by item — the checklist, the items not reviewed, the
/// evidence — and the provenance, in each format.
extension StatusReport {
    var staleHeading: String { "Not reviewed in \(staleDays) days" }

    // MARK: Text

    func writeTextAppendix(style: TextStyle, to output: inout some TextOutputStream) {
        output.write("\n" + style.bold(staleHeading) + "\n")
        if stale.isEmpty { output.write("  none\n") }
        for item in stale {
            output.write("  \(DisplayText.sanitized(item.id)): \(DisplayText.sanitized(item.recommendation.title)) "
                + style.dim("(last reviewed \(item.recommendation.lastReviewed?.text ?? "never"))") + "\n")
        }
        output.write("\n" + style.bold("Evidence") + "\n")
        if evidence.isEmpty { output.write("  none\n") }
        for entry in evidence {
            output.write("  \(DisplayText.sanitized(entry.item.id)) " + style.status(entry.item.status, entry.item.status.rawValue)
                + ": " + DisplayText.sanitized(entry.item.recommendation.title) + "\n")
            for transition in entry.transitions {
                let change = transition.change
                output.write("    \(DisplayText.padded(change.happened.text, to: 10))  " + transition.text(style: style) + "\n")
                if let note = change.note { output.write("                " + DisplayText.sanitized(note) + "\n") }
                if let source = change.source { output.write("                " + style.dim("Source: " + DisplayText.sanitized(source)) + "\n") }
            }
        }
    }

    func writeTextProvenance(style: TextStyle, to output: inout some TextOutputStream) {
        guard let provenance else { return }
        output.write("\n" + style.bold("Provenance") + "\n")
        for field in provenance.fields {
            output.write("  \(DisplayText.padded(field.name, to: 15)) \(DisplayText.sanitized(field.value))\n")
        }
    }

    // MARK: Markdown

    func writeMarkdownChecklist(to output: inout some TextOutputStream) {
        output.write("\n## Checklist\n")
        var category: String?
        for item in listed {
            if item.recommendation.category != category {
                category = item.recommendation.category
                output.write("\n### \(markdownEscaped(item.recommendation.category))\n\n")
            }
            let box = item.status == .implemented ? "[x]" : "[ ]"
            output.write("- \(box) `\(item.id)` \(markdownEscaped(item.recommendation.title)) — \(Self.inWords(item.status))\n")
        }
    }

    func writeMarkdownAppendix(to output: inout some TextOutputStream) {
        output.write("\n## \(staleHeading)\n\n")
        if stale.isEmpty { output.write("None.\n") }
        for item in stale {
            output.write("- `\(item.id)` \(markdownEscaped(item.recommendation.title)) (last reviewed \(item.recommendation.lastReviewed?.text ?? "never"))\n")
        }
        output.write("\n## Evidence\n")
        if evidence.isEmpty { output.write("\nNone.\n") }
        for entry in evidence {
            output.write("\n### `\(entry.item.id)` \(markdownEscaped(entry.item.recommendation.title))\n\n")
            output.write("Now **\(Self.inWords(entry.item.status))**.\n\n")
            for transition in entry.transitions {
                let change = transition.change
                output.write("- **\(change.happened.text)** " + transition.text(style: TextStyle(enabled: false)))
                if let note = change.note { output.write(" — \(markdownEscaped(note))") }
                if let source = change.source { output.write(" Source: \(markdownEscaped(source)).") }
                output.write("\n")
            }
        }
    }

    func writeMarkdownProvenance(to output: inout some TextOutputStream) {
        guard let provenance else { return }
        output.write("\n## Provenance\n\nBuilt from the data these digests identify; `ptrack verify FILE` checks that the tracker still holds it.\n\n")
        output.write("| Field | Value |\n| --- | --- |\n")
        for field in provenance.fields {
            let value = field.name.hasSuffix("sha256") ? "`\(field.value)`" : markdownEscaped(field.value)
            output.write("| \(field.name) | \(value) |\n")
        }
    }

    /// A status as words: `in progress`, `not started`.
    static func inWords(_ status: Status) -> String {
        status.rawValue.replacingOccurrences(of: "-", with: " ")
    }

    // MARK: JSON

    var appendixJSON: [String: JSONValue] {
        var members: [String: JSONValue] = [
            "evidence": .object(Dictionary(uniqueKeysWithValues: evidence.map { ($0.item.id, .array($0.transitions.map(ItemOutput.json))) })),
            "stale": .array(stale.map { .string($0.id) }),
            "staleDays": .int(staleDays),
        ]
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
            output.write(CSV.row(["provenance", field.name, DisplayText.sanitized(field.value), "", "", asOf.text]))
        }
    }
}
