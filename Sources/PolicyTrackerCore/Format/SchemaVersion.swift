/// The version of the tracker's documents: `catalog.json`, every line of `changes.jsonl`,
/// the snapshot, and the JSON ptrack prints for scripts.
public enum SchemaVersion {
    /// The newest `schemaVersion` this program reads and the one it writes.
    public static let current = 2
}

extension FieldReader {
    /// Checks the document's `schemaVersion` against the newest this program understands.
    public func checkSchemaVersion() throws(TrackerError) {
        let value = try requiredNode("schemaVersion")
        let version = try int("schemaVersion")
        if version > SchemaVersion.current {
            throw text.problem(
                at: value.offset,
                "schemaVersion \(version) is newer than this ptrack understands (\(SchemaVersion.current)); upgrade ptrack")
        }
        if version < 1 {
            throw text.problem(at: value.offset, "schemaVersion must be 1 or more, found \(version)")
        }
    }
}
