/// `snapshot.jsonl` opened to find single items without reading the rest: its header
/// decoded, and each lookup a binary search over the item lines, which are sorted by id and
/// start with it, so only the pieces of the file the search lands on are read and only the
/// line found is decoded. What a write about one item needs, at any size. The file is read
/// through its descriptor (see ``FileSystem/OpenFile``), so one cut short meanwhile gives a
/// lookup that fails (the caller then reads everything), never a crash.
struct SnapshotLookup {
    let file: FileSystem.OpenFile
    let path: String
    /// The header (its state has no items).
    let snapshot: Snapshot
    /// Where the first item line starts.
    private let itemsStart: Int

    /// Bytes read at a time while looking for a line's ends.
    private static let pieceBytes = 4096

    /// The snapshot at `path`, or nil when it is missing or its header does not decode.
    init?(path: String) {
        guard let file = try? FileSystem.openForReading(path) else { return nil }
        self.file = file
        let newline = Self.lineEnd(in: file, from: 0)
        guard newline < file.count,
              let snapshot = try? SnapshotFormat.decodeHeader(SourceText(path: path, bytes: file.bytes(0..<newline + 1)), newline)
        else { return nil }
        self.path = path
        self.snapshot = snapshot
        self.itemsStart = newline + 1
    }

    /// The whole snapshot, items and all (the header is the one already read).
    func wholeSnapshot() throws(TrackerError) -> Snapshot {
        var whole = snapshot
        let bytes = file.bytes(0..<file.count)
        try bytes.withUnsafeBufferPointer { buffer throws(TrackerError) in
            try SnapshotFormat.decodeItems(buffer, from: itemsStart, into: &whole, path: path)
        }
        return whole
    }

    /// The item with exactly this id, or nil when there is none (or its line does not decode).
    func item(_ id: String) -> Item? {
        let start = firstLine(notBefore: id)
        guard start < file.count, lineId(at: start) == id else { return nil }
        let line = file.bytes(start..<lineEnd(from: start))
        return line.withUnsafeBufferPointer { try? SnapshotFormat.decodeLine($0, 0..<$0.count, path: path) }
    }

    /// True when an item has exactly this id.
    func contains(_ id: String) -> Bool {
        let start = firstLine(notBefore: id)
        return start < file.count && lineId(at: start) == id
    }

    /// Up to `limit` ids that start with `prefix`, in order.
    func ids(withPrefix prefix: String, limit: Int) -> [String] {
        var ids: [String] = []
        var start = firstLine(notBefore: prefix)
        while ids.count < limit, start < file.count, let id = lineId(at: start), id.hasPrefix(prefix) {
            ids.append(id)
            start = lineEnd(from: start) + 1
        }
        return ids
    }

    /// The start of the first item line whose id is not before `key` (the file's end when
    /// there is none). An unreadable line counts as before: the decode of the line found
    /// then fails, and the caller falls back to reading everything.
    private func firstLine(notBefore key: String) -> Int {
        var low = itemsStart
        var high = file.count
        while low < high {
            let start = lineStart(holding: low + (high - low) / 2, notBefore: low)
            if let id = lineId(at: start), id >= key {
                high = start
            } else {
                low = lineEnd(from: start) + 1
            }
        }
        return low
    }

    /// The start of the line holding `offset`, or `low` when that line starts before it.
    private func lineStart(holding offset: Int, notBefore low: Int) -> Int {
        var end = offset
        while end > low {
            let from = max(low, end - Self.pieceBytes)
            let piece = file.bytes(from..<end)
            guard piece.count == end - from else { return low }
            if let newline = piece.lastIndex(of: 0x0A) { return from + newline + 1 }
            end = from
        }
        return low
    }

    private func lineEnd(from start: Int) -> Int { Self.lineEnd(in: file, from: start) }

    /// Where the line starting at `start` ends: its line break, else the file's end.
    private static func lineEnd(in file: FileSystem.OpenFile, from start: Int) -> Int {
        var position = start
        while position < file.count {
            let piece = file.bytes(position..<min(file.count, position + pieceBytes))
            if let newline = piece.firstIndex(of: 0x0A) { return position + newline }
            if piece.isEmpty { break }
            position += piece.count
        }
        return file.count
    }

