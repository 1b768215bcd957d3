import Foundation
import PolicyTrackerCore
import Testing
import TrackerGenerator

/// ``StatusReport/update(replacing:with:staleOrder:)``, the browser's dashboard after a save,
/// against a new report over every item, over random changes of status, category, actors,
/// dates and review dates, additions and removals.
@Suite struct StatusReportUpdateTests {
    /// Seeds 1 to 20 and one new each run, which a failure names; `PTRACK_REPORT_SEED=N`
    /// runs seed N alone.
    static let seeds: [UInt64] = {
        if let text = ProcessInfo.processInfo.environment["PTRACK_REPORT_SEED"], let seed = UInt64(text) { return [seed] }
        return Array(1...20) + [UInt64.random(in: 1...UInt64.max >> 1)]
    }()

    private let asOf = day("2024-02-01")
    private let staleDays = 180

    /// The report over `items` as the browser first builds it, its stale list in id order.
    private func whole(_ items: [String: Item]) -> StatusReport {
        var report = StatusReport(items: Array(items.values), catalogs: [], transitions: [], asOf: asOf, generated: Fixture.now)
        report.listStale(items.keys.sorted().map { items[$0]! }, staleDays: staleDays)
        return report
    }

    @Test(arguments: seeds) func updatingTheChangedItemsGivesTheWholeReport(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var items = try Bundled.state().items
        var report = whole(items)
        let days = ["2019", "2023-08", "2023-08-18", "2023-09-01", "2024-01-31", "2024-02-01"].map(day)
        for step in 0..<40 {
            let ids = items.keys.sorted()
            var before: [Item] = []
            var after: [Item] = []
            for _ in 0...Int(random.next() % 3) {
                let id = ids.randomElement(using: &random)!
                guard let old = items[id], !before.contains(where: { $0.id == id }) else { continue }
                before.append(old)
                var new = old
                switch random.next() % 6 {
                case 0: new.recommendation.category = ["security", "economy", "new-category"].randomElement(using: &random)!
                case 1: new.recommendation.actors = [[], [.us], [.japan, .rok]].randomElement(using: &random)!
                case 2: new.recommendation.lastReviewed = random.next() % 4 == 0 ? nil : days.randomElement(using: &random)!
                case 3:
                    items[id] = nil
                    continue
                default:
                    new.status = Status.allCases.randomElement(using: &random)!
                    new.statusRun = StatusRun(members: [ChangePrecedence(happened: days.randomElement(using: &random)!, recorded: Fixture.now, changeId: "c\(step)")])
                }
                items[id] = new
                after.append(new)
            }
            if random.next() % 5 == 0 {
                var added = items.values.first!
                added.recommendation.id = "added-\(step)"
                items[added.id] = added
                after.append(added)
            }
            // Ids in order, those just removed included.
            let order = Dictionary(uniqueKeysWithValues: Set(ids + items.keys).sorted().enumerated().map { ($1, $0) })
            report.update(replacing: before, with: after, staleOrder: { order[$0]! })
            #expect(report == whole(items), "seed \(seed), step \(step)")
        }
    }
}
