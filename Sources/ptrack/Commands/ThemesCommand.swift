import ArgumentParser
import Foundation
import PolicyTrackerApp
import PolicyTrackerCore

struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List the themes: the bundled ones and your own.",
        discussion: """
            Your own themes are the NAME.json files in $XDG_CONFIG_HOME/ptrack/themes (or \
            ~/.config/ptrack/themes); one with a bundled theme's name replaces it. The browser \
            uses --theme NAME|PATH, else $PTRACK_THEME, else mono when $NO_COLOR is set, else \
            default; * marks the theme that choice gives (`ptrack themes --theme VALUE` shows \
            what VALUE would give). A broken theme file is reported as path:line:column on \
            standard error and the exit status is 65. The format is in docs/themes.md.
            """)

    /// ptrack's own `--theme NAME|PATH`, which its parser takes wherever it stands on the
    /// command line (`ptrack themes --theme light` too): the theme to mark as the one in use.
    @ParentCommand var root: Ptrack

    @Flag(name: .long, help: "Print a JSON array.")
    var json = false

    func run() throws {
        try Console.run { output in
            let environment = ProcessInfo.processInfo.environment
            var entries = ThemeLibrary.all(environment: environment)
            let configured = try Configuration.current().theme
            let selection = ThemeLibrary.select(requested: root.theme, configured: configured, environment: environment)
            var problems = entries.compactMap(\.error)
            if ThemeLibrary.isPath(selection.requested), !entries.contains(where: { $0.origin == selection.requested }) {
                // A theme chosen by its path is listed too, even outside the themes folder.
                if selection.warning == nil {
                    entries.append(ThemeEntry(
                        name: selection.theme.name, origin: selection.origin, description: selection.description,
                        theme: selection.theme))
                } else if let error = selection.error {
                    problems.append(error)
                }
            }
            let active = entries.firstIndex { $0.theme != nil && $0.theme?.name == selection.theme.name && $0.origin == selection.origin }
            if json {
                output.write(JSONWriter.pretty(.array(entries.indices.map { Self.json(entries[$0], active: $0 == active) }), escaping: .terminal))
            } else {
                Self.writeTable(entries, active: active, width: Console.width, to: &output)
            }
            output.flush()
            for problem in problems {
                Console.standardError.write("ptrack: \(DisplayText.sanitized(problem.description))\n")
            }
            if let warning = selection.warning {
                Console.standardError.write("ptrack: \(warning)\n")
            } else if !json, let active {
                Console.standardError.write("* marks the theme in use: \(entries[active].name) (\(Self.why(selection)))\n")
            }
            if let first = problems.first { throw ExitCode(first.exitCode) }
            if selection.warning != nil, selection.reason == .option { throw ExitCode(TrackerError.usage("").exitCode) }
        }
    }

    /// Why the marked theme is the one in use, for the line under the table.
    static func why(_ selection: ThemeSelection) -> String {
        switch selection.reason {
        case .option: "chosen with --theme"
        case .environment: "chosen with PTRACK_THEME"
        case .noColor: "NO_COLOR is set"
        case .configuration: "chosen in \(Configuration.path(environment: ProcessInfo.processInfo.environment))"
        case .standard: "the default; choose another with --theme or PTRACK_THEME"
        }
    }

    /// The statuses' paints in words: `implemented green bold, stalled magenta underline, …`.
    static func statusWords(_ theme: Theme) -> [(Status, String)] {
        Status.allCases.map { status in
            (status, theme.paint(for: CellStyle(.status(status))).words)
        }
    }

    /// One line per theme (`*` marking the one in use) with its name, origin and description,
    /// then its statuses in words; both wrapped to `width` when there is room for that.
    static func writeTable(_ entries: [ThemeEntry], active: Int?, width: Int, to output: inout Console) {
        let names = entries.map { DisplayText.sanitized($0.name) }
        let origins = entries.map { DisplayText.sanitized($0.origin) }
        let nameWidth = max(4, names.map(DisplayText.width).max() ?? 0)
        let originWidth = max(6, origins.map(DisplayText.width).max() ?? 0)
        let indent = String(repeating: " ", count: 2 + nameWidth + 2)
        let descriptionColumn = indent.count + originWidth + 2
        output.write("  " + DisplayText.padded("NAME", to: nameWidth) + "  " + DisplayText.padded("ORIGIN", to: originWidth) + "  DESCRIPTION\n")
        for (index, entry) in entries.enumerated() {
            let marker = index == active ? "* " : "  "
            let head = marker + DisplayText.padded(names[index], to: nameWidth) + "  " + DisplayText.padded(origins[index], to: originWidth) + "  "
            let description = entry.error != nil
                ? "broken: not usable (the error is on standard error)"
                : DisplayText.sanitized(entry.description) + (entry.overridesBundled ? " (replaces the bundled theme)" : "")
            if width - descriptionColumn >= 20 {
                let lines = DisplayText.wrapped(description, to: width - descriptionColumn)
                output.write(head + (lines.first ?? "") + "\n")
                for line in lines.dropFirst() { output.write(String(repeating: " ", count: descriptionColumn) + line + "\n") }
            } else {
                output.write(String(head.reversed().drop { $0 == " " }.reversed()) + "\n")
                for line in width - indent.count >= 20 ? DisplayText.wrapped(description, to: width - indent.count) : [description] { output.write(indent + line + "\n") }
            }
            if let theme = entry.theme {
                let items = statusWords(theme).map { "\($0.0.rawValue) \($0.1)" }
                for line in fitted(items, width - indent.count) { output.write(indent + line + "\n") }
            }
        }
    }

    /// `items` joined with commas into lines of at most `columns` columns, never splitting an
    /// item (one line when there are fewer than 20 columns of room).
    static func fitted(_ items: [String], _ columns: Int) -> [String] {
        guard columns >= 20 else { return [items.joined(separator: ", ")] }
        var lines: [String] = []
        var line = ""
        for (position, item) in items.enumerated() {
            let piece = item + (position < items.count - 1 ? "," : "")
            let candidate = line.isEmpty ? piece : line + " " + piece
            if line.isEmpty || DisplayText.width(candidate) <= columns {
                line = candidate
            } else {
                lines.append(line)
                line = piece
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    static func json(_ entry: ThemeEntry, active: Bool) -> JSONValue {
        var statuses: JSONValue = .null
        var roles: JSONValue = .null
        if let theme = entry.theme {
            statuses = .object(Dictionary(uniqueKeysWithValues: statusWords(theme).map { ($0.0.rawValue, .string($0.1)) }))
            roles = .object(Dictionary(uniqueKeysWithValues: Role.allCases.map {
                ($0.name, theme.paint(for: CellStyle($0)).themeJSON)
            }))
        }
        return .object([
            "name": .string(entry.name),
            "origin": .string(entry.origin),
            "description": .string(entry.description),
            "active": .bool(active),
            "overridesBundled": .bool(entry.overridesBundled),
            "statuses": statuses,
            "roles": roles,
            "error": .optional(entry.error?.description),
        ])
    }
}
