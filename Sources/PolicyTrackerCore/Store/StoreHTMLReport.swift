extension TrackerStore {
    /// The HTML page `ptrack report --format html` writes: the status report over the items
    /// `select` picks, with those items, the catalog's sources and the status changes up to
    /// its date for the timeline. The page needs the history anyway, so the catalog and the
    /// log are read once and replayed to the date (today when `asOf` is nil); the report and
    /// the timeline come from the same reading.
    public func htmlReport(
        asOf: PolicyDate?, now: Timestamp, recentLimit: Int, select: (TrackerState) throws(TrackerError) -> [Item]
    ) throws(TrackerError) -> HTMLReport {
        let date = asOf ?? now.day
        let (state, history) = try stateAndHistory(asOf: date)
        let items = try select(state)
        let transitions = Timeline.transitions(history, asOf: date)
        let report = StatusReport(
            items: items, catalogs: state.catalogs, transitions: transitions, asOf: date, generated: now, recentLimit: recentLimit)
        return HTMLReport(report: report, items: items, sources: state.sources, transitions: transitions)
    }
}
