import ArgumentParser
import PolicyTrackerApp
import PolicyTrackerCore

/// Records the changes `make` returns through the store's one write entry point, which
/// hands `make` what it reads under the lock, then prints with `report` what it did, or
/// with `--json` the changes and items as ``WriteOutput`` gives them.
func record(
    _ data: DataOptions, _ output: WriteOutputOptions, _ author: AuthorOptions, command: String,
    _ make: (WriteContext, ChangeFactory) throws(TrackerError) -> [Change],
    report: (WriteResult, inout Console) -> Void
) throws {
    try Console.run { console in
        let store = try data.openStore()
        let factory = ChangeFactory(now: Clock.now, author: try author.resolved(for: store))
        let result = try store.record { context throws(TrackerError) in try make(context, factory) }
        if output.json {
            console.write(WriteOutput.json(command: command, changes: result.changes, items: result.items))
        } else {
            report(result, &console)
        }
    }
}

/// `--json` of the commands that write.
struct WriteOutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the changes written and each item before and after as JSON.")
    var json = false
}

/// What a mark or a review rests on.
struct EvidenceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The evidence: a source id, a URL or a citation.", valueName: "text"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp(
        "The source's words that show it, copied exactly (at most 25 words; needs --source).", valueName: "text"))
    var quote: String?
}

struct MarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark", abstract: "Record a recommendation's new status, with its evidence.",
        discussion: "Statuses: \(Status.names.joined(separator: ", ")).")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: WriteOutputOptions
    @OptionGroup var author: AuthorOptions

    @Argument(help: "The recommendation's id or a unique prefix of it.", completion: Completions.ids)
    var id: String

    @Argument(help: "The new status (or a unique prefix of it).", completion: Completions.statuses)
    var status: String

    @Option(name: .long, help: "What happened.")
    var note: String?

    @Option(name: .long, help: ArgumentHelp("When it happened: YYYY, YYYY-MM or YYYY-MM-DD (default today).", valueName: "date"))
    var date: String?

    @OptionGroup var evidence: EvidenceOptions

    @Flag(name: .long, help: "Write the note in $VISUAL or $EDITOR (starting from --note); an empty note cancels.")
    var edit = false

    func run() throws {
        let written = edit ? try editedNote { item throws(TrackerError) in
            NoteTemplate.text(for: item, status: try Lookup.status(status), note: note)
        } : note
        try record(data, output, author, command: Self.configuration.commandName!) { context, factory throws(TrackerError) in
            let happened = try date.map { text throws(TrackerError) in try Lookup.date(text) }
            return [try factory.mark(
                try context.item(id), try Lookup.status(status), happened: happened, note: written, source: evidence.source,
                quote: evidence.quote)]
        } report: { result, output in
            if let line = Self.describe(result) { output.write(line) }
        }
    }

    /// What a mark did: the status before and after, or that a later change keeps another.
    static func describe(_ result: WriteResult) -> String? {
        guard let change = result.changes.first, let recorded = change.status, let item = result.items.first,
              let now = item.after?.status
        else { return nil }
        let before = item.before?.status ?? .notStarted
        let effect = now == recorded ? "\(before.rawValue) → \(now.rawValue)"
            : "recorded \(recorded.rawValue) as of \(change.happened.text); a later change keeps it \(now.rawValue)"
        return "\(change.recommendationId): \(effect) (change \(change.changeId))\n"
    }
}

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Record that a recommendation was reviewed and its status still holds.")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: WriteOutputOptions
    @OptionGroup var author: AuthorOptions

    @Argument(help: "The recommendation's id or a unique prefix of it.", completion: Completions.ids)
    var id: String

    @Option(name: .long, help: "What the review found.")
    var note: String?

    @Option(name: .long, help: ArgumentHelp("When it was reviewed: YYYY, YYYY-MM or YYYY-MM-DD (default today).", valueName: "date"))
    var date: String?

    @OptionGroup var evidence: EvidenceOptions

    @Flag(name: .long, help: "Write the note in $VISUAL or $EDITOR (starting from --note); an empty note cancels.")
    var edit = false

    func run() throws {
        let written = edit ? try editedNote { item in NoteTemplate.text(for: item, status: nil, note: note) } : note
        try record(data, output, author, command: Self.configuration.commandName!) { context, factory throws(TrackerError) in
            let happened = try date.map { text throws(TrackerError) in try Lookup.date(text) }
            return [try factory.review(
                try context.item(id), happened: happened, note: written,
                evidence: ChangeFactory.Evidence(source: evidence.source, quote: evidence.quote))]
        } report: { result, output in
            guard let change = result.changes.first, let item = result.after(change.recommendationId) else { return }
            output.write("\(change.recommendationId): reviewed, still \(item.status.rawValue) (change \(change.changeId))\n")
        }
    }
}

