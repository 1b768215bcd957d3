extension TrackerStore {
    /// The HTML page `ptrack report --format html` writes: the status report as
    /// ``report(asOf:now:recentLimit:select:)`` makes it, with the items it covers, the
    /// catalog's sources and the history's status changes up to its date for the timeline.
    public func htmlReport(
        asOf: PolicyDate?, now: Timestamp, recentLimit: Int, select: (TrackerState) throws(TrackerError) -> [Item]
    ) throws(TrackerError) -> HTMLReport {
        var selected: (state: TrackerState, items: [Item])?
        let report = try report(asOf: asOf, now: now, recentLimit: recentLimit) { state throws(TrackerError) in
            let items = try select(state)
            selected = (state, items)
            return items
        }
        let transitions = Timeline.transitions(try history(), asOf: report.asOf)
        return HTMLReport(report: report, items: selected?.items ?? [], sources: selected?.state.sources ?? [], transitions: transitions)
    }
}
