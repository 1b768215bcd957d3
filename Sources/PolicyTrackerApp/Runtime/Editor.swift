import Foundation
import PolicyTrackerCore

/// `$VISUAL`, else `$EDITOR`, else `vi`, run on a temporary file as `git commit` runs it:
/// through the shell, so the variable may hold arguments, with the terminal handed over.
/// `mark --edit`, `review --edit` and the browser's `e` all write their notes with it.
public enum Editor {
    /// The text of `template` after the user edited it; an error when the editor could not
    /// be run or exited with a failure (nothing is recorded then).
    public static func edit(_ template: String) throws(TrackerError) -> String {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let path = FileManager.default.temporaryDirectory.path + "/ptrack-note-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
        try FileSystem.replaceAtomically(path, with: Array(template.utf8))
        defer { unlink(path) }
        // `exec`: the editor takes the shell's place, so it is the process waited for, and
        // Ctrl-C in it cannot end a shell left waiting behind it.
        let status: Int32
        do {
            status = try ChildProcess.run(["/bin/sh", "-c", "exec " + editor + " \"$@\"", editor, path], environment: environment)
        } catch {
            throw .unavailable("cannot run the editor \(DisplayText.quoted(editor)): \(error.reason)")
        }
        guard status == 0 else {
            throw .unavailable("the editor \(DisplayText.quoted(editor)) failed (\(ChildProcess.describe(status))); nothing was recorded")
        }
        return String(decoding: try FileSystem.read(path) ?? [], as: UTF8.self)
    }
}
