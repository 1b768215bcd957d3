/// The tracker as of an earlier date, read from the log a piece at a time instead of held
/// whole: the state, and each status change in effect by then in a few words (its
/// precedence, item, status and where its line is), so a report can name its latest
/// transitions and read only their lines again.
///
/// ``Replay/state(catalog:changes:asOf:locate:locateLink:)`` over the whole history is the
/// reference this must agree with (`StreamedAsOfTests`).
public struct StreamedAsOf {
    /// The state as of the date.
    public var state: TrackerState
    /// Every status change in effect that happened by the date, in log order.
    var statusChanges: [StatusLine]

    /// A status change in a few words.
    struct StatusLine {
        var precedence: ChangePrecedence
        var item: String
        var status: Status
        /// Its line's bytes in the log.
        var line: Range<Int>
    }
}

extension TrackerStore {
    /// The tracker as of `date`, the log streamed (see ``StreamedAsOf``); nil when the files
    /// changed while it was read, or there is no log (the caller then reads it whole).
    ///
    /// Every line's rules are vouched for first: by the snapshot's index with the lines past
    /// it checked, else by a whole read, which throws on bad data. The pieces are then
    /// applied without checking again, with the cancelled ids of the whole log, found
    /// beforehand from its reverts alone.
    public func streamedState(asOf date: PolicyDate) throws(TrackerError) -> StreamedAsOf? {
        let files = try filesSeen()
        if try IndexedTail(self) == nil { _ = try readModel() }
        guard let end = files.log?.size else { return nil }
        var state = Replay.initialState(try readCatalog())
        var statusChanges: [StreamedAsOf.StatusLine] = []
        do {
            let cancelled = try cancelledChangeIds(before: end)
            try forEachPieceOfLines(before: end) { text, start throws(TrackerError) in
                let changes = try ChangeLogFormat.decode(text).changes
                let lines = ChangeLogFormat.lineRanges(of: text)
                Replay.applyChecked(changes, to: &state, cancelled: cancelled, asOf: date) { index, _ in
                    guard case .status(let status) = changes[index].kind else { return }
                    let line = lines[index]
                    statusChanges.append(.init(
                        precedence: changes[index].precedence, item: changes[index].recommendationId, status: status,
                        line: start + line.lowerBound..<start + line.upperBound))
                }
            }
        } catch {
            return nil
        }
        let now = try filesSeen()
        guard now.catalog == files.catalog, now.log == files.log else { return nil }
        return StreamedAsOf(state: state, statusChanges: statusChanges)
    }

    /// The ids the log's reverts cancel (``Replay/cancelledChangeIds(_:)``), from its first
    /// `end` bytes: only lines that hold `revert`, or a `\u` escape that could spell it, are
    /// decoded.
    private func cancelledChangeIds(before end: Int) throws(TrackerError) -> Set<String> {
        let markers = [Array("revert".utf8), Array("\\u".utf8)]
        var reverts: [Change] = []
        try forEachPieceOfLines(before: end) { text, _ throws(TrackerError) in
            var candidates: [UInt8] = []
            text.bytes.withUnsafeBytes { bytes in
                for line in ChangeLogFormat.lineRanges(of: text) {
                    let lineBytes = UnsafeRawBufferPointer(rebasing: bytes[line])
                    if markers.contains(where: { FileSystem.occurs($0, in: lineBytes) }) {
                        candidates.append(contentsOf: lineBytes)
                        candidates.append(0x0A)
                    }
                }
            }
            reverts += try ChangeLogFormat.decode(SourceText(path: changesPath, bytes: candidates)).changes.filter(\.kind.isRevert)
        }
        return Replay.cancelledChangeIds(reverts)
    }

    /// Gives `body` the log's first `end` bytes in pieces of whole lines of about
    /// ``streamPieceBytes`` (the last may end in a torn line), each with its offset in the log.
    private func forEachPieceOfLines(
        before end: Int, _ body: (SourceText, Int) throws(TrackerError) -> Void
    ) throws(TrackerError) {
        var pending: [UInt8] = []
        var start = 0
        var failure: TrackerError?
        func hand(_ bytes: [UInt8]) {
            do throws(TrackerError) { try body(SourceText(path: changesPath, bytes: bytes), start) } catch { failure = error }
            start += bytes.count
        }
        try FileSystem.readInPieces(changesPath, upTo: end) { piece in
            guard failure == nil else { return }
            pending.append(contentsOf: piece)
            guard pending.count >= streamPieceBytes, let lastBreak = pending.lastIndex(of: 0x0A) else { return }
            hand(Array(pending[...lastBreak]))
            pending.removeSubrange(...lastBreak)
        }
        if failure == nil, !pending.isEmpty { hand(pending) }
        if let failure { throw failure }
    }
}

extension StreamedAsOf {
    /// The last `limit` status transitions by the date of the items `shown`, oldest first,
    /// as ``Timeline/latest(_:limit:asOf:where:)`` finds them in the whole history: their
    /// changes read again from `store`'s log.
    public func latest(limit: Int, shown: Set<String>, from store: TrackerStore) throws(TrackerError) -> [Transition] {
        var latest: [StatusLine] = []
        for line in statusChanges where shown.contains(line.item) {
            if latest.count == limit, let oldest = latest.first, line.precedence < oldest.precedence { continue }
            latest.insert(line, at: latest.partitioningIndex { $0.precedence > line.precedence })
            if latest.count > limit { latest.removeFirst() }
        }
        let items = Set(latest.map(\.item))
        let histories = Dictionary(grouping: statusChanges.filter { items.contains($0.item) }, by: \.item)
        return try latest.map { line throws(TrackerError) in
            let earlier = histories[line.item, default: []].filter { $0.precedence < line.precedence }
            let from = earlier.max { $0.precedence < $1.precedence }?.status ?? .notStarted
            return Transition(change: try store.change(at: line.line), from: from, to: line.status)
        }
    }
}

extension TrackerStore {
    /// The change on the log's line `range`.
    func change(at range: Range<Int>) throws(TrackerError) -> Change {
        let bytes = try FileSystem.read(changesPath, in: range) ?? []
        guard let change = try ChangeLogFormat.decode(SourceText(path: changesPath, bytes: bytes)).changes.first else {
            throw .io(path: changesPath, message: "changed while it was read")
        }
        return change
    }
}
