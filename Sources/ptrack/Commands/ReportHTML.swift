import PolicyTrackerCore

extension ReportCommand {
    /// Writes the HTML report to `--output` (replaced atomically) or to `console`.
    func writeHTML(store: TrackerStore, asOf date: PolicyDate?, now: Timestamp, to console: inout Console) throws(TrackerError) {
        let page = try store.htmlReport(asOf: date, now: now, recentLimit: recent) { state throws(TrackerError) in
            let filter = try filters.filter(in: state)
            return state.items.values.filter { filter.matches($0) }
        }
        guard let output else { return page.write(to: &console) }
        var text = ""
        page.write(to: &text)
        try Console.save(text, to: output)
    }
}
