import PolicyTrackerCore
import Testing

/// Replaying the change log over a catalog.
@Suite struct ReplayTests {
    private typealias C = Fixture

    private func status(of id: String = "a", after changes: [Change], asOf: PolicyDate? = nil) throws -> Status? {
        try C.state(ids: ["a", "b"], changes: changes, asOf: asOf).items[id]?.status
    }

    @Test func withoutChangesEverythingIsNotStarted() throws {
        let state = try C.state(ids: ["a", "b"])
        #expect(state.sortedItems.map(\.id) == ["a", "b"])
        #expect(state.items.values.allSatisfy { $0.status == .notStarted && $0.statusChange == nil && $0.changeCount == 0 })
        #expect(state.items["a"]?.lastChange == nil)
        #expect(state.defaultCatalog == "main")
    }

    // MARK: Status precedence

    @Test func laterHappenedWinsWhateverTheLogOrder() throws {
        let older = C.change("c2", "a", .status(.inProgress), happened: "2021")
        let newer = C.change("c1", "a", .status(.implemented), happened: "2022-03")
        #expect(try status(after: [older, newer]) == .implemented)
        #expect(try status(after: [newer, older]) == .implemented)
        let item = try #require(try C.state(ids: ["a"], changes: [newer, older]).items["a"])
        #expect(item.statusChange?.happened == day("2022-03"))
        #expect(item.statusChange?.recorded == time("2024-01-01T00:00:00Z"))
        #expect(item.statusChange?.changeId == "c1")
        #expect(item.lastChange == day("2022-03"))
    }

    @Test func preciseDateBeatsThePartialDateHoldingIt() throws {
        let year = C.change("c1", "a", .status(.stalled), happened: "2022")
        let dayInYear = C.change("c2", "a", .status(.partial), happened: "2022-01-01")
        #expect(try status(after: [dayInYear, year]) == .partial)
        #expect(try status(after: [year, dayInYear]) == .partial)
    }

    @Test func sameHappenedLaterRecordedWins() throws {
        let first = C.change("c9", "a", .status(.inProgress), happened: "2023-05", recorded: "2024-01-01T00:00:00Z")
        let second = C.change("c1", "a", .status(.stalled), happened: "2023-05", recorded: "2024-01-02T00:00:00Z")
        #expect(try status(after: [first, second]) == .stalled)
        #expect(try status(after: [second, first]) == .stalled)
    }

    @Test func sameHappenedAndRecordedHigherChangeIdWins() throws {
        let low = C.change("c1", "a", .status(.reversed))
        let high = C.change("c2", "a", .status(.partial))
        #expect(try status(after: [low, high]) == .partial)
        #expect(try status(after: [high, low]) == .partial)
    }

    @Test func sameHappenedAndRecordedHigherSequenceWinsWhateverTheIds() throws {
        var first = C.change("c9", "a", .status(.implemented))
        first.sequence = 1
        var second = C.change("c1", "a", .status(.partial))
        second.sequence = 2
        #expect(try status(after: [first, second]) == .partial)
        #expect(try status(after: [second, first]) == .partial)
    }

    @Test func theSequenceOfAnItemIsTheHighestOfItsLinesRevertedOnesIncluded() throws {
        var mark = C.change("c1", "a", .status(.implemented))
        mark.sequence = 3
        var review = C.change("c2", "a", .review)
        review.sequence = 1
        let undo = C.change("c3", "a", .revert(changeId: "c1"))
        let state = try C.state(ids: ["a", "b"], changes: [mark, review, undo])
        #expect(state.items["a"]?.sequence == 3)
        #expect(state.items["a"]?.status == .notStarted)
        #expect(state.items["b"]?.sequence == 0)
    }

    /// Regression: adding again an id whose addition was undone made every later command
    /// refuse the tracker ("adds … which already exists").
    @Test func anIdWhoseAdditionWasRevertedMayBeAddedAgain() throws {
        let recommendation = Fixture.recommendation("zz-one")
        let first = C.change("c1", "zz-one", .add(recommendation))
        let undo = C.change("c2", "zz-one", .revert(changeId: "c1"))
        var again = recommendation
        again.title = "Added again"
        let second = C.change("c3", "zz-one", .add(again))
        let state = try C.state(ids: ["a"], changes: [first, undo, second])
        #expect(state.items["zz-one"]?.recommendation.title == "Added again")
        #expect(thrown { _ = try C.state(ids: ["a"], changes: [first, second]) } != nil)
    }

