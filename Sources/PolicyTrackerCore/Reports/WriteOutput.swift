/// What every command that writes prints with `--json`, in one shape
/// (`docs/schema/write.schema.json`): the changes it wrote, as `history --json` gives them,
/// and each item they are about before and after, as `list --json` gives them (null for an
/// item that did not exist before, or no longer does after). A command may add a member of
/// its own (`import`: the summary; `init`: the directory and what git did).
public enum WriteOutput {
    /// The version of this shape.
    public static let schemaVersion = 1

    /// The document for `command`, which wrote `changes` about `items`.
    public static func json(
        command: String, changes: [Change], items: [ItemChange], extra: [String: JSONValue] = [:]
    ) -> String {
        var members: [String: JSONValue] = [
            "schemaVersion": .int(schemaVersion), "command": .string(command),
            "changes": .array(changes.map { ItemOutput.json($0, reverted: false) }),
            "items": .array(items.map { item in
                .object(["id": .string(item.id), "before": item.before.map(ItemOutput.json) ?? .null, "after": item.after.map(ItemOutput.json) ?? .null])
            }),
        ]
        members.merge(extra) { shared, _ in shared }
        return JSONWriter.pretty(.object(members), escaping: .terminal)
    }
}
