import Foundation
import PolicyTrackerApp
import Testing

@Suite struct KeymapTests {
    @Test func everyBindingsKeyMapsToItsAction() {
        for binding in Keymap.bindings {
            for key in binding.keys {
                #expect(Keymap.action(for: key) == binding.action, "\(key.label) should \(binding.help)")
            }
        }
    }

    @Test func noKeyIsBoundTwice() {
        let keys = Keymap.bindings.flatMap(\.keys)
        let repeated = Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }.keys.map(\.label)
        #expect(repeated.isEmpty, "bound more than once: \(repeated)")
    }

    @Test func unboundKeysDoNothing() {
        #expect(Keymap.action(for: .character("Z")) == nil)
        #expect(Keymap.action(for: .function(12)) == nil)
    }

    @Test func theIssuesKeysAreBound() {
        let expected: [(Key, Action)] = [
            (.character("j"), .moveDown), (.down, .moveDown), (.character("k"), .moveUp), (.up, .moveUp),
            (.pageDown, .pageDown), (.pageUp, .pageUp), (.character("g"), .top), (.home, .top),
            (.character("G"), .bottom), (.end, .bottom), (.enter, .open), (.escape, .back),
            (.character("q"), .quit), (.control("c"), .forceQuit), (.character("/"), .search),
            (.character("n"), .nextMatch), (.character("N"), .previousMatch), (.character("f"), .filterStatus),
            (.character("c"), .filterCategory), (.character("a"), .filterActor), (.character("C"), .filterCatalog), (.character("w"), .toggleWatchedOnly),
            (.character("0"), .clearFilters), (.character("s"), .cycleSort), (.character("x"), .markImplemented),
            (.character("m"), .pickStatus), (.character("e"), .markInEditor), (.character("*"), .toggleWatch), (.character("u"), .undo),
            (.tab, .nextScreen), (.character("1"), .showScreen(.list)), (.character("2"), .showScreen(.detail)),
            (.character("3"), .showScreen(.dashboard)), (.character("4"), .showScreen(.timeline)),
            (.character("r"), .reload), (.character("?"), .help),
        ]
        for (key, action) in expected {
            #expect(Keymap.action(for: key) == action, "\(key.label)")
        }
    }

    // MARK: The reference generated from the table

    @Test func theReferenceListsEveryBindingOnce() {
        let entries = KeyReference.sections.flatMap(\.entries)
        for binding in Keymap.bindings {
            let keys = binding.keys.map(\.label)
            #expect(entries.filter { $0.keys == keys && $0.help == binding.help }.count == 1, "\(keys)")
        }
        #expect(entries.count == Keymap.bindings.count + Keymap.promptHelp.count)
    }

    @Test func theReferenceKeepsTheTablesSectionsInOrder() {
        var seen: [String] = []
        for binding in Keymap.bindings where !seen.contains(binding.section) { seen.append(binding.section) }
        #expect(KeyReference.sections.map(\.title) == seen + [KeyReference.promptSectionTitle])
    }

    @Test func theMarkdownHasARowPerBinding() {
        let markdown = KeyReference.markdown
        #expect(markdown.contains("| `j` / `↓` | Move down |"))
        #expect(markdown.contains("| `Ctrl-C` | Quit from anywhere |"))
        #expect(markdown.contains("| `/` | Search id, title, summary and notes |"))
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(rows.count == Keymap.bindings.count + Keymap.promptHelp.count)
    }

    /// docs/keys.md is the generated reference, byte for byte. A recording run
    /// (PTRACK_RECORD_SNAPSHOTS=1) rewrites it, and fails so it cannot pass unseen.
    @Test func docsKeysMatchesTheKeymap() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/keys.md").standardizedFileURL
        if isRecordingSnapshots {
            try Data(KeyReference.markdown.utf8).write(to: path)
            Issue.record("Rewrote \(path.path) from the keymap; run the tests again without PTRACK_RECORD_SNAPSHOTS")
            return
        }
        let text = try #require(FileManager.default.contents(atPath: path.path), "\(path.path) is missing")
        #expect(String(decoding: text, as: UTF8.self) == KeyReference.markdown,
                "docs/keys.md disagrees with the keymap: rewrite it with PTRACK_RECORD_SNAPSHOTS=1")
    }
}
