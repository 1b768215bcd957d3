import PolicyTrackerApp
import PolicyTrackerCore
import Testing

// The search index, through the search prompt: each test compares what the prompt matches
// with the plain definition (`expectedMatches`), or with a search that starts afresh.

@Suite struct SearchIndexTests {
    @Test func asciiMatchesIgnoreCase() throws {
        var state = try Fixture.state(extra: [Fixture.add("zz-quokka", title: "A made-up QUOKKA census")])
        state.press(key("/"))
        state.type("quOkka")
        #expect(state.matchedIds == ["zz-quokka"])
        #expect(state.selectedId == "zz-quokka")
    }

    @Test func koreanAndJapaneseTextMatches() throws {
        let state = try Fixture.state(extra: Fixture.cjkChanges)
        for query in ["안보", "ミサイル", "日米韓", "실시간 공유 개시", "CAFÉ"] {
            var searching = state
            searching.press(key("/"))
            searching.type(query)
            #expect(searching.matchedIds == ["cjk-cooperation"], "\(query)")
        }
    }

    @Test func capitalsBeyondASCIIAreLowered() throws {
        let state = try Fixture.state(extra: [Fixture.add("zz-accents", title: "ÉCOLE Δίκτυο 협력")])
        for query in ["école", "ΔΊΚΤΥΟ", "δίκτυο 협"] {
            var searching = state
            searching.press(key("/"))
            searching.type(query)
            #expect(searching.matchedIds == ["zz-accents"], "\(query)")
        }
    }

    @Test func aQueryAcrossTwoFieldsDoesNotMatch() throws {
        let state = try Fixture.state(extra: [
            Fixture.add("zz-edge", title: "wise counsel", summary: "steady hands", note: "first note"),
            Fixture.mark("zz-edge", .partial, note: "second note"),
        ])
        for (query, matches) in [("zz-edgewise", false), ("counselsteady", false), ("hands first", false),
                                 ("notesecond", false), ("note second", false), ("zz-edge", true), ("wise counsel", true), ("second note", true)] {
            var searching = state
            searching.press(key("/"))
            searching.type(query)
            #expect(searching.matchedIds.contains("zz-edge") == matches, "\(query)")
        }
    }

    @Test func notesAreSearched() throws {
        var state = try Fixture.state(extra: [Fixture.add("zz-plain", title: "Plain"), Fixture.mark("zz-plain", .stalled, note: "Quokka census")])
        state.press(key("/"))
        state.type("quokka")
        #expect(state.matchedIds == ["zz-plain"])
    }

    @Test func anEmptyQueryMatchesNothing() throws {
        var state = try Fixture.state()
        state.press(key("j"), key("j"))
        let origin = state.selectedId
        state.press(key("/"))
        state.type("gsomia")
        #expect(!state.searchMatches.isEmpty)
        state.press(.control("u"))
        #expect(state.searchMatches.isEmpty)
        #expect(state.selectedId == origin)
    }

    /// Hundreds of items, so the index has several segments and bit words; every query is
    /// typed a key at a time (each key refining the last matches), and must give what the
    /// definition gives and what a fresh search gives.
    @Test func refiningEqualsAFreshSearch() throws {
        let extra = (0..<300).flatMap { index in
            [Fixture.add(String(format: "zz-item-%04d", index), title: "Synthetic item \(index)" + (index % 3 == 0 ? " trilateral" : ""),
                         summary: index % 7 == 0 ? "한미일 안보 협력" : "Exercises every year"),
             Fixture.mark(String(format: "zz-item-%04d", index), .inProgress, note: index % 5 == 0 ? "Triggered by the summit" : nil)]
        }
        let state = try Fixture.state(extra: extra)
        for query in ["trilateral", "한미일 안보", "item 12", "triggered", "exq", " item", "e 1"] {
            var typing = state
            typing.press(key("/"))
            for end in query.indices {
                typing.type(String(query[end]))
                let typed = String(query[...end])
                #expect(typing.matchedIds == typing.expectedMatches(typed), "\(typed)")
                // A key then Backspace: the same query, no longer an extension of the last one.
                var fresh = typing
                fresh.type("~")
                fresh.press(.backspace)
                #expect(fresh.matchedIds == typing.matchedIds, "\(typed)")
            }
        }
    }

    /// Enough items for the index to split them between two cores.
    @Test func matchesFromEverySegmentJoinInListOrder() throws {
        let extra = (0..<8_200).map { index in
            Fixture.add(String(format: "zz-item-%04d", index), title: "Synthetic item \(index)" + (index % 3 == 0 ? " trilateral" : ""),
                        summary: index % 7 == 0 ? "한미일 안보 협력" : "Exercises")
        }
        let state = try Fixture.state(extra: extra)
        for query in ["e", "99", "item 819", "trilateral", "안보 협력"] {
            var typing = state
            typing.press(key("/"))
            typing.type(query)
            #expect(typing.matchedIds == typing.expectedMatches(query), "\(query)")
        }
    }

    @Test func onlyItemsOnTheListMatch() throws {
        var state = try Fixture.state(extra: Fixture.cjkChanges)
        state.press(key("w"))
        state.press(key("/"))
        state.type("e")
        #expect(!state.matchedIds.isEmpty)
        #expect(state.matchedIds == state.expectedMatches("e"))
        #expect(state.matchedIds.allSatisfy { state.tracker.items[$0]?.recommendation.watched == true })
    }
}

extension AppState {
    /// The items on the list whose id, title, summary or a note contains `query`, ignoring
    /// case, in list order: the search's definition, checked item by item.
    func expectedMatches(_ query: String) -> [String] {
        let needle = query.lowercased()
        return visibleItemIds.filter { id in
            let recommendation = tracker.items[id]!.recommendation
            return ([recommendation.id, recommendation.title, recommendation.summary] + (notes[id] ?? []))
                .contains { $0.lowercased().contains(needle) }
        }
    }
}
