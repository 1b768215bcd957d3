import PolicyTrackerApp
import PolicyTrackerCore
import Testing

@Suite struct MovementTests {
    @Test func jkgGAndPageDownMoveTheSelection() throws {
        var state = try Fixture.state()
        let ids = state.visibleItemIds
        #expect(state.selectedId == ids[0])
        state.press(key("j"), key("j"))
        #expect(state.selectedId == ids[2])
        state.press(key("k"))
        #expect(state.selectedId == ids[1])
        state.press(key("G"))
        #expect(state.selectedId == ids.last)
        state.press(key("j"))
        #expect(state.selectedId == ids.last, "j stops at the last row")
        state.press(key("g"))
        #expect(state.selectedId == ids[0])
        state.press(key("k"))
        #expect(state.selectedId == ids[0], "k stops at the first row")
        state.press(.pageDown)
        let row = try #require(state.selectedRow)
        #expect(row > 10 && row < ids.count, "PgDn moves a page")
        #expect(row >= state.listOffset && row < state.listOffset + Layout(size: state.size).listBody.height)
        state.press(.pageUp)
        #expect(state.selectedId == ids[0])
        state.press(.end)
        #expect(state.selectedId == ids.last)
        state.press(.home)
        #expect(state.selectedId == ids[0])
    }

    @Test func selectionFollowsTheItemAcrossSortsAndFilters() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        #expect(state.selectedId == "gsomia")
        let rowById = state.selectedRow
        state.press(key("s"))
        #expect(state.sort == .status)
        #expect(state.selectedId == "gsomia")
        #expect(state.selectedRow == state.rows.firstIndex(of: .item(id: "gsomia")))
        #expect(state.selectedRow != rowById, "the row moved, the selection went with it")
        state.press(key("f"), key("3"))
        #expect(state.filter.statuses == [.partial])
        #expect(state.selectedId == "gsomia")
        state.press(key("o"))
        #expect(state.selectedId == "gsomia", "grouping keeps it too")
        state.press(key("f"), key("4"))
        #expect(!state.visibleItemIds.contains("gsomia"))
        #expect(state.selectedId.map(state.visibleItemIds.contains) ?? true, "hidden: the selection moves to a shown item")
    }

    @Test func aReloadKeepsTheSelection() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        let (tracker, history) = try Fixture.tracker(extra: Fixture.cjkChanges)
        state.send(.reloaded(tracker, history, external: true))
        #expect(state.selectedId == "gsomia")
        #expect(state.tracker.items["cjk-cooperation"] != nil)
        #expect(state.message?.text.contains("another process") == true)
    }

    @Test func tabAndDigitsSwitchScreens() throws {
        var state = try Fixture.state()
        #expect(state.screen == .list)
        var seen: [Screen] = []
        for _ in 0..<4 {
            state.press(.tab)
            seen.append(state.screen)
        }
        #expect(seen == [.detail, .dashboard, .timeline, .list])
        for screen in Screen.allCases {
            state.press(key(Character(String(screen.rawValue))))
            #expect(state.screen == screen)
        }
    }

    @Test func enterOpensTheDetailAndEscGoesBack() throws {
        var state = try Fixture.state()
        state.press(.enter)
        #expect(state.screen == .detail)
        state.press(.escape)
        #expect(state.screen == .list)
    }

    @Test(arguments: [(Fixture.narrow, Screen.detail), (Fixture.wide, Screen.list)])
    func enterOnTheTimelineJumpsToTheItem(size: Size, screen: Screen) throws {
        var state = try Fixture.state(size: size)
        state.press(key("4"), key("g"), key("j"), key("j"))
        #expect(state.timelineIndex == 2)
        let id = state.timeline[2].change.recommendationId
        state.press(.enter)
        #expect(state.selectedId == id)
        #expect(state.screen == screen)
    }

    @Test func aClickSelectsTheRowUnderThePointer() throws {
        var state = try Fixture.state()
        state.press(key("G"))
        let body = Layout(size: state.size).listBody
        let row = state.listOffset + 5
        state.send(.input(.mouse(MouseEvent(kind: .press, x: body.x + 3, y: body.y + 5))))
        #expect(state.selectedId == state.rows[row].itemId)
        #expect(state.selectedRow == row)
    }

    @Test func aClickOnTheTimelineSelectsTheEntry() throws {
        var state = try Fixture.state()
        state.press(key("4"))
        let body = Layout(size: state.size).timelineBody
        state.send(.input(.mouse(MouseEvent(kind: .press, x: 10, y: body.y + 3))))
        #expect(state.timelineIndex == state.timelineOffset + 3)
    }

    @Test func theWheelScrolls() throws {
        var state = try Fixture.state()
        let ids = state.visibleItemIds
        state.send(.input(.mouse(MouseEvent(kind: .wheelDown, x: 0, y: 5))))
        #expect(state.selectedId == ids[3])
        state.send(.input(.mouse(MouseEvent(kind: .wheelUp, x: 0, y: 5))))
        #expect(state.selectedId == ids[0])
    }

    @Test func resizingKeepsTheSelectionVisible() throws {
        var state = try Fixture.state()
        state.press(key("G"))
        for size in [Size(width: 80, height: 12), Size(width: 140, height: 10), Size(width: 60, height: 30)] {
            state.resize(size)
            let row = try #require(state.selectedRow)
            let body = Layout(size: size).listBody
            #expect(row >= state.listOffset && row < state.listOffset + body.height, "\(size)")
            #expect(View.render(state).size == size)
        }
    }
}

