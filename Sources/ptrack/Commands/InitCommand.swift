import ArgumentParser
import Foundation
import PolicyTrackerCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Make a tracker directory; with --git, a git repository whose change log merges cleanly.",
        discussion: """
            An existing tracker is kept as it is. With --git the directory becomes a git \
            repository (unless it is in one already) with a .gitattributes that merges \
            changes.jsonl as the union of both sides' lines and a .gitignore for the files each \
            clone keeps to itself; the tracker's files are committed when git knows who you are. \
            See docs/sharing.md.
            """)

    @OptionGroup var data: DataOptions

    @Flag(name: .long, help: "Make the directory a git repository for sharing the tracker.")
    var git = false

    @Argument(help: ArgumentHelp("The tracker's directory (default: the data directory).", valueName: "dir"), completion: .directory)
    var directory: String?

    @OptionGroup var output: WriteOutputOptions

    func run() throws {
        try Console.run { console in
            var options = data
            if let directory { options.data = directory }
            var created = false
            let store = try options.openStore(initialising: true, created: &created)
            let outcome = git ? try GitSharing.prepare(store.directory) : nil
            if output.json {
                let state = try store.load()
                let items = created ? state.sortedItems.map { ItemChange(id: $0.id, before: nil, after: $0) } : []
                console.write(WriteOutput.json(
                    command: "init", changes: created ? try store.history() : [], items: items,
                    extra: ["directory": .string(store.directory), "created": .bool(created), "git": outcome.map(JSONValue.string) ?? .null]))
            } else if let outcome {
                console.write("\(DisplayText.sanitized(store.directory)): a tracker in a git repository; \(outcome)\n")
            } else {
                console.write("\(DisplayText.sanitized(store.directory)): a tracker\n")
            }
        }
    }
}

/// Makes a tracker's directory ready to share through git: a repository, the attributes
/// that merge the change log, the ignored files, and a first commit.
enum GitSharing {
    /// Prepares `directory` and says what became of the commit.
    static func prepare(_ directory: String) throws(TrackerError) -> String {
        if try git(["rev-parse", "--show-toplevel"], in: directory).status != 0 {
            try checked(git(["init", "--quiet"], in: directory), "git init")
        }
        try addLines(TrackerFiles.gitAttributes, to: directory + "/.gitattributes")
        try addLines(TrackerFiles.gitIgnored, to: directory + "/.gitignore")
        try checked(git(["add", "--", TrackerFiles.catalog, TrackerFiles.changes, ".gitattributes", ".gitignore"], in: directory), "git add")
        if try git(["diff", "--cached", "--quiet"], in: directory).status == 0 { return "nothing new to commit" }
        let commit = try git(["commit", "--quiet", "-m", "Track policy recommendations with ptrack"], in: directory)
        guard commit.status == 0 else {
            let reason = commit.errors.split(separator: "\n").first.map(String.init) ?? "git commit failed"
            return "the files are staged but not committed (\(DisplayText.sanitized(reason))); commit them when ready"
        }
        return "committed"
    }

    /// Appends to the file at `path` those of `lines` it lacks (creating it), atomically.
    static func addLines(_ lines: [String], to path: String) throws(TrackerError) {
        var text = String(decoding: try FileSystem.read(path) ?? [], as: UTF8.self)
        let present = Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = lines.filter { !present.contains($0) }
        guard !missing.isEmpty else { return }
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        text += missing.joined(separator: "\n") + "\n"
        try FileSystem.replaceAtomically(path, with: Array(text.utf8))
    }

    private static func checked(_ result: (status: Int32, errors: String), _ what: String) throws(TrackerError) {
        guard result.status == 0 else { throw .unavailable("\(what) failed: \(DisplayText.sanitized(result.errors))") }
    }

    /// Runs git with `arguments` in `directory`: its exit status and standard error.
    private static func git(_ arguments: [String], in directory: String) throws(TrackerError) -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw .unavailable("cannot run git: \(error.localizedDescription)") }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 { throw .unavailable("git is not installed (it is needed for --git)") }
        return (process.terminationStatus, text)
    }
}
