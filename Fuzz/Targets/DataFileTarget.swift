@testable import PolicyTrackerCore

/// `catalog.json` and `snapshot.jsonl`: every input is read as both. What reads must
/// survive a round trip through the writer.
enum DataFileTarget {
    static func check(_ bytes: [UInt8]) {
        if let document = try? CatalogFormat.decode(SourceText(path: "catalog.json", bytes: bytes)) {
            checkRoundTrip(
                sortedById(document), path: "catalog.json", encode: { Array(CatalogFormat.encode($0).utf8) },
                decode: CatalogFormat.decode)
        }
        if let snapshot = try? SnapshotFormat.decode(SourceText(path: "snapshot.jsonl", bytes: bytes)) {
            checkRoundTrip(snapshot, path: "snapshot.jsonl", encode: { SnapshotFormat.encode($0) }, decode: SnapshotFormat.decode)
        }
    }

    /// The document in the order the writer puts it: catalogs, sources and recommendations by id.
    static func sortedById(_ document: CatalogDocument) -> CatalogDocument {
        CatalogDocument(
            catalogs: document.catalogs.sorted { $0.id < $1.id }, sources: document.sources.sorted { $0.id < $1.id },
            recommendations: document.recommendations.sorted { $0.id < $1.id })
    }
}