@Suite struct SearchTests {
    @Test func theSelectionJumpsAsYouTypeAndEnterKeepsIt() throws {
        var state = try Fixture.state()
        state.press(key("/"))
        state.type("gsom")
        #expect(state.selectedId == "gsomia")
        #expect(state.highlightedQuery == "gsom")
        #expect(state.matchedIds.contains("gsomia"))
        state.press(.enter)
        #expect(state.mode == .browse)
        #expect(state.selectedId == "gsomia")
        #expect(state.lastSearch == "gsom")
    }

    @Test func escReturnsToWhereYouWere() throws {
        var state = try Fixture.state()
        state.press(key("j"), key("j"))
        let origin = state.selectedId
        state.press(key("/"))
        state.type("gsomia")
        #expect(state.selectedId != origin)
        state.press(.escape)
        #expect(state.mode == .browse)
        #expect(state.selectedId == origin)
    }

    @Test func backspaceEditsTheQuery() throws {
        var state = try Fixture.state()
        state.press(key("/"))
        state.type("gsx")
        state.press(.backspace)
        #expect(state.highlightedQuery == "gs")
    }

    @Test func nAndNWrapAround() throws {
        var state = try Fixture.state()
        state.find("coop")
        let matches = state.matchedIds
        #expect(matches.count >= 3)
        #expect(state.selectedId == matches[0])
        for match in matches.dropFirst() {
            state.press(key("n"))
            #expect(state.selectedId == match)
        }
        state.press(key("n"))
        #expect(state.selectedId == matches[0], "n wraps to the first match")
        state.press(key("N"))
        #expect(state.selectedId == matches.last, "N wraps to the last match")
    }

    @Test func nWithoutASearchSaysSo() throws {
        var state = try Fixture.state()
        state.press(key("n"))
        #expect(state.message?.text.contains("/") == true)
    }
}