/// A command that names one item and may ask for its note in the editor.
protocol EditsANote {
    var data: DataOptions { get }
    var id: String { get }
}

extension EditsANote {
    /// The note the user writes in their editor, opened on `template` of the item the
    /// command names; the editor runs before the write takes the lock. An empty note cancels
    /// the command: it says so and exits 1, having recorded nothing.
    func editedNote(_ template: (Item) throws(TrackerError) -> String) throws -> String {
        var note: String?
        try Console.run { _ in
            let item = try data.openStore().item(id)
            note = NoteTemplate.note(from: try Editor.edit(try template(item)))
        }
        guard let note else {
            Console.standardError.write("ptrack: empty note; nothing was recorded\n")
            throw ExitCode(1)
        }
        return note
    }
}

extension MarkCommand: EditsANote {}
extension ReviewCommand: EditsANote {}

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Watch a recommendation.")
    @OptionGroup var data: DataOptions
    @OptionGroup var output: WriteOutputOptions
    @OptionGroup var author: AuthorOptions
    @Argument(help: "The recommendation's id or a unique prefix of it.", completion: Completions.ids) var id: String
    func run() throws { try setWatched(true, id: id, data: data, output: output, author: author, command: Self.configuration.commandName!) }
}

struct UnwatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unwatch", abstract: "Stop watching a recommendation.")
    @OptionGroup var data: DataOptions
    @OptionGroup var output: WriteOutputOptions
    @OptionGroup var author: AuthorOptions
    @Argument(help: "The recommendation's id or a unique prefix of it.", completion: Completions.ids) var id: String
    func run() throws { try setWatched(false, id: id, data: data, output: output, author: author, command: Self.configuration.commandName!) }
}

private func setWatched(
    _ watched: Bool, id: String, data: DataOptions, output: WriteOutputOptions, author: AuthorOptions, command: String
) throws {
    var unchanged: String?
    try record(data, output, author, command: command) { context, factory throws(TrackerError) in
        let item = try context.item(id)
        let change = factory.watch(item, watched)
        unchanged = change == nil ? item.id : nil
        return change.map { [$0] } ?? []
    } report: { result, output in
        guard let change = result.changes.first else { return }
        output.write("\(change.recommendationId): \(watched ? "watched" : "no longer watched") (change \(change.changeId))\n")
    }
    if let unchanged {
        Console.standardError.write("ptrack: \(unchanged) is \(watched ? "already" : "not") watched; nothing recorded\n")
    }
}

/// Fields `add` and `edit` share.
struct RecommendationFields: ParsableArguments {
    @Option(name: .long, help: "The title.") var title: String?
    @Option(name: .long, help: "A summary in a few sentences.") var summary: String?
    @Option(name: .long, help: "The category, from the catalog's vocabulary.", completion: Completions.categories) var category: String?
    @Option(name: .long, help: ArgumentHelp("When it should bear fruit, from the catalog's vocabulary (short-term, medium-term, long-term, ongoing for the bundled agenda).", valueName: "horizon"),
            completion: Completions.horizons) var horizon: String?
    @Option(name: .long, help: ArgumentHelp("An actor who must act, from the catalog's vocabulary, such as US, Japan or ROK (repeatable).", valueName: "actor"),
            completion: Completions.actors) var actor: [String] = []
    @Option(name: .long, help: ArgumentHelp("Where it comes from: a source id or a citation.", valueName: "text")) var source: String?
    @Option(name: .long, help: "A short quote from the source.") var quote: String?
    @Option(name: .long, help: ArgumentHelp(
        "A link to another recommendation: advances:ID or supersedes:ID, kind and id by unique prefix (repeatable; on edit, replaces the links).",
        valueName: "kind:id"))
    var link: [String] = []