    /// Undoing the undo of an addition after the id was added again would add it twice: refused.
    @Test func anUndoThatWouldAddAnIdTwiceIsRefused() throws {
        let factory = ChangeFactory(now: Fixture.now)
        let first = C.change("c1", "zz-one", .add(Fixture.recommendation("zz-one")))
        let undo = C.change("c2", "zz-one", .revert(changeId: "c1"))
        let second = C.change("c3", "zz-one", .add(Fixture.recommendation("zz-one")))
        let error = thrown { _ = try factory.undo("c2", history: [first, undo, second]) }
        #expect(error?.exitCode == 64)
        #expect(error?.description.contains("undo c3 first") == true)
        #expect(thrown { _ = try factory.undo("c2", history: [first, undo]) } == nil)
    }

    /// Regression: a review of an item whose addition was undone, merged from a copy made
    /// before the undo, read back through the whole log but was refused past a snapshot that
    /// held the undo, since the snapshot keeps no trace of the reverted addition.
    @Test func linesPastASnapshotNamingAnItemWhoseAdditionWasRevertedLeaveItToTheWholeLog() throws {
        let head = [
            C.change("c1", "zz-one", .add(Fixture.recommendation("zz-one"))),
            C.change("c2", "zz-one", .revert(changeId: "c1")),
        ]
        let naming = C.change("c3", "zz-one", .review)
        let linking = C.change("c4", "zz-two", .add(Fixture.recommendation("zz-two", links: [Link(.advances, "zz-one")])))
        for tail in [[naming], [linking]] {
            let whole = try C.state(ids: ["a"], changes: head + tail)
            var state = try C.state(ids: ["a"], changes: head)
            let before = state
            var noWindow: RecentTransitions?
            let known = try Replay.apply(tail, to: &state, recent: &noWindow, locate: C.locate, locateLink: C.locateLink)
            #expect(known == nil, "past a snapshot, only the whole log knows the reverted addition")
            #expect(state == before)
            #expect(whole.items["zz-one"] == nil)
        }
        // An id no line ever added is still an error of the whole log.
        #expect(thrown { _ = try C.state(ids: ["a"], changes: [C.change("c3", "zz-one", .review)]) } != nil)
    }

    /// Regression: an item added again after its addition was undone restarted its sequence
    /// at 0, though a line about the id merged from a copy that still had it was numbered 1;
    /// and that line, about the earlier item, made the new one look changed side by side.
    @Test func anItemAddedAgainContinuesTheSequenceOfLinesAboutItsIdAndStartsWithoutForks() throws {
        let first = C.change("c1", "zz-one", .add(Fixture.recommendation("zz-one")))
        let undo = C.change("c2", "zz-one", .revert(changeId: "c1"))
        var merged = C.change("c3", "zz-one", .status(.stalled))
        merged.sequence = 1
        merged.follows = []
        let again = C.change("c4", "zz-one", .add(Fixture.recommendation("zz-one")))
        var mark = C.change("c5", "zz-one", .status(.partial))
        mark.sequence = 2
        mark.follows = []
        let history = [first, undo, merged, again, mark]
        let added = try C.state(ids: ["a"], changes: Array(history.prefix(4)))
        #expect(added.items["zz-one"]?.sequence == 1, "the next status change is numbered 2")
        #expect(Forks.unresolved(in: history).isEmpty, "c3 is about the earlier item")
    }

    @Test func backdatedChangeRecordedLaterDoesNotOverrideANewerStatus() throws {
        let current = C.change("c1", "a", .status(.implemented), happened: "2023-08-18", recorded: "2024-01-01T00:00:00Z")
        let backdated = C.change("c2", "a", .status(.inProgress), happened: "2022", recorded: "2024-03-01T00:00:00Z")
        let state = try C.state(ids: ["a"], changes: [current, backdated])
        #expect(state.items["a"]?.status == .implemented)
        #expect(state.items["a"]?.statusChange?.changeId == "c1")
        #expect(state.items["a"]?.changeCount == 2)
        #expect(state.items["a"]?.recommendation.lastReviewed == day("2024-03-01"))
    }