@Suite struct ChangeTests {
    @Test func xOpensTheFormOnItsNoteAndEnterMarksImplementedWithTheNote() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        #expect(state.press(key("x")).isEmpty)
        #expect(state.form?.purpose == .mark(itemId: "gsomia"))
        #expect(state.form?.focused.name == .note)
        #expect(state.type("Made-up note: done in full").isEmpty)
        let effects = state.press(.enter)
        #expect(effects == [.record(.mark(itemId: "gsomia", status: .implemented, happened: nil, note: "Made-up note: done in full",
                                          evidence: ChangeFactory.Evidence()))])
        #expect(state.mode == .browse)
    }

    @Test func escInTheFormCancelsTheWholeChange() throws {
        var state = try Fixture.state()
        state.press(key("x"))
        state.type("never mind")
        #expect(state.press(.escape).isEmpty)
        #expect(state.mode == .browse)
        #expect(state.message?.text.contains("nothing recorded") == true)
    }

    @Test func mOpensThePickerAndADigitLeadsToTheNote() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(key("m"))
        guard case .picker(let picker) = state.mode else {
            Issue.record("m should open a picker, not \(state.mode)")
            return
        }
        #expect(picker.options == Status.names)
        #expect(picker.cursor == Status.allCases.firstIndex(of: .partial), "the cursor starts on gsomia's status")
        state.press(key("3"))
        #expect(state.form?[.status] == "partial")
        #expect(state.press(.enter) == [.record(.mark(itemId: "gsomia", status: .partial, happened: nil, note: nil, evidence: ChangeFactory.Evidence()))])
    }

    @Test func thePickerMovesWithArrowsAndChoosesWithEnter() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(key("m"), .up, .up, .down, .enter)
        #expect(state.form?[.status] == "in-progress")
    }

    @Test(arguments: ["m", "e"] as [Character]) func escClosesThePicker(opener: Character) throws {
        var state = try Fixture.state()
        #expect(state.press(key(opener), .escape).isEmpty)
        #expect(state.mode == .browse)
    }

    @Test func starTogglesTheWatch() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        #expect(state.press(key("*")) == [.setWatched(itemId: "gsomia", watched: true)])
    }

    @Test func undoWithoutASessionChangeOnlySaysSo() throws {
        var state = try Fixture.state()
        #expect(state.press(key("u")).isEmpty)
        #expect(state.message?.text.hasPrefix("Nothing to undo") == true)
    }

    @Test func undoRevertsTheSessionsLastChange() throws {
        var state = try Fixture.state()
        let change = Fixture.mark("gsomia", .implemented, happened: "2024-02-01", note: "Restored")
        let (tracker, _) = try Fixture.tracker(extra: [change])
        let item = ItemChange(id: "gsomia", before: state.tracker.items["gsomia"], after: tracker.items["gsomia"])
        state.send(.recorded(changes: [change], items: [item]))
        #expect(state.message?.text == "Saved: gsomia → implemented")
        #expect(state.press(key("u")) == [.undo(changeId: change.changeId)])
    }

    @Test func rAsksForAReload() throws {
        var state = try Fixture.state()
        #expect(state.press(key("r")) == [.reload])
    }
}

@Suite struct QuitTests {
    @Test func qQuitsFromTheList() throws {
        var state = try Fixture.state()
        #expect(state.press(key("q")) == [.quit])
        #expect(state.quitting)
    }

    @Test func qOnAnotherScreenGoesBackFirst() throws {
        var state = try Fixture.state()
        state.press(key("3"))
        #expect(state.press(key("q")).isEmpty)
        #expect(state.screen == .list)
        #expect(!state.quitting)
    }

    @Test func qInAPromptIsText() throws {
        var state = try Fixture.state()
        state.press(key("/"))
        #expect(state.press(key("q")).isEmpty)
        #expect(state.highlightedQuery == "q")
        #expect(!state.quitting)
    }

    @Test func ctrlCQuitsFromAPrompt() throws {
        var state = try Fixture.state()
        state.press(key("x"))
        state.type("half a note")
        #expect(state.press(.control("c")) == [.quit])
        #expect(state.quitting)
    }

    @Test func questionMarkTogglesTheHelpAndEscClosesIt() throws {
        var state = try Fixture.state()
        state.press(key("?"))
        #expect(state.showsHelp)
        state.press(.escape)
        #expect(!state.showsHelp)
        #expect(!state.quitting)
    }
}

