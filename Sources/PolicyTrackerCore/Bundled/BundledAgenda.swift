/// The US–Japan–ROK trilateral agenda that ships inside ptrack: the 2021 NCAFP
/// recommendations, the commitments of the 2023 Camp David summit with the questions raised
/// before it, and the trilateral commitments of 2024, with dated evidence through January 2026.
///
/// The two files beside this one are compiled into the binary, so an installed `ptrack`
/// works from any directory; a new tracker starts as a byte-for-byte copy of them.
public enum BundledAgenda {
    /// `catalog.json` of a new tracker.
    public static var catalogBytes: [UInt8] { PackageResources.catalog_json }
    /// `changes.jsonl` of a new tracker.
    public static var changesBytes: [UInt8] { PackageResources.changes_jsonl }

    /// The bundled catalog, decoded.
    public static func catalog() throws(TrackerError) -> CatalogDocument {
        try CatalogFormat.decode(SourceText(path: TrackerFiles.catalog, bytes: catalogBytes))
    }

    /// The bundled change log, decoded.
    public static func changes() throws(TrackerError) -> [Change] {
        try ChangeLogFormat.decode(SourceText(path: TrackerFiles.changes, bytes: changesBytes)).changes
    }
}
