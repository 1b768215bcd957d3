import PolicyTrackerCore

/// The keys of the browser as reference text, generated from ``Keymap/bindings`` and
/// ``Keymap/promptHelp``: the help screen and `docs/keys.md` both come from here, so
/// neither can disagree with the dispatcher.
public enum KeyReference {
    /// One documented row: the keys (as ``Key/label`` writes them) and what they do.
    public struct Entry: Equatable, Sendable {
        /// The keys' labels, such as `["j", "↓"]`.
        public var keys: [String]
        /// What they do.
        public var help: String

        /// The keys joined with `/`, as the help screen shows them.
        public var joinedKeys: String { keys.joined(separator: "/") }
    }

    /// A group of rows under a heading, such as "Move" or "Find".
    public struct Section: Equatable, Sendable {
        /// The section's heading, from ``KeyBinding/section``.
        public var title: String
        /// Its rows, in table order.
        public var entries: [Entry]
    }

    /// The title of the section that documents ``Keymap/promptHelp``.
    public static let promptSectionTitle = "In prompts and pickers"

    /// The keymap's sections in table order, then the keys of prompts and pickers.
    public static var sections: [Section] {
        var sections: [Section] = []
        for binding in Keymap.bindings {
            let entry = Entry(keys: binding.keys.map(\.label), help: binding.help)
            if let index = sections.firstIndex(where: { $0.title == binding.section }) {
                sections[index].entries.append(entry)
            } else {
                sections.append(Section(title: binding.section, entries: [entry]))
            }
        }
        return sections + [Section(title: promptSectionTitle, entries: Keymap.promptHelp.map { Entry(keys: [$0.keys], help: $0.help) })]
    }

    /// The whole reference as Markdown: what `docs/keys.md` holds.
    public static var markdown: String {
        var text = "# Keys of the ptrack browser\n\n"
        text += "`ptrack` with no arguments opens the browser; `?` in it shows these keys. A mouse click\n"
        text += "selects a row, the wheel scrolls.\n\n"
        text += "This file is generated from the table the browser dispatches keys with (`Keymap.bindings`\n"
        text += "in `Sources/PolicyTrackerApp/Update/Keymap.swift`), and a test fails when they disagree.\n"
        text += "After changing the table, regenerate it with `PTRACK_RECORD_SNAPSHOTS=1 swift test --filter KeymapTests`.\n"
        for section in sections {
            text += "\n## \(section.title)\n\n| Keys | Action |\n| --- | --- |\n"
            for entry in section.entries {
                text += "| \(entry.keys.map(Markdown.code).joined(separator: " / ")) | \(Markdown.escaped(entry.help)) |\n"
            }
        }
        return text
    }
}