@Suite struct UnsavedChangeTests {
    let mark = Effect.record(.mark(itemId: "gsomia", status: .implemented, happened: nil, note: "Restored", evidence: ChangeFactory.Evidence()))
    let watch = Effect.setWatched(itemId: "dtt", watched: true)

    @Test func aChangeThatCouldNotBeSavedIsKeptAndSaidSo() throws {
        var state = try Fixture.state()
        #expect(state.send(.notSaved(mark, reason: "changes.jsonl: fsync: Input/output error")).isEmpty)
        #expect(state.unsaved == [mark])
        #expect(state.message == StatusMessage("Not saved: changes.jsonl: fsync: Input/output error · kept: W saves again", isError: true))
        state.press(key("j"))
        #expect(state.message == nil)
        #expect(state.unsaved == [mark], "moving on does not drop it")
    }

    @Test func wSavesAgainInTheOrderTheChangesWereMade() throws {
        var state = try Fixture.state()
        state.send(.notSaved(mark, reason: "disk full"), .notSaved(watch, reason: "disk full"), .notSaved(mark, reason: "disk full"))
        #expect(state.unsaved == [mark, watch], "a change failing again is kept once")
        #expect(state.press(key("W")) == [mark, watch])
        #expect(state.unsaved.isEmpty)
        #expect(state.press(key("W")).isEmpty)
        #expect(state.message?.text == "Nothing waits to be saved")
    }

    @Test func quittingWithUnsavedChangesAsksFirst() throws {
        var state = try Fixture.state()
        state.send(.notSaved(mark, reason: "disk full"))
        #expect(state.press(key("q")).isEmpty)
        #expect(!state.quitting)
        #expect(state.message?.text == "1 change not saved: W saves again; q or Ctrl-C again quits without them")
        #expect(state.press(.control("c")) == [.quit])
        #expect(state.quitting)
    }

    @Test func anotherKeyBetweenTwoQuitsAsksAgain() throws {
        var state = try Fixture.state()
        state.send(.notSaved(mark, reason: "disk full"))
        state.press(key("q"), key("j"))
        #expect(state.press(key("q")).isEmpty)
        #expect(!state.quitting)
        #expect(state.press(key("q")) == [.quit])
    }
}

extension UnsavedChangeTests {
    @Test func aReloadStillSaysWhatIsNotSaved() throws {
        var state = try Fixture.state()
        let (tracker, history) = try Fixture.tracker()
        state.send(.reloaded(tracker, history, external: true))
        #expect(state.message == StatusMessage("Changed by another process: reloaded"))
        state.send(.notSaved(mark, reason: "disk full"), .reloaded(tracker, history, external: true))
        #expect(state.message == StatusMessage("Changed by another process: reloaded; 1 change not saved: W saves again", isError: true))
        #expect(state.unsaved == [mark])
    }
}

@Suite struct NoticeTests {
    @Test func aNoticeFollowsTheMessageItCameWith() throws {
        var state = try Fixture.state()
        state.send(.notice("changes.jsonl: removed an incomplete last line"))
        #expect(state.message == StatusMessage("changes.jsonl: removed an incomplete last line", isError: true))
        state.press(key("j"))
        state.send(.failed("Not saved: disk full"), .notice("snapshot not updated"))
        #expect(state.message == StatusMessage("Not saved: disk full · snapshot not updated", isError: true))
    }
}

