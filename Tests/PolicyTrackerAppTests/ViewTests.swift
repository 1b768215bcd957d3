import Foundation
import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// Properties of every frame, checked over many states rather than one snapshot.
@Suite struct ViewTests {
    /// A state on each screen and overlay, at `size`, with the CJK and hostile items added.
    static func tour(size: Size) throws -> [AppState] {
        var state = try Fixture.state(size: size, extra: Fixture.cjkChanges + Fixture.hostileChanges)
        var states: [AppState] = []
        let steps: [[Key]] = [
            [], [key("2")], [key("3")], [key("4"), key("G")], [key("1"), key("?")], [key("?"), key("m")],
            [.escape, key("x")], [.escape, key("/"), key("e"), key("v")], [.enter, key("o")],
        ]
        for keys in steps {
            for key in keys { state.press(key) }
            states.append(state)
        }
        state.find("hostile-text")
        states.append(state)
        state.press(key("y"))
        states.append(state)
        state.press(.escape, .enter)
        states.append(state)
        return states
    }

    static let sizes = [Size(width: 80, height: 24), Size(width: 140, height: 40), Size(width: 40, height: 10), Size(width: 121, height: 15)]

    @Test(arguments: sizes) func theBufferHasTheTerminalsSize(size: Size) throws {
        for state in try Self.tour(size: size) {
            #expect(View.render(state).size == size)
        }
    }

    @Test(arguments: sizes) func noControlOrBidiCharacterReachesACell(size: Size) throws {
        for state in try Self.tour(size: size) {
            let buffer = View.render(state)
            let bad = buffer.cells.flatMap(\.text.unicodeScalars).filter { scalar in
                let value = scalar.value
                return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                    || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F
            }
            #expect(bad.isEmpty, "screen \(state.screen): \(bad.map { String($0.value, radix: 16) })")
        }
    }

    @Test(arguments: sizes) func wideGlyphsAreNeverSplit(size: Size) throws {
        for state in try Self.tour(size: size) {
            let buffer = View.render(state)
            for y in 0..<size.height {
                for x in 0..<size.width {
                    let cell = buffer[x, y]
                    if cell.width == 2 {
                        #expect(x + 1 < size.width && buffer[x + 1, y].width == 0, "(\(x), \(y)) \(cell.text)")
                    }
                    if cell.width == 0 {
                        #expect(x > 0 && buffer[x - 1, y].width == 2, "orphan continuation at (\(x), \(y))")
                    }
                }
            }
        }
    }

    @Test(arguments: [Fixture.narrow, Fixture.wide]) func columnsStayAlignedWithCJKAndHostileTitles(size: Size) throws {
        var state = try Fixture.state(size: size, extra: Fixture.cjkChanges + Fixture.hostileChanges)
        state.press(key("s"))
        let buffer = View.render(state)
        let layout = Layout(size: size)
        let headings = text(buffer, row: layout.listPane.y, from: 0, count: layout.listPane.width)
        let statusColumn = try #require(headings.range(of: "STATUS")).lowerBound.utf16Offset(in: headings)
        let sinceColumn = try #require(headings.range(of: "SINCE")).lowerBound.utf16Offset(in: headings)
        for row in 0..<min(layout.listBody.height, state.rows.count - state.listOffset) {
            let y = layout.listBody.y + row
            let status = text(buffer, row: y, from: statusColumn, count: 11).trimmingTrailingSpaces
            #expect(Status.names.contains(status), "row \(y): \(status)")
            let since = text(buffer, row: y, from: sinceColumn, count: 10).trimmingTrailingSpaces
            #expect(since == "—" || PolicyDate(since) != nil, "row \(y): \(since)")
        }
    }

    /// The text of `count` cells of a row (continuation cells add nothing).
    private func text(_ buffer: Buffer, row: Int, from column: Int, count: Int) -> String {
        (column..<(column + count)).map { buffer[$0, row].text }.joined()
    }

    @Test func theCurrentScreenIsEmphasisedInTheTabBar() throws {
        var state = try Fixture.state()
        for screen in Screen.allCases {
            state.press(key(Character(String(screen.rawValue))))
            let buffer = View.render(state)
            let emphasised = (0..<buffer.size.width).filter { buffer[$0, 0].style.underline }.map { buffer[$0, 0].text }.joined()
            #expect(emphasised == "\(screen.rawValue) \(screen.title)")
        }
    }

    @Test func theSelectedRowIsInTheSelectionRoleAcrossThePane() throws {
        var state = try Fixture.state()
        state.press(key("j"), key("j"))
        let buffer = View.render(state)
        let layout = Layout(size: state.size)
        let y = layout.listBody.y + (state.selectedRow! - state.listOffset)
        #expect((0..<layout.listPane.width).allSatisfy { buffer[$0, y].style.role == .selection })
        #expect(!(0..<layout.listPane.width).contains { buffer[$0, y + 1].style.role == .selection })
    }

    @Test func searchMatchesAreHighlightedCaseInsensitively() throws {
        var state = try Fixture.state()
        state.press(key("/"))
        state.type("TRILATERAL")
        let buffer = View.render(state)
        let marked = (0..<buffer.size.height).flatMap { y in
            (0..<buffer.size.width).filter { buffer[$0, y].style.role == .searchMatch }.map { buffer[$0, y].text }
        }.joined()
        #expect(marked.contains("trilateral"))
        #expect(marked.count % "trilateral".count == 0, "whole matches only: \(marked)")
    }

