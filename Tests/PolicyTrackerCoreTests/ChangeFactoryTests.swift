import PolicyTrackerCore
import Testing

/// Turning requests into changes, checked against the current state.
@Suite struct ChangeFactoryTests {
    private let factory = ChangeFactory(now: Fixture.now, ids: Fixture.countingIds())

    private func item(_ id: String = "a", changes: [Change] = []) throws(TrackerError) -> Item {
        try Fixture.state(ids: ["a", "b"], changes: changes).items[id]!
    }

    // MARK: Change ids

    @Test func changeIdIsTheCompactTimeAndTwelveHexDigits() {
        #expect(ChangeIdGenerator(random: { 0xABC }).next(at: time("2024-01-31T12:00:00Z")) == "20240131T120000Z-000000000abc")
        #expect(ChangeIdGenerator(random: { 0 }).next(at: time("1999-12-31T23:59:59Z")) == "19991231T235959Z-000000000000")
        #expect(ChangeIdGenerator(random: { 0xFFFF_1234_5678_9ABC }).next(at: Fixture.now) == "20240131T120000Z-123456789abc")
    }

    @Test func generatedIdsAreValidChangeIds() {
        let id = ChangeIdGenerator().next(at: Fixture.now)
        #expect(id.hasPrefix("20240131T120000Z-"))
        #expect(id.count == 29)
        #expect(ChangeLogFormat.isValidChangeId(id))
    }

    @Test func factoryDrawsAFreshIdForEachChange() throws {
        let first = try factory.mark(try item(), .partial, happened: nil, note: nil, source: nil)
        let second = try factory.review(try item(), note: nil)
        #expect(first.changeId == "20240131T120000Z-000000000001")
        #expect(second.changeId == "20240131T120000Z-000000000002")
    }

    // MARK: Mark

    @Test func markDefaultsToTodayAndTrimsText() throws {
        let change = try factory.mark(try item(), .implemented, happened: nil, note: "  signed \n", source: " ")
        #expect(change.kind == .status(.implemented))
        #expect(change.recommendationId == "a")
        #expect(change.happened == day("2024-01-31"))
        #expect(change.recorded == Fixture.now)
        #expect(change.note == "signed")
        #expect(change.source == nil)
    }

    @Test func markAcceptsPastAndPartialDatesOfThisMonth() throws {
        #expect(try factory.mark(try item(), .stalled, happened: day("2019-06-30"), note: nil, source: "src").happened == day("2019-06-30"))
        #expect(try factory.mark(try item(), .stalled, happened: day("2024-01"), note: nil, source: nil).happened == day("2024-01"))
        #expect(try factory.mark(try item(), .stalled, happened: day("2024"), note: nil, source: nil).happened == day("2024"))
        #expect(try factory.mark(try item(), .stalled, happened: day("2024-01-31"), note: nil, source: nil).happened == day("2024-01-31"))
    }