/// `e`, and Ctrl-G in a form: the note is written in the editor, which the runtime runs for
/// the `editNote` effect and answers with `noteEdited`; the form comes back with the note.
@Suite struct NoteInTheEditorTests {
    @Test func eOpensTheStatusPickerAndAStatusAsksForTheEditor() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        #expect(state.press(key("e")).isEmpty)
        guard case .picker(let picker) = state.mode else {
            Issue.record("e should open a picker, not \(state.mode)")
            return
        }
        #expect(picker.options == Status.names && picker.title == "Mark gsomia, note in the editor")
        #expect(picker.cursor == Status.allCases.firstIndex(of: .partial))
        let effects = state.press(key("3"))
        guard case .editNote(let form) = effects.first else {
            Issue.record("a status should ask for the editor, not \(effects)")
            return
        }
        #expect(form.purpose == .mark(itemId: "gsomia") && form[.status] == "partial" && form[.note].isEmpty)
        #expect(state.mode == .browse)
    }

    @Test func eWorksInTheDetailAsMDoes() throws {
        var state = try Fixture.state()
        state.find("dtt")
        state.press(.enter)
        #expect(state.screen == .detail)
        let effects = state.press(key("e"), .down, .enter)
        guard case .editNote(let form) = effects.first else {
            Issue.record("e in the detail should ask for the editor, not \(effects)")
            return
        }
        #expect(form.purpose == .mark(itemId: "dtt") && form[.status] == "partial")
        #expect(state.screen == .detail && state.mode == .browse)
    }

    @Test func ctrlGTakesTheFormIntoTheEditor() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(key("m"), key("5"))
        state.type("Talks broke down ")
        let open = try #require(state.form)
        #expect(state.press(.control("g")) == [.editNote(open)])
        #expect(state.mode == .browse)
        state.press(key("x"))
        let empty = try #require(state.form)
        #expect(state.press(.control("g")) == [.editNote(empty)], "an empty note too")
    }

    @Test func theEditedNoteIsRecordedWithTheFormAsEnterRecordsIt() throws {
        var prompted = try Fixture.state()
        prompted.find("gsomia")
        prompted.press(key("x"))
        prompted.fill(.date, "2023-03")
        let form = try #require(prompted.form)
        prompted.fill(.note, "Made-up note: done in full")
        var edited = try Fixture.state()
        let effects = edited.send(.noteEdited(form, note: "Made-up note: done in full"))
        #expect(effects == prompted.press(.enter))
        #expect(effects.count == 1 && edited.mode == .browse)
    }

    @Test func anEditedNoteWithAFormTheCommandLineWouldRefuseReopensTheForm() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(key("x"))
        state.fill(.quote, "A made-up quote")
        let form = try #require(state.form)
        state.press(.escape)
        #expect(state.send(.noteEdited(form, note: "Made-up note")).isEmpty)
        #expect(state.form?.problem == "a quote needs its source: name the source too")
        #expect(state.form?[.note] == "Made-up note" && state.form?.focused.name == .note)
    }

    @Test func anEmptyNoteCancelsAndSaysSo() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(key("x"))
        let form = try #require(state.form)
        state.press(.escape)
        #expect(state.send(.noteEdited(form, note: nil)).isEmpty)
        #expect(state.message == StatusMessage("Cancelled: the note was empty, nothing recorded"))
        #expect(state.mode == .browse)
        #expect(state.unsaved.isEmpty)
    }

    @Test func aFailingEditorShowsItsErrorAndKeepsNothing() throws {
        var state = try Fixture.state()
        let error = "the editor 'false' failed (status 1); nothing was recorded"
        #expect(state.send(.failed(error)).isEmpty)
        #expect(state.message == StatusMessage(error, isError: true))
        #expect(state.unsaved.isEmpty, "W has nothing to save again")
    }
}

/// `l` and the detail's links: a picker of the selected item's links both ways, and the
/// item chosen shown in its place.
@Suite struct LinkNavigationTests {
    /// The picker open on `state`; fails the test when there is none.
    private func picker(_ state: AppState) throws -> Picker {
        guard case .picker(let picker) = state.mode else { throw LinkNavigationError.noPicker(state.mode) }
        return picker
    }

    private enum LinkNavigationError: Error { case noPicker(Mode) }

