import ArgumentParser
import PolicyTrackerCore

/// `ptrack vocabulary`: the actors, categories and horizons each catalog declares, and the
/// recorded changes to them.
struct VocabularyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocabulary",
        abstract: "Show or change the actors, categories and horizons a catalog's recommendations may name.",
        discussion: "Changes are recorded in the log like any other, so they can be shared and undone. A term's id never changes; rename changes its name, short label and aliases.",
        subcommands: [VocabularyListCommand.self, VocabularyAddCommand.self, VocabularyRenameCommand.self, VocabularyRemoveCommand.self],
        defaultSubcommand: VocabularyListCommand.self)
}

/// Which catalog and list a vocabulary command is about.
struct VocabularyTarget: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The catalog (default: the configuration's catalog, else the default catalog).", valueName: "catalog"),
            completion: Completions.catalogs)
    var catalog: String?

    @Argument(help: ArgumentHelp("actors, categories or horizons (or a unique prefix).", valueName: "list"))
    var list: String

    /// The list, and the id of the catalog, resolved against `state`.
    func resolved(in state: TrackerState) throws(TrackerError) -> (list: VocabularyList, catalog: String) {
        guard let list = VocabularyList(name: list) else {
            throw .usage("no vocabulary list \(DisplayText.quoted(list)) (choices: actors, categories, horizons)")
        }
        return (list, try vocabularyCatalog(catalog, in: state))
    }
}

/// The catalog `name` names, else the configuration's, else the tracker's default.
func vocabularyCatalog(_ name: String?, in state: TrackerState) throws(TrackerError) -> String {
    let configured = name == nil ? try Configuration.current().catalog : nil
    guard let chosen = name ?? configured else { return state.defaultCatalog ?? "" }
    return try Lookup.resolve(chosen, among: state.catalogs.map(\.id), noun: "catalog")
}

/// Who may add, rename and remove terms: notes and the write options.
struct VocabularyWriteOptions: ParsableArguments {
    @OptionGroup var data: DataOptions
    @OptionGroup var output: WriteOutputOptions
    @OptionGroup var author: AuthorOptions

    @Option(name: .long, help: "Why the vocabulary changed.")
    var note: String?

    /// Records the change `make` returns for the list and catalog of `target`, and says what
    /// it did.
    func record(
        command: String, _ target: VocabularyTarget,
        _ make: (VocabularyList, String, TrackerState, ChangeFactory) throws(TrackerError) -> Change
    ) throws {
        try ptrack.record(data, output, author, command: "vocabulary " + command) { context, factory throws(TrackerError) in
            let state = try context.state()
            let (list, catalog) = try target.resolved(in: state)
            return [try make(list, catalog, state, factory)]
        } report: { result, output in
            for change in result.changes {
                output.write((change.kind.vocabularyEdit.map(\.summary) ?? "") + " (change \(change.changeId))\n")
            }
        }
    }
}

/// A term's parts besides its id, for `add` and `rename`.
struct TermFields: ParsableArguments {
    @Option(name: .long, help: "Its full name (when added, default: the id).") var name: String?
    @Option(name: .long, help: "A label for narrow columns, such as EU (empty for none).") var short: String?
    @Option(name: .long, help: ArgumentHelp("A name it is also known by (repeatable; a rename replaces its aliases).", valueName: "alias"))
    var alias: [String] = []
}

struct VocabularyListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show each catalog's actors, categories and horizons.")

    @OptionGroup var data: DataOptions

    @Option(name: .long, help: ArgumentHelp("Only this catalog.", valueName: "catalog"), completion: Completions.catalogs)
    var catalog: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try Console.run { output in
            let state = try data.openStore().load()
            let shown = try catalog.map { name throws(TrackerError) in [try vocabularyCatalog(name, in: state)] } ?? state.catalogs.map(\.id).sorted()
            let catalogs = shown.compactMap { id in state.catalogs.first { $0.id == id } }
            output.write(json ? VocabularyOutput.json(catalogs) : VocabularyOutput.text(catalogs))
        }
    }
}

struct VocabularyAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an actor, category or horizon to a catalog.")

    @OptionGroup var options: VocabularyWriteOptions
    @OptionGroup var target: VocabularyTarget

    @Argument(help: ArgumentHelp("The new term's id, as recommendations will store it (spaces allowed).", valueName: "id"))
    var id: String

    @OptionGroup var fields: TermFields

    func run() throws {
        try options.record(command: "add", target) { list, catalog, state, factory throws(TrackerError) in
            if let problem = VocabularyFormat.problem(withId: id, in: list) { throw .usage(problem) }
            let term = Term(id: id, name: fields.name, short: fields.short ?? "", aliases: fields.alias)
            return try factory.addTerm(term, to: list, of: catalog, in: state, note: options.note)
        }
    }
}

struct VocabularyRenameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename", abstract: "Change a term's name, short label or aliases (its id stays).")

    @OptionGroup var options: VocabularyWriteOptions
    @OptionGroup var target: VocabularyTarget

    @Argument(help: ArgumentHelp("The term: its id, name, short label, an alias or a unique prefix.", valueName: "term"))
    var term: String

    @OptionGroup var fields: TermFields

    func run() throws {
        try options.record(command: "rename", target) { list, catalog, state, factory throws(TrackerError) in
            try factory.renameTerm(
                term, in: list, of: catalog, name: fields.name, short: fields.short, aliases: fields.alias.isEmpty ? nil : fields.alias,
                in: state, note: options.note)
        }
    }
}

struct VocabularyRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a term no recommendation of the catalog uses.")

    @OptionGroup var options: VocabularyWriteOptions
    @OptionGroup var target: VocabularyTarget

    @Argument(help: ArgumentHelp("The term: its id, name, short label, an alias or a unique prefix.", valueName: "term"))
    var term: String

    func run() throws {
        try options.record(command: "remove", target) { list, catalog, state, factory throws(TrackerError) in
            try factory.removeTerm(term, in: list, of: catalog, in: state, note: options.note)
        }
    }
}
