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
