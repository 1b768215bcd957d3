import ArgumentParser
import PolicyTrackerCore

/// `ptrack agenda`: which edition of the bundled agenda a tracker holds, and updating it.
struct AgendaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "Show which edition of the bundled agenda the tracker holds, and bring it up to date.",
        subcommands: [Status.self, Update.self],
        defaultSubcommand: Status.self)
}

extension AgendaCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Say whether a newer edition of the bundled agenda is available (the default).")

        @OptionGroup var data: DataOptions

        func run() throws {
            try Console.run { console in
                let store = try data.openStore()
                let tracker = try store.catalogDocument()
                let bundled = try BundledAgenda.catalog()
                console.write(AgendaOutput.status(tracker, bundled: bundled))
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Bring a tracker made from an earlier bundled agenda up to date.",
            discussion: """
                Withdrawn bundled changes are reverted, with a note saying why; new bundled evidence, \
                recommendations and sources are added; the bundled catalogs' text is replaced by this \
                edition's. Your own changes are never touched. Running it again changes nothing.
                """)

        @OptionGroup var data: DataOptions

        @Flag(name: .long, help: "Show what the update would do, writing nothing.")
        var dryRun = false

        @Flag(name: .long, help: "Print what the update did (or would do) as JSON.")
        var json = false

        func run() throws {
            try Console.run { console in
                let store = try data.openStore(initialising: false)
                let bundled = try BundledAgenda.catalog()
                let bundledChanges = try BundledAgenda.changes()
                let plan = { (catalog: CatalogDocument, history: [Change], _: TrackerState?) throws(TrackerError) in
                    try AgendaUpdate.make(tracker: catalog, history: history, bundled: bundled, bundledChanges: bundledChanges)
                }
                // Only the catalog says whether the tracker is the agenda's; the log is read once,
                // by the plan (under the lock, unless this is a preview).
                if store.isInitialised, AgendaUpdate.isForeign(try store.catalogDocument(), bundled: bundled) {
                    throw TrackerError.usage("\(store.directory) was not made from the bundled agenda: it has none of its catalogs")
                }
                let update: AgendaUpdate
                if dryRun {
                    let current = try store.catalogAndHistory()
                    update = try plan(current.catalog, current.history, nil)
                } else {
                    update = try store.importing(plan)
                }
                console.write(json ? AgendaOutput.json(update, written: !dryRun) : AgendaOutput.text(update, written: !dryRun))
            }
        }
    }
}