    @Test func markRefusesFutureDates() throws {
        let item = try item()
        #expect(thrown { _ = try factory.mark(item, .implemented, happened: day("2024-02-01"), note: nil, source: nil) }
            == .usage("the date 2024-02-01 is in the future (today is 2024-01-31)"))
        #expect(thrown { _ = try factory.mark(item, .implemented, happened: day("2024-02"), note: nil, source: nil) }
            == .usage("the date 2024-02 is in the future (today is 2024-01-31)"))
        #expect(thrown { _ = try factory.mark(item, .implemented, happened: day("2025"), note: nil, source: nil) }?.exitCode == 64)
    }

    // MARK: Watch and review

    @Test func watchReturnsNilWhenUnchanged() throws {
        #expect(factory.watch(try item(), false) == nil)
        let watched = try #require(factory.watch(try item(), true))
        #expect(watched.kind == .watch(true))
        #expect(watched.happened == day("2024-01-31"))
        let nowWatched = try item(changes: [watched])
        #expect(factory.watch(nowWatched, true) == nil)
        #expect(factory.watch(nowWatched, false)?.kind == .watch(false))
    }

    @Test func reviewKeepsItsNote() throws {
        let change = try factory.review(try item("b"), note: "checked the joint statement")
        #expect(change.kind == .review)
        #expect(change.recommendationId == "b")
        #expect(change.note == "checked the joint statement")
        #expect(try factory.review(try item("b"), note: "   ").note == nil)
    }

    @Test func reviewTakesAPastDateButNotAFutureOne() throws {
        let change = try factory.review(try item("b"), happened: day("2024-01"), note: nil)
        #expect(change.kind == .review && change.happened == day("2024-01") && change.recorded == Fixture.now)
        #expect(try factory.review(try item("b"), happened: nil, note: nil).happened == Fixture.now.day)
        #expect(throws: TrackerError.usage("the date 2024-02 is in the future (today is 2024-01-31)")) {
            try factory.review(try item("b"), happened: day("2024-02"), note: nil)
        }
    }

    // MARK: Edit

    @Test func editRecordsOnlyDifferingFieldsWithPreviousValues() throws {
        let patch = RecommendationPatch(
            title: "Title of a", summary: "New summary", category: "security", horizon: .longTerm,
            actors: [.rok, .japan, .us], source: Citation(source: "src"))
        let change = try #require(try factory.edit(try item(), patch, note: "fix"))
        #expect(change.kind == .edit(
            RecommendationPatch(summary: "New summary", horizon: .longTerm),
            previous: RecommendationPatch(summary: "", horizon: .ongoing)))
        #expect(change.note == "fix")
        if case .edit(let fields, _) = change.kind { #expect(fields.fieldNames == ["summary", "horizon"]) }
    }

    @Test func editChangingActorsAndSourceRemembersThem() throws {
        let patch = RecommendationPatch(actors: [.us], source: Citation(source: "src", quote: "new quote"))
        let change = try #require(try factory.edit(try item(), patch, note: nil))
        #expect(change.kind == .edit(patch, previous: RecommendationPatch(actors: [.us, .japan, .rok], source: Citation(source: "src"))))
    }

    @Test func editReturnsNilWhenNothingDiffers() throws {
        #expect(try factory.edit(try item(), RecommendationPatch(title: "Title of a", actors: [.rok, .us, .japan]), note: nil) == nil)
        #expect(try factory.edit(try item(), RecommendationPatch(), note: nil) == nil)
    }

    @Test func editRefusesAnEmptyTitle() throws {
        let item = try item()
        #expect(thrown { _ = try factory.edit(item, RecommendationPatch(title: " \t"), note: nil) } == .usage("the title must not be empty"))
    }

    // MARK: Add

    @Test func addMakesAnAddChange() throws {
        let recommendation = Fixture.recommendation("new-one", catalog: "extra")
        let change = try factory.add(recommendation, to: try Fixture.state(ids: ["a"]), note: "from the summit")
        #expect(change.kind == .add(recommendation))
        #expect(change.recommendationId == "new-one")
        #expect(change.happened == day("2024-01-31"))
        #expect(change.note == "from the summit")
    }

    @Test func addRefusesABadSlug() throws {
        let state = try Fixture.state(ids: ["a"])
        #expect(thrown { _ = try factory.add(Fixture.recommendation("New One"), to: state, note: nil) }
            == .usage("invalid id \"New One\" (expected a lowercase slug of letters, digits and single hyphens, such as 222-dialogue)"))
        #expect(thrown { _ = try factory.add(Fixture.recommendation("a--b"), to: state, note: nil) }?.exitCode == 64)
    }

    @Test func addRefusesADuplicate() throws {
        let state = try Fixture.state(ids: ["a"])
        #expect(thrown { _ = try factory.add(Fixture.recommendation("a"), to: state, note: nil) } == .usage("\"a\" already exists"))
    }

    @Test func addRefusesAnUnknownCatalog() throws {
        let state = try Fixture.state(ids: ["a"])
        #expect(thrown { _ = try factory.add(Fixture.recommendation("new", catalog: "nope"), to: state, note: nil) }
            == .usage("no catalog \"nope\" (choices: main, extra)"))
    }

    @Test func addRefusesAnEmptyTitle() throws {
        let state = try Fixture.state(ids: ["a"])
        #expect(thrown { _ = try factory.add(Fixture.recommendation("new", title: " "), to: state, note: nil) }
            == .usage("the title must not be empty"))
    }

    // MARK: Undo

    private let history = [
        Fixture.change("c1", "a", .status(.inProgress)),
        Fixture.change("c2", "b", .watch(true)),
        Fixture.change("c3", "a", .status(.implemented)),
    ]

    @Test func undoRevertsTheLatestChangeInEffect() throws {
        let (revert, target) = try factory.undo(nil, history: history)
        #expect(target.changeId == "c3")
        #expect(revert.kind == .revert(changeId: "c3"))
        #expect(revert.recommendationId == "a")
        #expect(revert.note == "Undo of status change c3")
        #expect(revert.recorded == Fixture.now)
    }

    @Test func repeatedUndoWalksBack() throws {
        var log = history
        var undone: [String] = []
        for _ in 0..<3 {
            let (revert, target) = try factory.undo(nil, history: log)
            undone.append(target.changeId)
            log.append(revert)
        }
        #expect(undone == ["c3", "c2", "c1"])
        #expect(thrown { _ = try factory.undo(nil, history: log) } == .usage("nothing to undo"))
        let state = try Fixture.state(ids: ["a", "b"], changes: log)
        #expect(state.items["a"]?.status == .notStarted)
        #expect(state.items["b"]?.recommendation.watched == false)
    }

    @Test func undoSkipsRevertsAndCancelledChanges() throws {
        let log = history + [Fixture.change("c4", "a", .revert(changeId: "c3"))]
        #expect(try factory.undo(nil, history: log).target.changeId == "c2")
    }

    @Test func undoOfAChosenChange() throws {
        let (revert, target) = try factory.undo("c2", history: history)
        #expect(target.changeId == "c2")
        #expect(revert.kind == .revert(changeId: "c2"))
        #expect(revert.recommendationId == "b")
        #expect(revert.note == "Undo of watch change c2")
    }

    @Test func undoRefusesAnAlreadyRevertedChange() {
        let log = history + [Fixture.change("c4", "a", .revert(changeId: "c1"))]
        #expect(thrown { _ = try factory.undo("c1", history: log) } == .usage("change c1 is already reverted"))
    }

    @Test func undoRefusesAnUnknownChange() {
        #expect(thrown { _ = try factory.undo("c9", history: history) }
            == .usage("no change \"c9\" (see `ptrack history --json` for change ids)"))
    }

    @Test func nothingToUndoInAnEmptyLog() {
        let error = thrown { _ = try factory.undo(nil, history: []) }
        #expect(error == .usage("nothing to undo"))
        #expect(error?.exitCode == 64)
    }
}
