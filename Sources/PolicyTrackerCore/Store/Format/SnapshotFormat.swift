/// The snapshot: a cache of the replayed state, tied to the exact catalog file and log
/// prefix it was built from, so a stale one is noticed and ignored.
public struct Snapshot: Equatable, Sendable {
    /// Which version of `catalog.json` the snapshot was built from.
    public var catalogFile: FileSystem.Fingerprint
    /// The log's inode: ptrack only ever appends to the log, so another inode means the file
    /// was replaced (an editor, git) and its earlier lines may differ.
    public var logInode: UInt64
    /// How much of the log the snapshot covers: bytes and lines.
    public var logBytes: Int
    public var logLines: Int
    /// Where the last covered line starts and a hash of it, to notice a rewritten log.
    public var lastLineOffset: Int
    public var lastLineHash: String
    /// Every change id in the covered lines, to check later lines against.
    public var changeIds: ChangeIdSet
    public var state: TrackerState

    public init(
        catalogFile: FileSystem.Fingerprint, logInode: UInt64, logBytes: Int, logLines: Int, lastLineOffset: Int,
        lastLineHash: String, changeIds: ChangeIdSet, state: TrackerState
    ) {
        self.catalogFile = catalogFile
        self.logInode = logInode
        self.logBytes = logBytes
        self.logLines = logLines
        self.lastLineOffset = lastLineOffset
        self.lastLineHash = lastLineHash
        self.changeIds = changeIds
        self.state = state
    }

    /// FNV-1a (64 bit) of `bytes`, in hex: enough to tell a line from another, cheaply.
    public static func hash(_ bytes: ArraySlice<UInt8>) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x100_0000_01b3
        }
        return String(value, radix: 16)
    }
}

/// Reading and writing `snapshot.json`.
public enum SnapshotFormat {
    public static func encode(_ snapshot: Snapshot) -> String {
        JSONWriter.pretty(.object([
            "schemaVersion": .int(TrackerFiles.schemaVersion),
            "catalogFile": .object([
                "size": .int(snapshot.catalogFile.size), "modifiedNanoseconds": .int(snapshot.catalogFile.modifiedNanoseconds),
                "inode": .int(Int(truncatingIfNeeded: snapshot.catalogFile.inode)),
            ]),
            "log": .object([
                "inode": .int(Int(truncatingIfNeeded: snapshot.logInode)), "bytes": .int(snapshot.logBytes), "lines": .int(snapshot.logLines),
                "lastLineOffset": .int(snapshot.lastLineOffset), "lastLineHash": .string(snapshot.lastLineHash),
            ]),
            "changeIds": .object([
                "capacity": .int(snapshot.changeIds.capacity), "count": .int(snapshot.changeIds.count),
                "bloomFilter": .string(snapshot.changeIds.encodedBits),
            ]),
            "catalogs": .array(snapshot.state.catalogs.map(CatalogFormat.encode)),
            "sources": .array(snapshot.state.sources.map(CatalogFormat.encode)),
            "items": .array(snapshot.state.sortedItems.map(encode)),
        ]))
    }

    static func encode(_ item: Item) -> JSONValue {
        var members: [String: JSONValue] = [
            "recommendation": CatalogFormat.encode(item.recommendation), "status": .string(item.status.rawValue),
            "changeCount": .int(item.changeCount),
        ]
        if let change = item.statusChange {
            members["statusChange"] = .object([
                "changeId": .string(change.changeId), "happened": .string(change.happened.text),
                "recorded": .string(change.recorded.text),
            ])
        }
        return .object(members)
    }

    public static func decode(_ text: SourceText) throws(TrackerError) -> Snapshot {
        let reader = try FieldReader(
            try text.parseDocument(), in: text, what: "the snapshot",
            fields: ["schemaVersion", "catalogFile", "log", "changeIds", "catalogs", "sources", "items"])
        try reader.checkSchemaVersion()
        let file = try FieldReader(try reader.requiredNode("catalogFile"), in: text, what: "catalogFile", fields: ["size", "modifiedNanoseconds", "inode"])
        let log = try FieldReader(try reader.requiredNode("log"), in: text, what: "log", fields: ["inode", "bytes", "lines", "lastLineOffset", "lastLineHash"])
        let idsNode = try reader.requiredNode("changeIds")
        let ids = try FieldReader(idsNode, in: text, what: "changeIds", fields: ["capacity", "count", "bloomFilter"])
        guard let changeIds = ChangeIdSet(
            capacity: try ids.int("capacity"), count: try ids.int("count"), encodedBits: try ids.string("bloomFilter"))
        else { throw text.problem(at: idsNode.offset, "changeIds: the filter's size does not match its capacity") }
        let itemNodes = try reader.array("items")
        var items: [String: Item] = [:]
        items.reserveCapacity(itemNodes.count)
        for node in itemNodes {
            let item = try decodeItem(node, text)
            items[item.id] = item
        }
        return Snapshot(
            catalogFile: .init(size: try file.int("size"), modifiedNanoseconds: try file.int("modifiedNanoseconds"), inode: UInt64(truncatingIfNeeded: try file.int("inode"))),
            logInode: UInt64(truncatingIfNeeded: try log.int("inode")), logBytes: try log.int("bytes"), logLines: try log.int("lines"),
            lastLineOffset: try log.int("lastLineOffset"), lastLineHash: try log.string("lastLineHash"), changeIds: changeIds,
            state: TrackerState(
                catalogs: try reader.array("catalogs").map { node throws(TrackerError) in try CatalogFormat.decodeCatalog(node, text) },
                sources: try reader.array("sources").map { node throws(TrackerError) in try CatalogFormat.decodeSource(node, text) },
                items: items))
    }

    static func decodeItem(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Item {
        let reader = try FieldReader(node, in: text, what: "an item", fields: ["recommendation", "status", "statusChange", "changeCount"])
        var statusChange: ChangePrecedence?
        if let changeNode = reader.optionalNode("statusChange") {
            let change = try FieldReader(changeNode, in: text, what: "statusChange", fields: ["changeId", "happened", "recorded"])
            statusChange = ChangePrecedence(
                happened: try change.parsed("happened", expected: PolicyDate.expectedForm, PolicyDate.init),
                recorded: try change.parsed("recorded", expected: Timestamp.expectedForm, Timestamp.init),
                changeId: try change.string("changeId"))
        }
        return Item(
            recommendation: try CatalogFormat.decodeRecommendation(try reader.requiredNode("recommendation"), text),
            status: try reader.parsed("status", expected: "a status") { Status(rawValue: $0) },
            statusChange: statusChange, changeCount: try reader.int("changeCount"))
    }
}