    @Test func lListsTheLinksBothWaysAndADigitOrEnterGoesToOne() throws {
        var state = try Fixture.state()
        state.find("nsa-meetings")
        state.press(.enter, key("l"))
        let outgoing = try picker(state)
        #expect(outgoing.title == "Links of nsa-meetings")
        #expect(outgoing.options == ["Advances multilevel-engagement"])
        state.press(key("1"))
        #expect(state.mode == .browse)
        #expect(state.selectedId == "multilevel-engagement")
        #expect(state.screen == .detail)
        #expect(state.detailOffset == 0)
        state.press(key("l"))
        #expect(try picker(state).options == [
            "Advanced by annual-leaders-summit", "Advanced by ministerial-meetings", "Advanced by nsa-meetings",
            "Advanced by trilateral-secretariat", "Advanced by working-level-tracks",
        ])
        state.press(.down, .down, .down, .enter)
        #expect(state.selectedId == "trilateral-secretariat")
        #expect(state.screen == .detail)
    }

    @Test func aLinkedItemAFilterHidesIsShownAnyway() throws {
        var state = try Fixture.state(size: Fixture.wide)
        state.find("nsa-meetings")
        state.press(key("C"), key("1"))
        #expect(state.filter.catalog == "camp-david-2023")
        state.press(key("l"), key("1"))
        #expect(state.selectedId == "multilevel-engagement")
        #expect(state.filter.catalog == nil)
        #expect(state.screen == .list)
    }

    @Test func anItemWithoutLinksSaysSo() throws {
        var state = try Fixture.state()
        state.find("222-dialogue")
        state.press(key("l"))
        #expect(state.mode == .browse)
        #expect(state.message?.text == "222-dialogue has no links")
    }

    @Test func lDoesNothingOnTheDashboard() throws {
        var state = try Fixture.state()
        state.find("nsa-meetings")
        state.press(key("3"), key("l"))
        #expect(state.mode == .browse)
        #expect(state.screen == .dashboard)
    }

    @Test func theIndexOfLinksIsBuiltWithTheData() throws {
        let state = try Fixture.state()
        #expect(state.links == LinkIndex(state.tracker.items))
        #expect(state.links.linkedFrom("gsomia") == [Link(.advances, "missile-data-sharing")])
    }
}

@Suite struct OpenAndCopyTests {
    /// gsomia's web addresses: its changes' sources, the latest first, then its own source.
    static let gsomiaAddresses = [
        "https://pubt.io/view/C593E4BA6E9BFF91BEF3B900FB3F32EB136987F3",
        "https://www.koreaherald.com/view.php?ud=20231219000112",
        "http://khnews.kheraldm.com/view.php?ud=20230321000576",
        "https://www.rsis.edu.sg/rsis-publication/rsis/us-japan-korea-can-they-reverse-the-backsliding/",
    ]

