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