    // MARK: Reverts

    @Test func revertCancelsAStatusChange() throws {
        let first = C.change("c1", "a", .status(.inProgress), happened: "2022")
        let second = C.change("c2", "a", .status(.implemented), happened: "2023")
        let revert = C.change("c3", "a", .revert(changeId: "c2"), happened: "2024")
        let state = try C.state(ids: ["a"], changes: [first, second, revert])
        #expect(state.items["a"]?.status == .inProgress)
        #expect(state.items["a"]?.statusChange?.changeId == "c1")
        #expect(state.items["a"]?.changeCount == 1)
        #expect(Replay.cancelledChangeIds([first, second, revert]) == ["c2"])
    }

    @Test func revertOfTheOnlyStatusRestoresNotStarted() throws {
        let mark = C.change("c1", "a", .status(.stalled))
        let state = try C.state(ids: ["a"], changes: [mark, C.change("c2", "a", .revert(changeId: "c1"))])
        #expect(state.items["a"]?.status == .notStarted)
        #expect(state.items["a"]?.statusChange == nil)
    }

    @Test func revertOfARevertRestores() throws {
        let mark = C.change("c1", "a", .status(.stalled))
        let revert = C.change("c2", "a", .revert(changeId: "c1"))
        let again = C.change("c3", "a", .revert(changeId: "c2"))
        #expect(Replay.cancelledChangeIds([mark, revert, again]) == ["c2"])
        #expect(try status(after: [mark, revert, again]) == .stalled)
        let thrice = C.change("c4", "a", .revert(changeId: "c3"))
        #expect(Replay.cancelledChangeIds([mark, revert, again, thrice]) == ["c3", "c1"])
        #expect(try status(after: [mark, revert, again, thrice]) == .notStarted)
    }

    @Test func undoOfAnAddRemovesTheItem() throws {
        let add = C.change("c1", "new", .add(C.recommendation("new", catalog: "extra", title: "New one")))
        let mark = C.change("c2", "new", .status(.partial))
        let added = try C.state(ids: ["a"], changes: [add, mark])
        #expect(added.items["new"]?.recommendation.title == "New one")
        #expect(added.items["new"]?.recommendation.catalog == "extra")
        #expect(added.items["new"]?.status == .partial)
        #expect(added.items["new"]?.changeCount == 2)
        let undone = try C.state(ids: ["a"], changes: [add, mark, C.change("c3", "new", .revert(changeId: "c1"))])
        #expect(undone.items["new"] == nil)
        #expect(undone.sortedItems.map(\.id) == ["a"])
    }

    // MARK: Other kinds

    @Test func watchAppliesInLogOrder() throws {
        let on = C.change("c1", "a", .watch(true), happened: "2024-01-05")
        let off = C.change("c2", "a", .watch(false), happened: "2024-01-01")
        #expect(try C.state(ids: ["a"], changes: [on, off]).items["a"]?.recommendation.watched == false)
        #expect(try C.state(ids: ["a"], changes: [off, on]).items["a"]?.recommendation.watched == true)
    }

    @Test func editsApplyInLogOrderAndRevertRestores() throws {
        let first = C.change("c1", "a", .edit(
            RecommendationPatch(title: "First", horizon: .shortTerm),
            previous: RecommendationPatch(title: "Title of a", horizon: .ongoing)))
        let second = C.change("c2", "a", .edit(
            RecommendationPatch(title: "Second", actors: [.rok, .us]),
            previous: RecommendationPatch(title: "First", actors: [.us, .japan, .rok])), happened: "2020")
        let both = try #require(try C.state(ids: ["a"], changes: [first, second]).items["a"]?.recommendation)
        #expect(both.title == "Second")
        #expect(both.horizon == .shortTerm)
        #expect(both.actors == [.rok, .us], "as the edit lists them")
        #expect(both.summary == "")
        let reverted = try #require(try C.state(ids: ["a"], changes: [first, second, C.change("c3", "a", .revert(changeId: "c2"))]).items["a"])
        #expect(reverted.recommendation.title == "First")
        #expect(reverted.recommendation.actors == [.us, .japan, .rok])
        #expect(reverted.status == .notStarted)
    }

