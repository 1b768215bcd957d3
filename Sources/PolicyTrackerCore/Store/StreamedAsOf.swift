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
        guard files.log != nil else { return nil }
        // The log's whole lines: a torn tail past them is left out, as every reader leaves it.
        let end: Int
        if let tail = try IndexedTail(self) { end = tail.position.end } else { end = try readModel().position.end }
        var state = Replay.initialState(try readCatalog())
        var statusChanges: [StreamedAsOf.StatusLine] = []
        do {
            let cancelled = try progress.run("finding the reverts", total: end, unit: "bytes") { counter throws(TrackerError) in
                try cancelledChangeIds(before: end, progress: counter)
            }
            let counter = progress.step("replaying the change log", total: end, unit: "bytes")
            defer { progress.end() }
            try forEachPieceOfLines(before: end) { text, start throws(TrackerError) in
                counter.advance(by: text.bytes.count)
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
    private func cancelledChangeIds(before end: Int, progress: ProgressCounter) throws(TrackerError) -> Set<String> {
        let markers = [Array("revert".utf8), Array("\\u".utf8)]
        var reverts: [Change] = []
        try forEachPieceOfLines(before: end) { text, _ throws(TrackerError) in
            progress.advance(by: text.bytes.count)
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
    /// ``streamPieceBytes``, each with its offset in the log.
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
        // The latest `limit` are exactly the transitions of their items from the oldest of them on.
        guard let oldest = latest.first?.precedence else { return [] }
        return try transitions(of: Set(latest.map(\.item)), keeping: { $0 >= oldest }, from: store)
    }
}

extension StreamedAsOf {
    /// Every status transition by the date of the items `shown`, oldest first, as
    /// ``Timeline/transitions(_:asOf:)`` derives them from the whole history; only those whose
    /// change `keep` wants are returned, their changes read again from `store`'s log.
    public func transitions(
        of shown: Set<String>, keeping keep: (ChangePrecedence) -> Bool = { _ in true }, from store: TrackerStore
    ) throws(TrackerError) -> [Transition] {
        let lines = statusChanges.filter { shown.contains($0.item) }
        let order = lines.indices.sorted { lines[$0].precedence < lines[$1].precedence }
        var current: [String: Status] = [:]
        var kept: [(line: StatusLine, from: Status)] = []
        for position in order {
            let line = lines[position]
            if keep(line.precedence) { kept.append((line, current[line.item] ?? .notStarted)) }
            current[line.item] = line.status
        }
        let log = try store.openLog()
        return try store.progress.run("reading the transitions listed", total: kept.count, unit: "changes") { counter throws(TrackerError) in
            try kept.enumerated().map { index, entry throws(TrackerError) in
                if index & 0xFFF == 0xFFF { counter.advance(by: 0x1000) }
                return Transition(change: try store.change(at: entry.line.line, in: log), from: entry.from, to: entry.line.status)
            }
        }
    }
}

extension TrackerStore {
    /// The log, open for reading its lines again.
    func openLog() throws(TrackerError) -> FileSystem.OpenFile {
        guard let log = try FileSystem.openForReading(changesPath) else { throw .io(path: changesPath, message: "is gone") }
        return log
    }

    /// The change on the line `range` of `log`.
    func change(at range: Range<Int>, in log: FileSystem.OpenFile) throws(TrackerError) -> Change {
        guard let change = try ChangeLogFormat.decode(SourceText(path: changesPath, bytes: log.bytes(range))).changes.first else {
            throw .io(path: changesPath, message: "changed while it was read")
        }
        return change
    }

    /// The state as of `date`, the items `select` picks from it, and every status transition
    /// by then of those items whose change `keep` wants, oldest first: streamed
    /// (``streamedState(asOf:)``) unless the files change meanwhile, then from the whole history.
    public func transitions(
        asOf date: PolicyDate, select: (TrackerState) throws(TrackerError) -> [Item],
        keeping keep: @escaping (ChangePrecedence) -> Bool = { _ in true }
    ) throws(TrackerError) -> (state: TrackerState, items: [Item], transitions: [Transition]) {
        if let streamed = try streamedState(asOf: date) {
            let items = try select(streamed.state)
            return (streamed.state, items, try streamed.transitions(of: Set(items.map(\.id)), keeping: keep, from: self))
        }
        let (state, history) = try stateAndHistory(asOf: date)
        let items = try select(state)
        let shown = Set(items.map(\.id))
        let transitions = Timeline.transitions(history.filter { shown.contains($0.recommendationId) }, asOf: date)
        return (state, items, transitions.filter { keep($0.change.precedence) })
    }
}
