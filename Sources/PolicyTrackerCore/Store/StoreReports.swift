extension TrackerStore {
    /// The status report `ptrack report` prints, over the items `select` picks from the
    /// state. As of today it is built from the snapshot, the history read only when the
    /// snapshot's window of recent transitions cannot name the latest `recentLimit` of the
    /// items shown; as of an earlier date the log is streamed (``streamedState(asOf:)``),
    /// or read whole when the files changed meanwhile.
    public func report(
        asOf: PolicyDate?, now: Timestamp, recentLimit: Int, select: (TrackerState) throws(TrackerError) -> [Item]
    ) throws(TrackerError) -> StatusReport {
        if let asOf, let streamed = try streamedState(asOf: asOf) {
            let items = try select(streamed.state)
            return StatusReport(
                items: items, catalogs: streamed.state.catalogs,
                transitions: try streamed.latest(limit: recentLimit, shown: Set(items.map(\.id)), from: self), asOf: asOf,
                generated: now, recentLimit: recentLimit)
        }
        if let asOf {
            let (state, history) = try stateAndHistory(asOf: asOf)
            let items = try select(state)
            let shown = Set(items.map(\.id))
            let latest = Timeline.latest(history, limit: recentLimit, asOf: asOf) { shown.contains($0.recommendationId) }
            return StatusReport(
                items: items, catalogs: state.catalogs, transitions: latest.transitions, asOf: asOf, generated: now,
                recentLimit: recentLimit)
        }
        let model = try readModel()
        let (state, recent) = (model.state, model.recent)
        let items = try select(state)
        // Only the window's items need telling apart, not every item.
        let named = Set(recent?.transitions.map(\.change.recommendationId) ?? [])
        let shown = Set(items.lazy.map(\.id).filter(named.contains))
        var transitions = recent?.latest(shown: shown, asOf: now.day, limit: recentLimit)
        if transitions == nil { transitions = Timeline.transitions(try history(), asOf: now.day) }
        return StatusReport(
            items: items, catalogs: state.catalogs, transitions: transitions ?? [], asOf: now.day, generated: now,
            recentLimit: recentLimit)
    }
}

extension TrackerStore {
    /// The report `ptrack report` writes: ``report(asOf:now:recentLimit:select:)`` over the
    /// items the filter `makeFilter` returns keeps, with its appendix and the provenance of
    /// the data it was built from. With `evidence` the history is read, and every status
    /// transition up to the report's date of the items shown is returned with the report,
    /// which lists the evidence of each item implemented, partial, stalled or reversed.
    /// Made again (up to three times) when another process changed the files meanwhile, so
    /// the digests are those of the data the report shows. It says it was made at
    /// `generated` (by default `now`, which says what today is).
    public func documentedReport(
        asOf: PolicyDate?, now: Timestamp, generated: Timestamp? = nil, recentLimit: Int, staleDays: Int, evidence: Bool,
        filter makeFilter: @escaping (TrackerState) throws(TrackerError) -> ItemFilter
    ) throws(TrackerError) -> (report: StatusReport, transitions: [Transition]?) {
        var filter = ItemFilter()
        var items: [Item] = []
        let select = { (state: TrackerState) throws(TrackerError) -> [Item] in
            // The report orders what it lists, so the items are taken unsorted.
            filter = try makeFilter(state)
            items = state.items.values.filter { filter.matches($0) }
            return items
        }
        var ((report, transitions), digests) = try withDigests { () throws(TrackerError) in
            evidence
                ? try reportWithTransitions(asOf: asOf ?? now.day, now: now, recentLimit: recentLimit, select: select)
                : (try self.report(asOf: asOf, now: now, recentLimit: recentLimit, select: select), nil)
        }
        report.addAppendix(items: items, transitions: transitions, staleDays: staleDays)
        report.generated = generated ?? now
        report.provenance = Provenance(
            catalogs: report.catalogs, asOf: report.asOf, generated: report.generated, filters: filter.summary, digests: digests)
        return (report, transitions)
    }

    /// What `make` builds from the data, and the digests of that same data: both made again
    /// (up to three times) when another process changed the files meanwhile.
    public func withDigests<Result>(_ make: () throws(TrackerError) -> Result) throws(TrackerError) -> (Result, DataDigests) {
        var attempt = 0
        while true {
            attempt += 1
            let before = fingerprints()
            let result = try make()
            let digests = try dataDigests()
            if fingerprints() == before || attempt == 3 { return (result, digests) }
        }
    }

    /// The report over the items `select` picks as of `date`, and the status transitions of
    /// those items up to that date, oldest first (``transitions(asOf:select:keeping:)``).
    private func reportWithTransitions(
        asOf date: PolicyDate, now: Timestamp, recentLimit: Int, select: (TrackerState) throws(TrackerError) -> [Item]
    ) throws(TrackerError) -> (StatusReport, [Transition]?) {
        let (state, items, transitions) = try self.transitions(asOf: date, select: select)
        var report = StatusReport(
            items: items, catalogs: state.catalogs, transitions: transitions, asOf: date, generated: now, recentLimit: recentLimit)
        report.sources = state.sources
        return (report, transitions)
    }

    /// What a check of the tracker's current data against `provenance` finds. The files are
    /// hashed as they are read, a piece at a time, not held whole (430 MB at 100,000 items);
    /// a missing file is taken as empty.
    public func verify(_ provenance: Provenance) throws(TrackerError) -> Provenance.Verdict {
        var check = Provenance.Check(provenance)
        let total = (try FileSystem.fingerprint(catalogPath)?.size ?? 0) + (try FileSystem.fingerprint(changesPath)?.size ?? 0)
        return try progress.run("checking the data", total: total, unit: "bytes") { counter throws(TrackerError) in
            try FileSystem.readInPieces(catalogPath) { check.addCatalog($0); counter.advance(by: $0.count) }
            guard check.endCatalog() else { return .catalogChanged }
            try FileSystem.readInPieces(changesPath) { check.addLog($0); counter.advance(by: $0.count) }
            return check.verdict
        }
    }
}