    private static let idPrefix = Array(#"{"id":""#.utf8)

    /// The id an item line starts with; ids are slugs, so they hold no escapes.
    private func lineId(at start: Int) -> String? {
        let piece = file.bytes(start..<min(file.count, start + Self.pieceBytes))
        guard piece.starts(with: Self.idPrefix), let quote = piece[Self.idPrefix.count...].firstIndex(of: 0x22) else { return nil }
        return String(decoding: piece[Self.idPrefix.count..<quote], as: UTF8.self)
    }
}

extension SnapshotLookup {
    /// The id `query` names as ``Lookup/resolve(_:among:noun:)`` would find it: exactly, or as
    /// the one id it starts (ids are lower-case slugs, so case is ignored); nil otherwise.
    func resolve(_ query: String) -> String? {
        if contains(query) { return query }
        let lowered = query.lowercased()
        let matches = ids(withPrefix: lowered, limit: 2)
        return matches.count == 1 || matches.first == lowered ? matches[0] : nil
    }
}

/// The snapshot's index with the log lines past it: single items read without the rest,
/// while the snapshot matches the files and the lines past it add no item.
struct IndexedTail {
    let lookup: SnapshotLookup
    let tail: TrackerStore.Tail
    var snapshot: Snapshot { lookup.snapshot }
    /// Where the log ends.
    let position: LogPosition

    /// Nil when the snapshot is missing, does not match the files, or the lines past it add
    /// an item or break a rule of the log (a full read then decides, and words any error).
    init?(_ store: TrackerStore) throws(TrackerError) {
        guard let lookup = SnapshotLookup(path: store.snapshotPath), let tail = try store.snapshotTail(lookup.snapshot) else { return nil }
        let changes = tail.log.decoded.changes
        guard !changes.contains(where: \.kind.isAddition),
              Replay.isSound(changes, against: lookup.snapshot.state, alsoKnown: lookup.contains)
        else { return nil }
        self.lookup = lookup
        self.tail = tail
        position = LogPosition(tail.log, after: lookup.snapshot)
    }

    /// The id `query` names, as ``SnapshotLookup/resolve(_:)`` finds it.
    func resolve(_ query: String) -> String? { lookup.resolve(query) }

    /// The item `id` from its snapshot line, with the lines past the snapshot about it and
    /// then `extra` applied, as ``Replay/apply(_:to:wholeLog:asOf:recent:locate:locateLink:)``
    /// applies them; nil when the snapshot lacks it, or those lines revert a change the
    /// snapshot holds, break a rule or link to an item the snapshot lacks (a full read then
    /// decides, and words any error).
    func item(_ id: String, then extra: [Change] = []) -> Item? {
        guard let found = lookup.item(id) else { return nil }
        var state = TrackerState(catalogs: snapshot.state.catalogs, sources: snapshot.state.sources, items: [id: found])
        let lines = (tail.log.decoded.changes + extra).filter { $0.recommendationId == id }
        var noWindow: RecentTransitions?
        guard Replay.applyIfSound(lines, to: &state, recent: &noWindow, alsoKnown: lookup.contains) else { return nil }
        return state.items[id]
    }
}

extension TrackerStore {
    /// Up to `limit` ids that start with `prefix`, in order, for completing a command line:
    /// from the snapshot's index while it is current and nothing was added past it, else
    /// from a full load. Reads only; nothing is created or repaired.
    public func ids(startingWith prefix: String, limit: Int) throws(TrackerError) -> [String] {
        if let index = try IndexedTail(self) { return index.lookup.ids(withPrefix: prefix, limit: limit) }
        return Array(try currentModel().state.items.keys.filter { $0.hasPrefix(prefix) }.sorted().prefix(limit))
    }

    /// The item `query` names (an id or a unique prefix) as it stands now: read alone through
    /// the snapshot's index when it can serve, else from a full load, which words any error.
    public func item(_ query: String) throws(TrackerError) -> Item {
        if let index = try IndexedTail(self), let id = index.resolve(query), let item = index.item(id) { return item }
        return try Lookup.item(query, in: try load())
    }
}
