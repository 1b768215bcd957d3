/// What `ptrack check` prints: one line per finding, as compilers write them, and a
/// summary; or JSON for scripts (`docs/schema/check.schema.json`).
public enum CheckOutput {
    /// `path:line: severity [rule] item: message` per finding, then the counts. Every piece
    /// of tracker text is sanitised for the terminal.
    public static func text(_ outcome: TrackerStore.CheckOutcome, style: TextStyle) -> String {
        var text = ""
        for located in outcome.findings {
            let finding = located.finding
            let severity = finding.severity == .error ? style.bold("error") : style.dim("warning")
            text += DisplayText.sanitized(located.location) + ": " + severity + " [\(finding.rule.id)] "
                + DisplayText.sanitized(finding.item) + ": " + DisplayText.sanitized(finding.message) + "\n"
        }
        return text + summary(outcome) + "\n"
    }

    /// `2 errors, 5 warnings in 33 items (1 silenced)`.
    public static func summary(_ outcome: TrackerStore.CheckOutcome) -> String {
        let silenced = outcome.silenced.isEmpty ? "" : " (\(outcome.silenced.count) silenced)"
        return "\(counted(outcome.errors, "error")), \(counted(outcome.warnings, "warning")) in \(counted(outcome.itemCount, "item"))\(silenced)"
    }

    private static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The findings and silenced findings as JSON, with the counts.
    public static func json(_ outcome: TrackerStore.CheckOutcome) -> String {
        JSONWriter.pretty(.object([
            "schemaVersion": .int(1), "command": .string("check"), "items": .int(outcome.itemCount),
            "errors": .int(outcome.errors), "warnings": .int(outcome.warnings),
            "findings": .array(outcome.findings.map(json)), "silenced": .array(outcome.silenced.map(json)),
        ]), escaping: .terminal) + "\n"
    }

    static func json(_ located: TrackerStore.LocatedFinding) -> JSONValue {
        let finding = located.finding
        var changeId = JSONValue.null
        if case .change(_, let id) = finding.site { changeId = .string(id) }
        return .object([
            "rule": .string(finding.rule.id), "severity": .string(finding.severity.rawValue), "item": .string(finding.item),
            "changeId": changeId, "path": .string(located.path), "line": .int(located.line), "message": .string(finding.message),
        ])
    }

    /// The rules, one per line: id, severity, what it asks.
    public static func rulesText() -> String {
        let width = CheckRule.ids.map(\.count).max() ?? 0
        return CheckRule.allCases.map { rule in
            DisplayText.padded(rule.id, to: width) + "  " + DisplayText.padded(rule.severity.rawValue, to: 7) + "  " + rule.explanation + "\n"
        }.joined()
    }

    /// The rules as JSON.
    public static func rulesJSON() -> String {
        JSONWriter.pretty(.array(CheckRule.allCases.map { rule in
            .object(["id": .string(rule.id), "severity": .string(rule.severity.rawValue), "explanation": .string(rule.explanation)])
        })) + "\n"
    }
}
