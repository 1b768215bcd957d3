/// The file a note is written in with `$EDITOR`, the way `git commit` asks for a message:
/// the note so far, then comment lines (starting with `#`) that say what the note is for.
/// What is left once the comments are dropped and the ends trimmed is the note; nothing
/// left cancels the change.
public enum NoteTemplate {
    /// The text the editor opens with, for a note about `item` moving to `status` (nil for
    /// a review), starting with `note`.
    public static func text(for item: Item, status: Status?, note: String?) -> String {
        let change = status.map { "\(item.status.rawValue) → \($0.rawValue)" } ?? "reviewed, still \(item.status.rawValue)"
        return text(heading: "Note for \(item.id): \(change)", detail: item.recommendation.title, note: note)
    }

    /// The text the editor opens with, for a note under `heading` (and `detail`, when
    /// given), starting with `note`.
    public static func text(heading: String, detail: String?, note: String?) -> String {
        (note ?? "") + "\n"
            + "# \(DisplayText.sanitized(heading))\n"
            + (detail.map { "# \(DisplayText.sanitized($0))\n" } ?? "")
            + "#\n"
            + "# Say what happened and where it is shown. Lines starting with '#' are left out;\n"
            + "# an empty note cancels the change.\n"
    }

    /// The note in `text` as the editor left it: comment lines dropped, blank lines at both
    /// ends and spaces at line ends trimmed; nil when nothing is left.
    public static func note(from text: String) -> String? {
        // Any line break, CRLF included (one Character in Swift).
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .filter { !$0.hasPrefix("#") }
            .map { String($0.reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed()) }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}