    /// The fields as typed, for the core to resolve and check.
    var draft: RecommendationDraft {
        RecommendationDraft(
            title: title, summary: summary, category: category, horizon: horizon, actors: actor, source: source, quote: quote,
            links: link)
    }
}

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a recommendation.")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: WriteOutputOptions
    @OptionGroup var author: AuthorOptions
    @Argument(help: "The new id: a lowercase slug such as my-item.") var id: String
    @OptionGroup var fields: RecommendationFields
    @Option(name: .long, help: ArgumentHelp("The catalog to add to (default: the default catalog).", valueName: "id")) var catalog: String?
    @Option(name: .long, help: "Why it was added.") var note: String?

    func validate() throws {
        guard fields.title != nil else { throw ValidationError("Missing expected argument '--title <title>'") }
    }

    func run() throws {
        try record(data, output, author, command: Self.configuration.commandName!) { context, factory throws(TrackerError) in
            let state = try context.state()
            let recommendation = try fields.draft.recommendation(id: id, catalog: catalog, in: state, linkLabel: "--link")
            return [try factory.add(recommendation, to: state, note: note)]
        } report: { result, output in
            for change in result.changes { output.write("\(change.recommendationId): added (change \(change.changeId))\n") }
        }
    }
}

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Correct a recommendation's fields; the edit is recorded like a change.")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: WriteOutputOptions
    @OptionGroup var author: AuthorOptions
    @Argument(help: "The recommendation's id or a unique prefix of it.", completion: Completions.ids) var id: String
    @OptionGroup var fields: RecommendationFields
    @Flag(name: .long, help: "Remove every link of the recommendation.") var clearLinks = false
    @Option(name: .long, help: "Why it was edited.") var note: String?

    func run() throws {
        try record(data, output, author, command: Self.configuration.commandName!) { context, factory throws(TrackerError) in
            let item = try context.item(id)
            // The catalog's vocabulary is read with the whole tracker, which only these fields need.
            let draft = fields.draft
            let needsVocabulary = draft.category != nil || draft.horizon != nil || !draft.actors.isEmpty
            let vocabulary = needsVocabulary ? try context.state().vocabulary(of: item.recommendation.catalog) : Vocabulary()
            var patch = try draft.patch(current: item.recommendation.source, vocabulary: vocabulary)
            // Link targets are looked up in the whole tracker, which only --link needs.
            if !fields.link.isEmpty {
                patch.links = try fields.draft.resolvedLinks(of: item.id, in: try context.state(), label: "--link")
            } else if clearLinks {
                patch.links = []
            }
            if patch.isEmpty {
                throw .usage("nothing to edit: give at least one of --title, --summary, --category, --horizon, --actor, --source, --quote, --link, --clear-links")
            }
            return try factory.edit(item, patch, note: note).map { [$0] } ?? []
        } report: { result, output in
            guard let change = result.changes.first, case .edit(let fields, _) = change.kind else { return }
            output.write("\(change.recommendationId): edited \(fields.fieldNames.joined(separator: ", ")) (change \(change.changeId))\n")
        }
    }
}

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert the last change still in effect (or the one named); the revert is itself recorded.")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: WriteOutputOptions
    @OptionGroup var author: AuthorOptions
    @Argument(help: "The change id to revert (default: the latest).") var changeId: String?

    func run() throws {
        var target: Change?
        try record(data, output, author, command: Self.configuration.commandName!) { context, factory throws(TrackerError) in
            let undo = try factory.undo(changeId, history: try context.history(forUndoOf: changeId))
            if undo.target.kind.vocabularyEdit != nil { try ChangeFactory.refuseVocabularyRevert(of: undo.target, in: try context.state()) }
            target = undo.target
            return [undo.revert]
        } report: { result, output in
            guard let target, let change = result.changes.first else { return }
            let now = result.after(target.recommendationId).map { " (now \($0.status.rawValue))" } ?? ""
            let subject = target.kind.vocabularyEdit.map { "vocabulary of " + DisplayText.sanitized($0.catalog) } ?? target.recommendationId
            output.write("\(subject): reverted \(target.kind.name) change \(target.changeId)\(now); undo recorded as \(change.changeId)\n")
        }
    }
}
