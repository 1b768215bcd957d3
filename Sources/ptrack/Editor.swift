import Foundation
import PolicyTrackerCore

/// `$VISUAL`, else `$EDITOR`, else `vi`, run on a temporary file as `git commit` runs it:
/// through the shell, so the variable may hold arguments, with the terminal handed over.
enum Editor {
    /// The text of `template` after the user edited it; an error when the editor could not
    /// be run or exited with a failure (nothing is recorded then).
    static func edit(_ template: String) throws(TrackerError) -> String {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let path = FileManager.default.temporaryDirectory.path + "/ptrack-note-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
        try FileSystem.replaceAtomically(path, with: Array(template.utf8))
        defer { unlink(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$@\"", editor, path]
        do { try process.run() } catch { throw .unavailable("cannot run the editor \(DisplayText.quoted(editor)): \(error.localizedDescription)") }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw .unavailable("the editor \(DisplayText.quoted(editor)) failed (status \(process.terminationStatus)); nothing was recorded")
        }
        return String(decoding: try FileSystem.read(path) ?? [], as: UTF8.self)
    }
}
