import ArgumentParser
import PolicyTrackerCore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add catalogs, recommendations and changes from a CSV or JSON file.",
        discussion: """
            The file is checked whole first: every problem is listed with its row or JSON path, and \
            nothing is imported while there is one. Import adds and never overwrites: what the \
            tracker has is kept, and changes it already has (by changeId) are skipped, so importing \
            a file again changes nothing. See docs/import.md for the columns and the schema.
            """)

    @OptionGroup var data: DataOptions

    @Argument(help: "The file to import (- for standard input, with --format).", completion: .file(extensions: ["csv", "json"]))
    var file: String

    @Option(name: .long, help: ArgumentHelp("csv or json (default: from the file's extension).", valueName: "format"))
    var format: InterchangeFormat?

    @Option(name: .long, help: ArgumentHelp("For CSV: the catalog of rows that name none; created when new.", valueName: "catalog"),
            completion: Completions.catalogs)
    var catalog: String?

    @Option(name: .long, help: ArgumentHelp("The title of the catalog --catalog creates (default: its id).", valueName: "text"))
    var title: String?

    @Option(name: .long, help: ArgumentHelp("For CSV: the citation of rows that give none (a source id or text).", valueName: "text"))
    var source: String?

    @Flag(name: .long, help: "Add the actors, categories and horizons the file names that a catalog the tracker has lacks (else they are errors).")
    var addVocabulary = false

    @Flag(name: .long, help: "Check the file and show what would be imported, writing nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Print the changes written, each item before and after, and the summary as JSON.")
    var json = false

    func run() throws {
        try Console.run { console in
            var store = try data.openStore(initialising: false)
            let document = try readDocument(progress: store.progress)
            var before: TrackerState?
            let make = { (catalog: CatalogDocument, history: [Change], state: TrackerState?) throws(TrackerError) in
                before = state
                return try ImportPlan.make(
                    document, into: catalog, history: history, known: state, fallback: try fallback(), addVocabulary: addVocabulary, now: Clock.now, progress: store.progress)
            }
            // A preview, and an import into a directory that is no tracker yet, plan first: a
            // refused import creates nothing.
            var plan: ImportPlan?
            if dryRun || !store.isInitialised {
                let current = try store.catalogAndHistory()
                plan = try make(current.catalog, current.history, nil)
            }
            if !dryRun {
                store = try data.openStore()
                plan = try store.importing(make)
            }
            guard let plan else { return }
            guard json else {
                return console.write(ImportReport.text(plan.summary, file: file, directory: store.directory, written: !dryRun))
            }
            let written = dryRun ? [] : plan.changes
            var items: [ItemChange] = []
            if !dryRun {
                let after = try store.load()
                var seen = Set<String>()
                for id in plan.summary.itemsAdded + written.map(\.recommendationId) where seen.insert(id).inserted {
                    items.append(ItemChange(id: id, before: before?.items[id], after: after.items[id]))
                }
            }
            console.write(WriteOutput.json(
                command: "import", changes: written, items: items,
                extra: ["import": ImportReport.json(plan.summary, file: file, written: !dryRun)]))
        }
    }

    private func readDocument(progress: ProgressSink) throws(TrackerError) -> ImportDocument {
        guard let format = format ?? InterchangeFormat(path: file) else {
            throw .usage("cannot tell the form of \(DisplayText.quoted(file)) from its name; give --format csv or --format json")
        }
        if format == .json, catalog != nil || title != nil || source != nil {
            throw .usage("--catalog, --title and --source apply to CSV files only")
        }
        let bytes = try file == "-" ? Console.readStandardInput() : FileSystem.read(file)
        guard let bytes else { throw .io(path: file, message: "no such file") }
        return try progress.run("reading the file", total: bytes.count, unit: "bytes") { counter throws(TrackerError) in
            let document = try ImportDocument.read(
                SourceText(path: file == "-" ? "<stdin>" : file, bytes: bytes), format: format,
                defaults: RowDefaults(catalog: catalog, source: source), now: Clock.now)
            counter.advance(by: bytes.count)
            return document
        }
    }

    /// The catalog `--catalog` names, to be created when new.
    private func fallback() throws(TrackerError) -> Catalog? {
        guard let catalog else { return nil }
        guard Slug.isValid(catalog) else { throw .usage("invalid catalog id \(DisplayText.quoted(catalog)) (expected \(Slug.expectedForm))") }
        let name = title ?? catalog
        guard !name.allSatisfy(\.isWhitespace) else { throw .usage("the title must not be empty") }
        return Catalog(id: catalog, title: name, description: "", version: "", source: "", isDefault: false)
    }
}

extension InterchangeFormat: ExpressibleByArgument {}