    @Test func reviewCountsAsAChangeButKeepsTheStatus() throws {
        let state = try C.state(ids: ["a"], changes: [C.change("c1", "a", .status(.partial)), C.change("c2", "a", .review)])
        #expect(state.items["a"]?.status == .partial)
        #expect(state.items["a"]?.statusChange?.changeId == "c1")
        #expect(state.items["a"]?.changeCount == 2)
    }

    @Test func lastReviewedIsTheLatestRecordedDay() throws {
        let changes = [
            C.change("c1", "a", .review, happened: "2024-01-01", recorded: "2024-03-09T10:00:00Z"),
            C.change("c2", "a", .status(.partial), happened: "2024-02-01", recorded: "2024-02-01T23:59:59Z"),
            C.change("c3", "b", .review, recorded: "2024-05-01T00:00:00Z"),
        ]
        let state = try C.state(ids: ["a", "b"], changes: changes)
        #expect(state.items["a"]?.recommendation.lastReviewed == day("2024-03-09"))
        #expect(state.items["b"]?.recommendation.lastReviewed == day("2024-05-01"))
    }

    // MARK: As of

    @Test func asOfCountsOnlyStatusChangesThatHappenedByThen() throws {
        let changes = [
            C.change("c1", "a", .status(.inProgress), happened: "2021-06"),
            C.change("c2", "a", .status(.implemented), happened: "2023-02-10"),
            C.change("c3", "a", .edit(RecommendationPatch(title: "Renamed"), previous: RecommendationPatch(title: "Title of a")), happened: "2024"),
        ]
        #expect(try status(after: changes, asOf: day("2021-05-31")) == .notStarted)
        #expect(try status(after: changes, asOf: day("2021-06")) == .inProgress)
        #expect(try status(after: changes, asOf: day("2023-02")) == .implemented)
        #expect(try status(after: changes, asOf: day("2023-02-09")) == .inProgress)
        #expect(try status(after: changes, asOf: day("2023")) == .implemented)
        // Corrections are always current, whatever the date.
        let early = try C.state(ids: ["a"], changes: changes, asOf: day("2020"))
        #expect(early.items["a"]?.recommendation.title == "Renamed")
    }

    // MARK: Timeline

    @Test func transitionsPairEachStatusWithTheOneBefore() throws {
        let history = [
            C.change("c3", "a", .status(.implemented), happened: "2023"),
            C.change("c1", "a", .status(.inProgress), happened: "2021"),
            C.change("c2", "b", .status(.stalled), happened: "2022"),
            C.change("c4", "a", .review, happened: "2023-06"),
            C.change("c5", "a", .status(.reversed), happened: "2024"),
            C.change("c6", "a", .revert(changeId: "c5"), happened: "2024"),
        ]
        let transitions = Timeline.transitions(history)
        #expect(transitions.map(\.change.changeId) == ["c1", "c2", "c3"])
        #expect(transitions.map(\.from) == [.notStarted, .notStarted, .inProgress])
        #expect(transitions.map(\.to) == [.inProgress, .stalled, .implemented])
        let early = Timeline.transitions(history, asOf: day("2022-12"))
        #expect(early.map(\.change.changeId) == ["c1", "c2"])
    }

    @Test func changesOfAnItemAreNewestFirst() {
        let history = [
            C.change("c1", "a", .status(.inProgress), happened: "2021"),
            C.change("c2", "b", .review, happened: "2024"),
            C.change("c3", "a", .review, happened: "2023-06"),
            C.change("c4", "a", .watch(true), happened: "2022"),
        ]
        #expect(Timeline.changes(of: "a", in: history).map(\.changeId) == ["c3", "c4", "c1"])
    }

    @Test func notesOfChangesInEffectByItem() {
        let history = [
            C.change("c1", "a", .review, note: "first look"),
            C.change("c2", "a", .status(.stalled), note: "stalled, wrongly"),
            C.change("c3", "a", .revert(changeId: "c2"), note: "undo"),
            C.change("c4", "b", .review),
        ]
        #expect(history.notesByItem() == ["a": ["first look", "undo"]])
    }
}
