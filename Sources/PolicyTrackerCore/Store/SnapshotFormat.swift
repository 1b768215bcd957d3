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
    /// The latest status transitions, when known, so a report need not read the history.
    public var recent: RecentTransitions?
    /// How many items the snapshot holds (its item lines).
    public var itemCount: Int
    /// The state; its items are left empty when only the header was read.
    public var state: TrackerState
    /// The data's digests part-way, for reports' provenance; nil when not known.
    public var digest: DataDigest?

    public init(
        catalogFile: FileSystem.Fingerprint, logInode: UInt64, logBytes: Int, logLines: Int, lastLineOffset: Int,
        lastLineHash: String, changeIds: ChangeIdSet, recent: RecentTransitions?, itemCount: Int, state: TrackerState,
        digest: DataDigest? = nil
    ) {
        self.catalogFile = catalogFile
        self.logInode = logInode
        self.logBytes = logBytes
        self.logLines = logLines
        self.lastLineOffset = lastLineOffset
        self.lastLineHash = lastLineHash
        self.changeIds = changeIds
        self.recent = recent
        self.itemCount = itemCount
        self.state = state
        self.digest = digest
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

/// Reading and writing `snapshot.jsonl`: a header line, then one line per item sorted by
/// id, each starting `{"id":"…"`, so one item can be found by binary search over the file
/// and the items decoded on all cores.
public enum SnapshotFormat {
    /// The layout of the snapshot this version writes (the header's `format`). A snapshot of
    /// another layout, or none, was written by another version: it is not used, and the next
    /// command that can take the lock writes it anew.
    public static let layout = 4

    /// The whole file; the item lines are encoded on all cores, each part counted on
    /// `progress` (items).
    public static func encode(_ snapshot: Snapshot, progress: ProgressCounter? = nil) -> [UInt8] {
        let ids = snapshot.state.items.keys.sorted()
        let items = snapshot.state.items
        let parts = Parallel.map(Parallel.ranges(ids.count, parts: Parallel.cores * 4, minimum: 2048)) { range in
            var text = ""
            for id in ids[range] {
                text += encodeLine(items[id]!)
                text += "\n"
            }
            progress?.advance(by: range.count)
            return Array(text.utf8)
        }
        var bytes = Array((JSONWriter.compact(header(snapshot)) + "\n").utf8)
        bytes.reserveCapacity(parts.reduce(bytes.count) { $0 + $1.count })
        for part in parts { bytes += part }
        return bytes
    }

    /// One item's line, without the newline: what `JSONWriter.compact` writes of
    /// `{"id": ID, "item": ITEM}`, written straight out (members in sorted order) rather than
    /// built as a tree, since the snapshot holds one per item.
    static func encodeLine(_ item: Item) -> String {
        var line = "{\"id\":"
        JSONWriter.writeString(item.id, to: &line)
        line += ",\"item\":{\"changeCount\":" + String(item.changeCount) + ",\"recommendation\":"
        line += JSONWriter.compact(CatalogFormat.encode(item.recommendation))
        line += ",\"sequence\":" + String(item.sequence) + ",\"status\":"
        JSONWriter.writeString(item.status.rawValue, to: &line)
        if !item.statusRun.isEmpty {
            line += ",\"statusRun\":{\"changes\":["
            for (position, change) in item.statusRun.memberSlice.enumerated() {
                if position > 0 { line += "," }
                write(change, to: &line)
            }
            line += "]"
            if let predecessor = item.statusRun.predecessor {
                line += ",\"predecessor\":"
                write(predecessor, to: &line)
            }
            line += "}"
        }
        line += ",\"tips\":["
        for (position, tip) in item.tips.enumerated() {
            if position > 0 { line += "," }
            JSONWriter.writeString(tip, to: &line)
        }
        line += "]}}"
        return line
    }

    /// A status change of a run, as an object of its `changeId`, `happened`, `recorded` and `sequence`.
    private static func write(_ change: ChangePrecedence, to line: inout String) {
        line += "{\"changeId\":"
        JSONWriter.writeString(change.changeId, to: &line)
        line += ",\"happened\":"
        JSONWriter.writeString(change.happened.text, to: &line)
        line += ",\"recorded\":"
        JSONWriter.writeString(change.recorded.text, to: &line)
        line += ",\"sequence\":" + String(change.sequence) + "}"
    }

    private static func header(_ snapshot: Snapshot) -> JSONValue {
        var members: [String: JSONValue] = [
            "schemaVersion": .int(SchemaVersion.current), "format": .int(layout),
            "catalogFile": .object([
                "size": .int(snapshot.catalogFile.size), "modifiedNanoseconds": .int(snapshot.catalogFile.modifiedNanoseconds),
                "changedNanoseconds": .int(snapshot.catalogFile.changedNanoseconds), "inode": .int(Int(truncatingIfNeeded: snapshot.catalogFile.inode)),
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
            "itemCount": .int(snapshot.state.items.count),
        ]
        if let digest = snapshot.digest {
            members["digest"] = .object([
                "catalogSha256": .string(digest.catalogSHA256), "logPrefix": .int(digest.logPrefix),
                "midstate": .string(digest.midstate.hex),
            ])
        }
        if let recent = snapshot.recent {
            members["recent"] = .object([
                "total": .int(recent.total),
                "transitions": .array(recent.transitions.map { transition in
                    .object(["change": ChangeLogFormat.encode(transition.change), "from": .string(transition.from.rawValue)])
                }),
            ])
        }
        return .object(members)
    }

    // MARK: Decoding

    /// The whole snapshot; the item lines are decoded on all cores.
    public static func decode(_ text: SourceText) throws(TrackerError) -> Snapshot {
        try text.bytes.withUnsafeBufferPointer { buffer throws(TrackerError) in try decode(buffer, path: text.path) }
    }

    /// The snapshot in `bytes`, read from `path`.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(TrackerError) -> Snapshot {
        guard let headerEnd = bytes.firstIndex(of: 0x0A) else {
            throw .badData(path: path, line: 1, column: 1, message: "the snapshot ends in the middle of a line")
        }
        var snapshot = try decodeHeader(SourceText(path: path, bytes: Array(bytes[0..<headerEnd])), headerEnd)
        try decodeItems(bytes, from: headerEnd + 1, into: &snapshot, path: path)
        return snapshot
    }

    /// Decodes the item lines of `bytes` from `start`, the header already decoded into
    /// `snapshot`, into its state.
    static func decodeItems(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into snapshot: inout Snapshot, path: String
    ) throws(TrackerError) {
        let lines = itemLines(bytes, from: start)
        guard lines.count == snapshot.itemCount else { throw .badData(path: path, line: 1, column: nil, message: "the snapshot is incomplete") }
        let parts = Parallel.ranges(lines.count, parts: Parallel.cores * 2, minimum: 2048)
        // Read only, and alive until every part is done.
        nonisolated(unsafe) let shared = bytes
        let decoded = try Parallel.map(parts) { part throws(TrackerError) in
            try lines[part].map { range throws(TrackerError) in try decodeLine(shared, range, path: path) }
        }
        var items: [String: Item] = [:]
        items.reserveCapacity(lines.count)
        for part in decoded {
            for item in part { items[item.id] = item }
        }
        guard items.count == lines.count else { throw .badData(path: path, line: 1, column: nil, message: "the snapshot repeats an item") }
        snapshot.state.items = items
    }

    /// The header line alone (items left empty): what a lookup by id needs.
    static func decodeHeader(_ text: SourceText, _ end: Int) throws(TrackerError) -> Snapshot {
        let node: JSONNode
        do { node = try JSONParser.parseDocument(text.bytes, in: 0..<end) } catch { throw text.problem(at: error.offset, error.message) }
        let reader = try FieldReader(
            node, in: text, what: "the snapshot",
            fields: ["schemaVersion", "format", "catalogFile", "log", "changeIds", "catalogs", "sources", "itemCount", "recent", "digest"])
        try reader.checkSchemaVersion()
        guard try reader.int("format") == layout else {
            throw text.problem(at: 0, "the snapshot's layout is not \(layout): written by another version of ptrack")
        }
        let file = try FieldReader(try reader.requiredNode("catalogFile"), in: text, what: "catalogFile", fields: ["size", "modifiedNanoseconds", "changedNanoseconds", "inode"])
        let log = try FieldReader(try reader.requiredNode("log"), in: text, what: "log", fields: ["inode", "bytes", "lines", "lastLineOffset", "lastLineHash"])
        let idsNode = try reader.requiredNode("changeIds")
        let ids = try FieldReader(idsNode, in: text, what: "changeIds", fields: ["capacity", "count", "bloomFilter"])
        guard let changeIds = ChangeIdSet(
            capacity: try ids.int("capacity"), count: try ids.int("count"), encodedBits: try ids.string("bloomFilter"))
        else { throw text.problem(at: idsNode.offset, "changeIds: the filter's size does not match its capacity") }
        return Snapshot(
            catalogFile: .init(
                size: try file.int("size"), modifiedNanoseconds: try file.int("modifiedNanoseconds"),
                changedNanoseconds: try file.int("changedNanoseconds"), inode: UInt64(truncatingIfNeeded: try file.int("inode"))),
            logInode: UInt64(truncatingIfNeeded: try log.int("inode")), logBytes: try log.int("bytes"), logLines: try log.int("lines"),
            lastLineOffset: try log.int("lastLineOffset"), lastLineHash: try log.string("lastLineHash"), changeIds: changeIds,
            recent: try reader.optionalNode("recent").map { node throws(TrackerError) in try decodeRecent(node, text) },
            itemCount: try reader.int("itemCount"),
            state: TrackerState(
                catalogs: try reader.array("catalogs").map { node throws(TrackerError) in try CatalogFormat.decodeCatalog(node, text) },
                sources: try reader.array("sources").map { node throws(TrackerError) in try CatalogFormat.decodeSource(node, text) },
                items: [:]),
            digest: try reader.optionalNode("digest").map { node throws(TrackerError) in try decodeDigest(node, text, catalogSize: try file.int("size")) })
    }

    private static func decodeDigest(_ node: JSONNode, _ text: SourceText, catalogSize: Int) throws(TrackerError) -> DataDigest {
        let reader = try FieldReader(node, in: text, what: "digest", fields: ["catalogSha256", "logPrefix", "midstate"])
        let logPrefix = try reader.int("logPrefix")
        guard logPrefix >= 0, let midstate = SHA256.Midstate(hex: try reader.string("midstate"), length: UInt64(catalogSize + logPrefix)),
              (catalogSize + logPrefix) % 64 == 0
        else { throw text.problem(at: node.offset, "digest: the midstate does not end on a whole block") }
        return DataDigest(catalogSHA256: try reader.string("catalogSha256"), logPrefix: logPrefix, midstate: midstate)
    }

    private static func decodeRecent(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> RecentTransitions {
        let reader = try FieldReader(node, in: text, what: "recent", fields: ["total", "transitions"])
        let transitions = try reader.array("transitions").map { node throws(TrackerError) in
            let entry = try FieldReader(node, in: text, what: "a transition", fields: ["change", "from"])
            let change = try ChangeLogFormat.decodeChange(try entry.requiredNode("change"), text)
            guard let to = change.status else { throw text.problem(at: node.offset, "a transition must be a status change") }
            return Transition(change: change, from: try entry.parsed("from", expected: "a status") { Status(rawValue: $0) }, to: to)
        }
        return RecentTransitions(transitions: transitions, total: try reader.int("total"))
    }

    /// Decodes the item line at `range`. The snapshot is a cache, so a line that does not
    /// read plainly is not explained: it makes the snapshot unusable.
    static func decodeLine(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, path: String) throws(TrackerError) -> Item {
        do {
            return try JSONReader.read(bytes, in: range, readLine)
        } catch {
            throw .badData(path: path, line: nil, column: nil, message: "an item line does not read as one")
        }
    }

    enum LineField: String, JSONField {
        case id, item

        static let names = NameTable<LineField>()
    }

    enum ItemField: String, JSONField {
        case recommendation, status, statusRun, changeCount, tips, sequence

        static let names = NameTable<ItemField>()
    }

    enum StatusRunField: String, JSONField {
        case changes, predecessor

        static let names = NameTable<StatusRunField>()
    }

    enum StatusChangeField: String, JSONField {
        case changeId, happened, recorded, sequence

        static let names = NameTable<StatusChangeField>()
    }

    static func readLine(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> Item {
        var id: String?
        var item: Item?
        try reader.members { (field: LineField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .id: id = try reader.string()
            case .item: item = try readItem(&reader)
            }
        }
        guard let item, item.id == id else { throw JSONReader.Mismatch() }
        return item
    }

    static func readItem(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> Item? {
        var recommendation: Recommendation?
        var status: Status?
        var statusRun = StatusRun()
        var changeCount: Int?
        var tips: [String]?
        var sequence: Int?
        let present = try reader.members { (field: ItemField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .recommendation: recommendation = try CatalogFormat.readRecommendation(&reader)
            case .status: status = try reader.string(Status.init(rawValue:))
            case .statusRun: statusRun = try readStatusRun(&reader) ?? StatusRun()
            case .changeCount: changeCount = try reader.int()
            case .tips: tips = try reader.array { reader throws(JSONReader.Mismatch) in try reader.string() }
            case .sequence: sequence = try reader.int()
            }
        }
        guard present != nil else { return nil }
        guard let recommendation, let status, let changeCount, let tips, let sequence else { throw JSONReader.Mismatch() }
        return Item(
            recommendation: recommendation, status: status, statusRun: statusRun, changeCount: changeCount, tips: tips,
            sequence: sequence)
    }

    /// A status run: its changes (at least one, in order of precedence) and the change
    /// before them, which must come first.
    static func readStatusRun(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> StatusRun? {
        var changes: [ChangePrecedence]?
        var predecessor: ChangePrecedence?
        let present = try reader.members { (field: StatusRunField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .changes:
                changes = try reader.array { reader throws(JSONReader.Mismatch) in try readStatusChange(&reader) }
            case .predecessor: predecessor = try readStatusChange(&reader)
            }
        }
        guard present != nil else { return nil }
        guard var changes, let first = changes.first, zip(changes, changes.dropFirst()).allSatisfy({ $0 < $1 }),
              predecessor.map({ $0 < first }) ?? true
        else { throw JSONReader.Mismatch() }
        if let predecessor { changes.insert(predecessor, at: 0) }
        return StatusRun(checked: changes, hasPredecessor: predecessor != nil)
    }

    static func readStatusChange(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> ChangePrecedence? {
        var changeId: String?
        var happened: PolicyDate?
        var recorded: Timestamp?
        var sequence: Int?
        let present = try reader.members { (field: StatusChangeField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .changeId: changeId = try reader.string()
            case .happened: happened = try reader.string(PolicyDate.init)
            case .recorded: recorded = try reader.string(Timestamp.init)
            case .sequence: sequence = try reader.int()
            }
        }
        guard present != nil else { return nil }
        guard let changeId, let happened, let recorded, let sequence else { throw JSONReader.Mismatch() }
        return ChangePrecedence(happened: happened, recorded: recorded, sequence: sequence, changeId: changeId)
    }

    // MARK: Lines

    /// The byte ranges of the lines from `start` on, newlines excluded.
    static func itemLines(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var lineStart = start
        while lineStart < bytes.count {
            let end = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            lines.append(lineStart..<end)
            lineStart = end + 1
        }
        return lines
    }
}