    @Test func theStatusLineCountsShownAndTotal() throws {
        var state = try Fixture.state()
        state.press(key("f"), key("5"))
        let line = View.render(state).lines.last!
        let shown = state.visibleItemIds.count
        #expect(line.contains("\(shown)/\(state.tracker.items.count) shown"))
        #expect(line.contains("status: stalled"))
        #expect(line.hasPrefix("/data"))
    }

    @Test func aLongDataDirectoryIsShortenedFromTheLeft() throws {
        let (tracker, history) = try Fixture.tracker()
        let directory = "/home/someone/with/a/very/long/path/to/the/policy/tracker/data/directory/ptrack"
        let state = AppState(tracker: tracker, history: history, dataDirectory: directory, size: Fixture.narrow, today: Fixture.today)
        let line = View.render(state).lines.last!
        #expect(line.hasPrefix("…"))
        #expect(line.contains("directory/ptrack"))
    }

    @Test func theHelpListsEveryBinding() throws {
        var state = try Fixture.state(size: Size(width: 200, height: 60))
        state.press(key("?"))
        let screen = View.render(state).lines.joined(separator: "\n")
        for binding in Keymap.bindings {
            #expect(screen.contains(binding.keys.map(\.label).joined(separator: "/")), "\(binding.help)")
            #expect(screen.contains(binding.help))
        }
        for entry in Keymap.promptHelp { #expect(screen.contains(entry.keys)) }
    }

    @Test func thePickerNumbersAnyZero() throws {
        var state = try Fixture.state()
        state.press(key("a"))
        let screen = View.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("0 any"))
        #expect(screen.contains("1 US"))
        #expect(screen.contains("3 ROK"))
    }

    @Test func theCatalogPickerListsTheCatalogsAndFilters() throws {
        var state = try Fixture.state()
        state.press(key("C"))
        let screen = View.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("0 any") && screen.contains("1 camp-david-2023") && screen.contains("3 ncafp-2021"))
        state.press(key("1"))
        #expect(state.filter.catalog == "camp-david-2023")
        #expect(!state.visibleItemIds.isEmpty && state.visibleItemIds.allSatisfy { state.tracker.items[$0]?.recommendation.catalog == "camp-david-2023" })
        #expect(View.render(state).lines.last?.contains("catalog: camp-david-2023") == true)
    }

    @Test func theDetailNeverScrollsPastItsEnd() throws {
        var state = try Fixture.state()
        state.find("gsomia")
        state.press(.enter, key("G"))
        let lines = View.render(state).lines
        #expect(lines[lines.count - 2].contains("change agenda-gsomia-1"), "the last line is at the bottom")
    }

    @Test func tooSmallShowsOnlyTheNotice() throws {
        var state = try Fixture.state()
        state.resize(Size(width: 39, height: 30))
        let text = View.render(state).lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text == "Terminal too small: 39×30 (needs at least 40×10)")
    }

    /// The view draws only the visible window: a tracker ten times larger than the screen
    /// many times over renders the same first rows.
    @Test func onlyTheVisibleWindowIsDrawn() throws {
        let extra = (0..<2_000).map { index in
            Fixture.add(String(format: "zz-item-%04d", index), title: "Synthetic item \(index)")
        }
        var state = try Fixture.state(extra: extra)
        state.press(key("G"))
        let lines = View.render(state).lines
        #expect(lines.contains { $0.contains("zz-item-1999") })
        #expect(!lines.contains { $0.contains("zz-item-0000") })
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}

@Suite struct ScrolledViewTests {
    private func rows(_ buffer: Buffer) -> [String] {
        (0..<buffer.size.height).map { y in (0..<buffer.size.width).map { buffer[$0, y].text }.joined().trimmingTrailingSpaces }
    }

    @Test func theHelpSaysWhereItIsAndWrapsRatherThanCuts() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.press(key("?"))
        #expect(rows(View.render(state))[22].contains("↓ more below · lines 1–20 of"))
        var seen: [String] = []
        for _ in 0...View.helpScrollLimit(state) {
            let content = rows(View.render(state))[2...21]
            #expect(!content.contains { $0.hasSuffix("…") }, "no help line is cut")
            seen += content
            state.press(key("j"))
        }
        #expect(rows(View.render(state))[22].contains("↑ end"))
        for section in KeyReference.sections {
            #expect(seen.contains { $0.trimmingCharacters(in: .whitespaces) == section.title }, "\(section.title) can be scrolled to")
        }
    }

    @Test func theDashboardSaysWhatIsBelow() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.press(key("3"))
        #expect(rows(View.render(state))[22].contains("↓ more below"))
        state.press(key("G"))
        let bottom = rows(View.render(state))
        #expect(bottom[22].contains("↑ end"))
        #expect(bottom.contains { $0.contains("Not reviewed in") }, "the last section is reached")
    }

    @Test func theDetailBesideTheListStartsAtTheNewItemsHeader() throws {
        var state = try Fixture.state(size: Fixture.narrow)
        state.find("gsomia")
        state.press(.enter, key("j"), key("j"), key("j"), key("j"))
        state.resize(Fixture.wide)
        state.press(.escape, key("f"), key("4"))
        let detailColumn = Layout(size: Fixture.wide).detailPane.x + 1
        let header = String(rows(View.render(state))[1].dropFirst(detailColumn))
        #expect(header.hasPrefix(try #require(state.selectedId) + " — "))
    }
}
