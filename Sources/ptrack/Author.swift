import ArgumentParser
import Foundation
import PolicyTrackerCore

/// `--author NAME`, accepted by the commands that record changes.
struct AuthorOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Who records the change (default: the configuration's author, else git's user.name, else the login name).",
        valueName: "name"))
    var author: String?

    /// The author of the changes recorded in `store`'s directory.
    func resolved(for store: TrackerStore) throws(TrackerError) -> String? {
        try Author.resolve(explicit: author, dataDirectory: store.directory)
    }
}

/// The system's side of ``AuthorName``: git and the password database.
enum Author {
    /// Who records changes in `dataDirectory`: `explicit`, else the configuration's, git's or
    /// the login name.
    static func resolve(explicit: String?, dataDirectory: String) throws(TrackerError) -> String? {
        AuthorName.resolve(
            explicit: explicit, configuration: try Configuration.current(), dataDirectory: dataDirectory,
            lookups: AuthorName.Lookups(gitUserName: gitUserName, loginName: loginName))
    }

    /// `git -C directory config user.name`, run without a shell, when `directory` is in a
    /// git repository; nil when it is not (a tracker not shared through git asks no child
    /// process, so its writes cost no more than they did), or git is missing, fails or
    /// prints nothing.
    static func gitUserName(_ directory: String) -> String? {
        guard isInRepository(directory) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory, "config", "user.name"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `directory` or a folder above it holds `.git` (a folder, or the file of a
    /// worktree or submodule), as git finds a repository.
    static func isInRepository(_ directory: String) -> Bool {
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return true }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return false }
            url = parent
        }
    }

    /// The login name of the user running ptrack, from the password database.
    static func loginName() -> String? {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
