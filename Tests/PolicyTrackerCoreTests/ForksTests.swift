import PolicyTrackerCore
import Testing

/// Finding items whose status two copies of a tracker changed side by side.
@Suite struct ForksTests {
    /// A status change `id` about item `a` that follows `follows`, happened on `happened`.
    private func mark(_ id: String, _ status: Status, follows: [String]?, happened: String = "2024", item: String = "a") -> Change {
        Change(changeId: id, recommendationId: item, kind: .status(status), happened: day(happened),
               recorded: time("2024-02-01T00:00:00Z"), follows: follows)
    }

    private func review(_ id: String, follows: [String]?) -> Change {
        Change(changeId: id, recommendationId: "a", kind: .review, happened: day("2024-03"), recorded: time("2024-03-01T00:00:00Z"), follows: follows)
    }

    private func forked(_ history: [Change]) -> [String: [String]] {
        Forks.unresolved(in: history).mapValues { $0.map(\.changeId) }
    }

    @Test func marksInOneCopyFollowEachOther() {
        #expect(forked([mark("x", .inProgress, follows: []), mark("y", .partial, follows: ["x"]), mark("z", .implemented, follows: ["y"])]).isEmpty)
    }

    @Test func aMarkThatDoesNotTakeEffectIsStillFollowed() {
        // A backdated mark loses to x, but the next mark made in the same copy follows it.
        #expect(forked([mark("x", .inProgress, follows: []), mark("old", .partial, follows: ["x"], happened: "2020"),
                        mark("z", .stalled, follows: ["old"])]).isEmpty)
    }

    @Test func changesOldVersionsMadeFollowEverythingBefore() {
        #expect(forked([mark("x", .inProgress, follows: nil), mark("y", .partial, follows: nil), mark("z", .stalled, follows: ["y"])]).isEmpty)
    }

    @Test func twoCopiesFollowingTheSameChangeForkInEitherMergeOrder() {
        let (base, ours, theirs) = (mark("x", .inProgress, follows: []), mark("y", .partial, follows: ["x"]), mark("z", .stalled, follows: ["x"]))
        #expect(forked([base, ours, theirs]) == ["a": ["y", "z"]])
        #expect(forked([base, theirs, ours]) == ["a": ["z", "y"]])
        // Two first statuses, each made where the item had none.
        #expect(forked([mark("p", .partial, follows: []), mark("q", .stalled, follows: [])]) == ["a": ["p", "q"]])
        // Other items are not affected.
        #expect(forked([base, ours, theirs, mark("b1", .partial, follows: [], item: "b")]).keys.sorted() == ["a"])
    }

    @Test func aReviewOrMarkThatFollowsBothSidesSettlesTheFork() {
        let history = [mark("x", .inProgress, follows: []), mark("y", .partial, follows: ["x"], happened: "2024-05"), mark("z", .stalled, follows: ["x"])]
        #expect(forked(history + [review("r", follows: ["y", "z"])]).isEmpty)
        #expect(forked(history + [mark("m", .implemented, follows: ["y", "z"], happened: "2024-06")]).isEmpty)
        // One that follows one side only was made without knowing of the other.
        #expect(forked(history + [review("r", follows: ["z"])]) == ["a": ["y", "z"]])
        #expect(forked(history + [mark("m", .implemented, follows: ["y"], happened: "2024-06")]) == ["a": ["z", "m"]])
    }

    @Test func aReviewMadeSideBySideWithAMarkIsNoFork() {
        #expect(forked([mark("x", .inProgress, follows: []), review("r", follows: ["x"]), mark("y", .partial, follows: ["x"])]).isEmpty)
    }

    @Test func aChangeMadeBeforeThePullDoesNotSettleWhateverTheMergeOrder() {
        let base = mark("x", .inProgress, follows: [])
        let theirs = mark("y", .partial, follows: ["x"], happened: "2024-05")
        let ours = [mark("z", .stalled, follows: ["x"]), mark("w", .implemented, follows: ["z"], happened: "2024-07")]
        #expect(forked([base] + ours + [theirs]) == ["a": ["w", "y"]])
        #expect(forked([base, theirs] + ours) == ["a": ["y", "w"]])
        #expect(forked([base, theirs] + ours + [review("r", follows: ["y", "w"])]).isEmpty)
    }

    @Test func aRevertedSideIsNoFork() {
        let history = [mark("x", .inProgress, follows: []), mark("y", .partial, follows: ["x"]), mark("z", .stalled, follows: ["x"])]
        let revert = Change(changeId: "u", recommendationId: "a", kind: .revert(changeId: "z"), happened: day("2024"), recorded: time("2024-04-01T00:00:00Z"))
        #expect(forked(history + [revert]).isEmpty)
    }

    @Test func theFactoryNotesTheItemsTipsAndReplayKeepsThem() throws {
        var state = try Fixture.state(ids: ["a"])
        let factory = ChangeFactory(now: Fixture.now, ids: Fixture.countingIds())
        let first = try factory.mark(state.items["a"]!, .inProgress, happened: nil, note: nil, source: nil)
        #expect(first.follows == [])
        Replay.apply(first, to: &state)
        #expect(state.items["a"]?.tips == [first.changeId])
        let backdated = try factory.mark(state.items["a"]!, .partial, happened: day("2001"), note: nil, source: nil)
        #expect(backdated.follows == [first.changeId])
        Replay.apply(backdated, to: &state)
        #expect(state.items["a"]?.status == .inProgress && state.items["a"]?.tips == [backdated.changeId])
        #expect(try factory.review(state.items["a"]!, note: nil).follows == [backdated.changeId])
        let merged = try Fixture.state(ids: ["a"], changes: [mark("x", .inProgress, follows: []), mark("y", .partial, follows: ["x"]),
                                                             mark("z", .stalled, follows: ["x"])])
        #expect(merged.items["a"]?.tips == ["y", "z"])
    }
}