    @Test func severalAddressesOpenAChooserTheLatestEvidenceFirst() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        #expect(state.press(key("O")).isEmpty)
        guard case .picker(let picker) = state.mode else { Issue.record("no chooser"); return }
        #expect(picker.purpose == .openAddress)
        #expect(picker.options == Self.gsomiaAddresses)
        #expect(state.press(.down, .enter) == [.openAddress(Self.gsomiaAddresses[1])])
        #expect(state.mode == .browse)
        #expect(state.message?.text == "Opening " + Self.gsomiaAddresses[1])
    }

    @Test func oneAddressOpensAtOnce() throws {
        var state = try Fixture.state()
        state.find("222-dialogue")
        #expect(state.press(key("O")) == [.openAddress("https://www.rsis.edu.sg/rsis-publication/rsis/us-japan-korea-can-they-reverse-the-backsliding/")])
        #expect(state.mode == .browse)
    }

    @Test func onlyHTTPAddressesAreOfferedAndNoneIsSaid() throws {
        let recommendation = Recommendation(
            id: "made-up-offline", catalog: "ncafp-2021", title: "A made-up test recommendation", summary: "", category: "security",
            horizon: .shortTerm, actors: [.japan], source: Citation(source: "A made-up printed report, 2024"))
        let add = Change(changeId: "test-offline-add", recommendationId: "made-up-offline", kind: .add(recommendation),
                         happened: PolicyDate("2024-01-20")!, recorded: Fixture.recorded)
        let marked = Fixture.mark("made-up-offline", .partial, note: "A made-up test event", source: "file:///etc/passwd")
        var state = try Fixture.state(extra: [add, marked])
        state.find("made-up-offline")
        #expect(state.press(key("O")).isEmpty)
        #expect(state.mode == .browse)
        #expect(state.message?.text == "made-up-offline cites no web address to open")
    }

    @Test func typedAddressesCountAsEvidence() throws {
        let marked = Fixture.mark("gsomia", .implemented, happened: "2025-06-01", note: "A made-up test event", source: "https://example.org/made-up")
        var state = try Fixture.state(extra: [marked])
        state.find("gsomia")
        state.press(key("O"))
        guard case .picker(let picker) = state.mode else { Issue.record("no chooser"); return }
        #expect(picker.options == ["https://example.org/made-up"] + Self.gsomiaAddresses)
    }

    @Test func yOffersTheIdTheCitationThenTheAddresses() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(key("y"))
        guard case .picker(let picker) = state.mode, case .copy(let choices) = picker.purpose else { Issue.record("no chooser"); return }
        #expect(choices.map(\.name) == ["id", "citation"] + Array(repeating: "address", count: 4))
        #expect(choices[0].text == "gsomia")
        #expect(choices[1].text.contains("Can They Reverse the Backsliding"))
        #expect(choices.dropFirst(2).map(\.text) == Self.gsomiaAddresses)
        #expect(state.press(key("1")) == [.copy("gsomia")])
        #expect(state.message?.text == "Copied the id gsomia")
        state.press(key("y"), .down, .down, .enter)
        #expect(state.message?.text == "Copied the address " + Self.gsomiaAddresses[0])
    }

    @Test func browserWordsAreSplitWithoutAShell() {
        #expect(WebBrowser.command(for: "https://example.org/a b", environment: ["BROWSER": "  made-up-browser --new-tab "])
            == ["made-up-browser", "--new-tab", "https://example.org/a b"])
        #expect(WebBrowser.command(for: "https://example.org/", environment: ["BROWSER": "made-up;rm -rf ~"])
            == ["made-up;rm", "-rf", "~", "https://example.org/"], "no shell: the words are arguments")
        #expect(WebBrowser.command(for: "https://example.org/", environment: ["BROWSER": " "]) == [WebBrowser.platformOpener, "https://example.org/"])
        #expect(WebBrowser.command(for: "https://example.org/", environment: [:]) == [WebBrowser.platformOpener, "https://example.org/"])
    }

    @Test func escClosesTheChooserWithNothingDone() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(key("y"))
        #expect(state.press(.escape).isEmpty)
        #expect(state.mode == .browse)
    }
}

@Suite struct PasteAndAltTests {
    static let paste = Key.paste("https://example.org/made-up\nA made-up\u{1B}[31m test\tevent\r\n\u{07}end")
    static let safe = "https://example.org/made-up A made-up[31m test event end"

    @Test func aPasteArrivesWholeAndSafeInTheSearchPrompt() throws {
        var state = try Fixture.state()
        state.press(key("/"))
        #expect(state.press(Self.paste).isEmpty)
        guard case .search(let field, _) = state.mode else { Issue.record("the search prompt closed"); return }
        #expect(field.text == Self.safe)
    }

