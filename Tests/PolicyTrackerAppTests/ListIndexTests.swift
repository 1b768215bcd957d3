import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// The list's rows come from packed keys and cached sort orders; they must be exactly the
/// rows a plain filter and sort of the items give, under every combination the keys reach.
@Suite struct ListIndexTests {
    /// The list order, written out plainly as the oracle.
    private func precedes(_ sort: SortOrder, _ lhs: Item, _ rhs: Item) -> Bool {
        switch sort {
        case .id: return lhs.id < rhs.id
        case .status: return (lhs.status, lhs.id) < (rhs.status, rhs.id)
        case .since:
            let left = lhs.since?.text ?? "", right = rhs.since?.text ?? ""
            return left != right ? left > right : lhs.id < rhs.id
        case .category: return (lhs.recommendation.category, lhs.id) < (rhs.recommendation.category, rhs.id)
        }
    }

    private func expectedIds(_ state: AppState) -> [String] {
        state.tracker.items.values.filter { state.filter.matches($0) }
            .sorted { precedes(state.sort, $0, $1) }.map(\.id)
    }

    @Test func everySortAndFilterGivesThePlainResult() throws {
        var state = try Fixture.state(extra: Fixture.cjkChanges + [Fixture.mark("gsomia", .stalled), Fixture.mark("dtt", .reversed)])
        // Filters as keys choose them: status (picker rows), category, actor, watched only.
        let filters: [[Key]] = [[], [key("f"), key("2")], [key("f"), key("5")], [key("c"), key("1")], [key("c"), key("3")],
                                [key("a"), key("2")], [key("w")], [key("f"), key("1"), key("a"), key("3")],
                                [key("C"), key("1")], [key("C"), key("2"), key("f"), key("2")]]
        var checked = 0
        for keys in filters {
            state.press(key("0"))
            for keyPress in keys { state.press(keyPress) }
            for _ in SortOrder.allCases {
                #expect(state.visibleItemIds == expectedIds(state), "sort \(state.sort.label), filter \(state.filter)")
                checked += state.visibleItemIds.count
                state.press(key("s"))
            }
        }
        #expect(checked > 100, "the filters kept items to compare")
    }
}
