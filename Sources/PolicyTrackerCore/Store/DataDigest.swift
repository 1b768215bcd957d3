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

extension TrackerStore {
    /// The digests of the data as it is now. While the snapshot is current they are
    /// finished from its part-way digest and the log past it; otherwise both files are
    /// read and hashed whole.
    public func dataDigests() throws(TrackerError) -> DataDigests {
        if let lookup = SnapshotLookup(path: snapshotPath), let digest = lookup.snapshot.digest,
           (try? snapshotTail(lookup.snapshot)) != nil,
           let tail = try FileSystem.read(changesPath, from: digest.logPrefix),
           let digests = digest.finished(logPastPrefix: tail) {
            return digests
        }
        return DataDigests(catalog: try FileSystem.read(catalogPath) ?? [], log: try FileSystem.read(changesPath) ?? [])
    }

    /// The part-way digest for a snapshot of the log up to `logEnd` over the catalog file
    /// `catalogFile`: carried on from `previous` (a snapshot's over the same catalog), or
    /// made from the files. Nil when the catalog changed while it was read.
    func dataDigest(carrying previous: DataDigest?, catalogFile: FileSystem.Fingerprint, logEnd: Int) throws(TrackerError) -> DataDigest? {
        var hash = SHA256()
        var catalogSHA256: String
        var hashed = 0
        if let previous, let resumed = SHA256(midstate: previous.midstate) {
            (hash, catalogSHA256, hashed) = (resumed, previous.catalogSHA256, previous.logPrefix)
        } else {
            guard let catalog = try FileSystem.read(catalogPath), try FileSystem.fingerprint(catalogPath) == catalogFile else { return nil }
            hash.update(catalog)
            catalogSHA256 = hash.hexDigest()
        }
        let end = logEnd - (catalogFile.size + logEnd) % 64
        guard end >= hashed, let log = try FileSystem.read(changesPath, from: hashed), log.count >= end - hashed else { return nil }
        log.withUnsafeBufferPointer { hash.update(UnsafeBufferPointer(rebasing: $0[..<(end - hashed)])) }
        guard let midstate = hash.midstate else { return nil }
        return DataDigest(catalogSHA256: catalogSHA256, logPrefix: end, midstate: midstate)
    }
}
