extension TrackerStore {
    /// The status report `ptrack report` prints, over the items `select` picks from the
    /// state. As of today it is built from the snapshot, the history read only when the
    /// snapshot's window of recent transitions cannot name the latest `recentLimit` of the
    /// items shown; as of an earlier date the log is read once and replayed to it.
    public func report(
        asOf: PolicyDate?, now: Timestamp, recentLimit: Int, select: (TrackerState) throws(TrackerError) -> [Item]
    ) throws(TrackerError) -> StatusReport {
        if let asOf {
            let (state, history) = try stateAndHistory(asOf: asOf)
            let items = try select(state)
            let shown = Set(items.map(\.id))
            let latest = Timeline.latest(history, limit: recentLimit, asOf: asOf) { shown.contains($0.recommendationId) }
            return StatusReport(
                items: items, catalogs: state.catalogs, transitions: latest.transitions, asOf: asOf, generated: now,
                recentLimit: recentLimit)
        }
        let (state, recent) = try loadWithRecent()
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
    /// the data it was built from. Made again (up to three times) when another process
    /// changed the files meanwhile, so the digests are those of the data the report shows.
    public func documentedReport(
        asOf: PolicyDate?, now: Timestamp, recentLimit: Int, staleDays: Int,
        filter makeFilter: (TrackerState) throws(TrackerError) -> ItemFilter
    ) throws(TrackerError) -> StatusReport {
        var attempt = 0
        while true {
            attempt += 1
            let before = fingerprints()
            var items: [Item] = []
            var filter = ItemFilter()
            var report = try report(asOf: asOf, now: now, recentLimit: recentLimit) { state throws(TrackerError) in
                // The report orders what it lists, so the items are taken unsorted.
                filter = try makeFilter(state)
                items = state.items.values.filter { filter.matches($0) }
                return items
            }
            report.addAppendix(items: items, history: try history(), staleDays: staleDays)
            let catalog = try FileSystem.read(catalogPath) ?? []
            let log = try FileSystem.read(changesPath) ?? []
            if fingerprints() == before || attempt == 3 {
                report.provenance = Provenance(
                    catalogs: report.catalogs, asOf: report.asOf, generated: now, filters: filter.summary, catalog: catalog, log: log)
                return report
            }
        }
    }

    /// What a check of the tracker's current data against `provenance` finds.
    public func verify(_ provenance: Provenance) throws(TrackerError) -> Provenance.Verdict {
        provenance.verdict(catalog: try FileSystem.read(catalogPath) ?? [], log: try FileSystem.read(changesPath) ?? [])
    }
}
