/// `check.json` in the data directory: the rules silenced for single items, each with the
/// reason given and when, so a silence is a recorded decision rather than a lost flag.
///
/// ```json
/// {"schemaVersion": 1, "silences": [{"item": "gsomia", "reason": "…", "recorded": "2026-12-06T10:00:00Z", "rule": "link-conflict"}]}
/// ```
public enum SilenceFile {
    /// The silences `text` holds; every problem is located in it.
    public static func decode(_ text: SourceText) throws(TrackerError) -> [CheckSilence] {
        let reader = try FieldReader(try text.parseDocument(), in: text, what: "the check settings", fields: ["schemaVersion", "silences"])
        try reader.checkSchemaVersion()
        return try reader.array("silences").map { node throws(TrackerError) in
            let entry = try FieldReader(node, in: text, what: "a silence", fields: ["rule", "item", "reason", "recorded"])
            return CheckSilence(
                rule: try entry.parsed("rule", expected: "one of \(CheckRule.ids.joined(separator: ", "))") { CheckRule(rawValue: $0) },
                item: try entry.nonEmptyString("item"), reason: try entry.nonEmptyString("reason"),
                recorded: try entry.parsed("recorded", expected: Timestamp.expectedForm, Timestamp.init))
        }
    }

    /// The file's text: the silences by item, then rule, pretty-printed with sorted keys.
    public static func encode(_ silences: [CheckSilence]) -> String {
        let sorted = silences.sorted { ($0.item, $0.rule) < ($1.item, $1.rule) }
        return JSONWriter.pretty(.object([
            "schemaVersion": .int(SchemaVersion.current),
            "silences": .array(sorted.map { silence in
                .object(["rule": .string(silence.rule.id), "item": .string(silence.item), "reason": .string(silence.reason),
                         "recorded": .string(silence.recorded.text)])
            }),
        ])) + "\n"
    }
}
