import ArgumentParser
import Foundation
import PolicyTrackerCore

/// `ptrack news`: the changes new since the browser last showed this tracker to you (or
/// since `--mark-seen`), in the log's order.
struct NewsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "news", abstract: "List the changes that arrived since you last looked.",
        discussion: """
            A change is new when someone else recorded it, the browser has not shown it to you and \
            `news --mark-seen` has not marked it: changes pulled from another copy of the tracker, \
            recorded by a script or in another window. You are the author your own changes would \
            get (--author, the configuration's author, git's user.name, the login name). What you \
            have seen is kept per user, outside the data directory. Before the first look nothing \
            is new. Reads only, unless --mark-seen.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var author: AuthorOptions

    @Flag(name: .long, help: "Print a JSON array.")
    var json = false

    @Flag(name: .long, help: "Then count every change in the tracker as seen.")
    var markSeen = false

    func run() throws {
        try Console.run { output in
            let store = try data.openStore()
            let seen = SeenFile(dataDirectory: store.directory, environment: ProcessInfo.processInfo.environment)
            let state = try store.load()
            let history = try store.history()
            let news = SeenChanges.new(in: history, seen: try seen.read(), reader: try author.resolved(for: store))
            if json {
                let cancelled = Replay.cancelledChangeIds(history)
                output.write(JSONWriter.prettyArray(news, escaping: .terminal) { ItemOutput.json($0, reverted: cancelled.contains($0.changeId)) })
            } else {
                output.write(SeenChanges.summary(count: news.count) + "\n")
                if !news.isEmpty {
                    ItemOutput.writeChanges(news, all: history, showId: true, state: state, width: Console.width, style: Console.style, to: &output)
                }
            }
            if markSeen { try seen.write(Set(history.lazy.map(\.changeId))) }
        }
    }
}