    @Test func aPasteNeitherSavesNorCancelsTheForm() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(key("x"))
        #expect(state.press(Self.paste).isEmpty)
        #expect(state.form?[.note] == Self.safe, "the form is still open, the paste in its Note")
        #expect(state.press(.enter) == [.record(.mark(
            itemId: "gsomia", status: .implemented, happened: nil, note: Self.safe, evidence: ChangeFactory.Evidence()))])
    }

    @Test func aPasteWhileBrowsingIsIgnored() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        let before = state
        #expect(state.press(.paste("q\n/x")).isEmpty)
        #expect(state == before)
    }

    @Test func altBackspaceDeletesAWordAndOtherAltKeysDoNotCancel() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(key("x"))
        state.type("made up note")
        state.press(.alt("\u{7F}"))
        let form = try #require(state.form, "the form closed")
        #expect(form[.note] == "made up")
        state.press(.alt("b"), .alt("f"))
        #expect(state.form == form, "Alt-b and Alt-f leave the form as it was")
    }
}

@Suite struct ScrollingTests {
    @Test func jkAndPagesScrollTheHelpAtEightyByTwentyFour() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.press(key("?"))
        let limit = View.helpScrollLimit(state)
        #expect(limit > 0, "the help is taller than 80×24")
        state.press(key("j"), key("j"))
        #expect(state.showsHelp && state.helpOffset == 2)
        state.press(key("k"))
        #expect(state.helpOffset == 1)
        state.press(key("G"))
        #expect(state.helpOffset == limit)
        state.press(.pageUp, key("g"))
        #expect(state.helpOffset == 0)
        state.press(.pageDown)
        #expect(state.helpOffset == 20 && state.showsHelp, "a page is the 20 lines shown at 80×24")
        state.press(key("?"), key("?"))
        #expect(state.showsHelp && state.helpOffset == 0, "help opens at its top")
        state.press(key("3"))
        #expect(!state.showsHelp && state.screen == .dashboard, "any other key closes it and acts")
    }

    @Test func theHelpDoesNotScrollWhereItFits() throws {
        var state = try Fixture.state(size: Size(width: 200, height: 60))
        state.press(key("?"), key("j"))
        #expect(state.helpOffset == 0)
    }

    @Test func jkAndGScrollTheDashboard() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.press(key("3"))
        let limit = View.dashboardScrollLimit(state)
        #expect(limit > 0, "the dashboard is taller than 80×24")
        state.press(key("j"))
        #expect(state.dashboardOffset == 1)
        state.press(key("G"))
        #expect(state.dashboardOffset == limit)
        state.press(key("j"))
        #expect(state.dashboardOffset == limit, "never past the end")
        state.press(key("g"))
        #expect(state.dashboardOffset == 0)
        state.press(.pageDown)
        #expect(state.dashboardOffset == min(limit, 18), "a page is the 18 lines shown at 80×24")
    }

    @Test(arguments: [Fixture.narrow, Fixture.wide])
    func theTimelineOpensAtItsNewestChange(size: Size) throws {
        var state = try Fixture.state(size: size)
        state.press(key("4"))
        #expect(state.timelineIndex == state.timeline.count - 1)
        let body = Layout(size: size).timelineBody
        #expect(state.timelineIndex >= state.timelineOffset && state.timelineIndex < state.timelineOffset + body.height)
    }

    @Test func theTimelineFollowsNewChangesOnlyFromItsNewest() throws {
        var state = try Fixture.state()
        state.press(key("4"))
        state.send(.appended([Fixture.mark("gsomia", .implemented, happened: "2026-06-01", note: "A made-up test event")]))
        #expect(state.timelineIndex == state.timeline.count - 1, "at the newest, it stays there")
        state.press(key("g"), key("j"))
        state.send(.appended([Fixture.mark("dtt", .implemented, happened: "2026-07-01", note: "A made-up test event")]))
        #expect(state.timelineIndex == 1, "elsewhere, it stays where it was")
    }

    @Test func anotherItemsDetailStartsAtItsHeader() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.find("gsomia")
        state.press(.enter, key("j"), key("j"), key("j"))
        #expect(state.detailOffset == 3)
        state.resize(Fixture.wide)
        // A filter that hides gsomia moves the selection to another item.
        state.press(key("f"), key("4"))
        #expect(state.selectedId != "gsomia")
        #expect(state.detailOffset == 0)
    }
}
