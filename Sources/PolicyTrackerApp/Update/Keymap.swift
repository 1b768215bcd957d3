/// What a key asks for while browsing.
public enum Action: Equatable, Sendable {
    case moveDown, moveUp, pageDown, pageUp, top, bottom
    case open, back, followLink, quit, forceQuit
    case search, nextMatch, previousMatch
    case filterStatus, filterCategory, filterActor, filterCatalog, toggleWatchedOnly, toggleNewOnly, clearFilters
    case cycleSort, toggleGrouping, toggleGroup
    case markImplemented, pickStatus, markInEditor, review, add, edit, toggleWatch, undo, saveAgain
    case openSource, copy
    case nextScreen, showScreen(Screen)
    case reload, help

    /// True for the moves that scroll the help while it is shown (any other key closes it).
    var scrolls: Bool { [.moveDown, .moveUp, .pageDown, .pageUp, .top, .bottom].contains(self) }
}

/// One row of the keymap: the keys, what they do, and how help describes it.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    public var section: String
}

/// The single table the dispatcher, the help screen and `docs/keys.md` all read.
public enum Keymap {
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.character("j"), .down], action: .moveDown, help: "Move down", section: "Move"),
        KeyBinding(keys: [.character("k"), .up], action: .moveUp, help: "Move up", section: "Move"),
        KeyBinding(keys: [.pageDown, .control("f")], action: .pageDown, help: "Page down", section: "Move"),
        KeyBinding(keys: [.pageUp, .control("b")], action: .pageUp, help: "Page up", section: "Move"),
        KeyBinding(keys: [.character("g"), .home], action: .top, help: "First row", section: "Move"),
        KeyBinding(keys: [.character("G"), .end], action: .bottom, help: "Last row", section: "Move"),
        KeyBinding(keys: [.enter], action: .open, help: "Open the detail, or go to the item selected", section: "Move"),
        KeyBinding(keys: [.escape], action: .back, help: "Go back", section: "Move"),
        KeyBinding(keys: [.character("l")], action: .followLink, help: "Go to an item linked to or from this one", section: "Move"),
        KeyBinding(keys: [.tab], action: .nextScreen, help: "Next screen", section: "Screens"),
        KeyBinding(keys: [.character("1")], action: .showScreen(.list), help: "List", section: "Screens"),
        KeyBinding(keys: [.character("2")], action: .showScreen(.detail), help: "Detail", section: "Screens"),
        KeyBinding(keys: [.character("3")], action: .showScreen(.dashboard), help: "Dashboard", section: "Screens"),
        KeyBinding(keys: [.character("4")], action: .showScreen(.timeline), help: "Timeline", section: "Screens"),
        KeyBinding(keys: [.character("?")], action: .help, help: "Show or hide this help", section: "Screens"),
        KeyBinding(keys: [.character("/")], action: .search, help: "Search id, title, summary and notes", section: "Find"),
        KeyBinding(keys: [.character("n")], action: .nextMatch, help: "Next match", section: "Find"),
        KeyBinding(keys: [.character("N")], action: .previousMatch, help: "Previous match", section: "Find"),
        KeyBinding(keys: [.character("f")], action: .filterStatus, help: "Filter by status", section: "Find"),
        KeyBinding(keys: [.character("c")], action: .filterCategory, help: "Filter by category", section: "Find"),
        KeyBinding(keys: [.character("a")], action: .filterActor, help: "Filter by actor", section: "Find"),
        KeyBinding(keys: [.character("C")], action: .filterCatalog, help: "Filter by catalog", section: "Find"),
        KeyBinding(keys: [.character("w")], action: .toggleWatchedOnly, help: "Watched items only", section: "Find"),
        KeyBinding(keys: [.character("+")], action: .toggleNewOnly, help: "New since you last looked only", section: "Find"),
        KeyBinding(keys: [.character("0")], action: .clearFilters, help: "Clear filters and search", section: "Find"),
        KeyBinding(keys: [.character("s")], action: .cycleSort, help: "Sort by id, status, since, category", section: "Find"),
        KeyBinding(keys: [.character("o")], action: .toggleGrouping, help: "Group by category, or flat", section: "Find"),
        KeyBinding(keys: [.character(" ")], action: .toggleGroup, help: "Fold or unfold the group", section: "Find"),
        KeyBinding(keys: [.character("x")], action: .markImplemented, help: "Mark implemented: the change form (date, source, quote, note)", section: "Change"),
        KeyBinding(keys: [.character("m")], action: .pickStatus, help: "Mark with a status, then the change form", section: "Change"),
        KeyBinding(keys: [.character("e")], action: .markInEditor, help: "Mark, writing the note in $VISUAL/$EDITOR first", section: "Change"),
        KeyBinding(keys: [.character("v")], action: .review, help: "Review: the status still holds", section: "Change"),
        KeyBinding(keys: [.character("A")], action: .add, help: "Add a recommendation", section: "Change"),
        KeyBinding(keys: [.character("E")], action: .edit, help: "Edit (correct) the recommendation", section: "Change"),
        KeyBinding(keys: [.character("*")], action: .toggleWatch, help: "Watch or unwatch", section: "Change"),
        KeyBinding(keys: [.character("u")], action: .undo, help: "Undo this session's last change", section: "Change"),
        KeyBinding(keys: [.character("W")], action: .saveAgain, help: "Retry saving unsaved changes", section: "Change"),
        KeyBinding(keys: [.character("r")], action: .reload, help: "Reload the files", section: "Change"),
        KeyBinding(keys: [.character("O")], action: .openSource, help: "Open a source's web address (a chooser when several)", section: "Share"),
        KeyBinding(keys: [.character("y")], action: .copy, help: "Copy the id, citation or a web address (a chooser)", section: "Share"),
        KeyBinding(keys: [.character("q")], action: .quit, help: "Quit (from the top level)", section: "Quit"),
        KeyBinding(keys: [.control("c")], action: .forceQuit, help: "Quit from anywhere", section: "Quit"),
    ]

    /// Keys inside prompts and pickers, for help (handled by their own update code).
    public static let promptHelp: [(keys: String, help: String)] = [
        ("Enter", "Search: keep the selection on the match · Form: save · Picker: choose"),
        ("Tab, Shift-Tab", "Form: next or previous field (↑ ↓ too), wrapping around"),
        ("← →", "Form: step Status, Horizon or Catalog through their values"),
        ("↑ ↓, →", "Form, in Source: pick a matching source, and take it"),
        ("Ctrl-G", "Form: continue the note in $VISUAL/$EDITOR"),
        ("Esc", "Cancel: search returns to where you were; a form cancels the whole change; a picker clears what was typed first"),
        ("0–9, ↑ ↓", "Picker: choose by number (0 is any), or move"),
        ("Typing, ↑ ↓", "Picker of more than nine choices: what is typed, digits too, narrows them (any case, any script); ↑ ↓ move among those left"),
        ("Backspace", "Delete the last character"),
        ("Ctrl-U, Ctrl-W, Alt-Backspace", "Clear the field, or delete its last word"),
        ("Paste", "Arrives whole, as one line; it never saves or cancels"),
    ]

    private static let table: [Key: Action] = {
        var table: [Key: Action] = [:]
        for binding in bindings {
            for key in binding.keys { table[key] = binding.action }
        }
        return table
    }()

    /// The action bound to `key` while browsing.
    public static func action(for key: Key) -> Action? { table[key] }
}
