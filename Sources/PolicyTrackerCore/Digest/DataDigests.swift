/// What a report's provenance records of the data it was built from: SHA-256 of
/// `catalog.json`, SHA-256 of `catalog.json` followed by `changes.jsonl`, and the log's
/// length (see ``Provenance``).
public struct DataDigests: Equatable, Sendable {
    /// SHA-256 of catalog.json followed by changes.jsonl, in hex.
    public var data: String
    /// SHA-256 of catalog.json alone, in hex.
    public var catalog: String
    /// The length of changes.jsonl in bytes.
    public var logBytes: Int

    /// The digests of the data `catalog` and `log`.
    public init(catalog: [UInt8], log: [UInt8]) {
        // The catalog is hashed once: the data's hash, after the catalog, is the catalog's.
        var data = SHA256()
        data.update(catalog)
        let catalogDigest = data.hexDigest()
        data.update(log)
        self.init(data: data.hexDigest(), catalog: catalogDigest, logBytes: log.count)
    }

    public init(data: String, catalog: String, logBytes: Int) {
        self.data = data
        self.catalog = catalog
        self.logBytes = logBytes
    }
}

/// ``DataDigests`` part-way, as the snapshot's header keeps them: the catalog's digest, and
/// the hash of the catalog followed by the log stopped after its first `logPrefix` bytes
/// (where the two end on a whole block). A report then hashes only the log past that
/// point, not the whole history, and each new snapshot carries the hash on from the last.
public struct DataDigest: Equatable, Sendable {
    /// SHA-256 of catalog.json, in hex.
    public var catalogSHA256: String
    /// How many bytes of the log the midstate has taken in.
    public var logPrefix: Int
    /// The hash of catalog.json and the log's first `logPrefix` bytes.
    public var midstate: SHA256.Midstate

    public init(catalogSHA256: String, logPrefix: Int, midstate: SHA256.Midstate) {
        self.catalogSHA256 = catalogSHA256
        self.logPrefix = logPrefix
        self.midstate = midstate
    }

    /// The digests of the whole data, given the log past `logPrefix`.
    func finished(logPastPrefix tail: [UInt8]) -> DataDigests? {
        guard var hash = SHA256(midstate: midstate) else { return nil }
        hash.update(tail)
        return DataDigests(data: hash.hexDigest(), catalog: catalogSHA256, logBytes: logPrefix + tail.count)
    }
}
