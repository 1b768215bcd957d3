import ArgumentParser
import PolicyTrackerCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List recommendations with their status.")

    @OptionGroup var data: DataOptions
    @OptionGroup var filters: FilterOptions

    @Option(name: .long, help: ArgumentHelp("Only items whose id, title, summary, category, quote or notes contain this text.", valueName: "text"))
    var search: String?

    @Flag(name: .long, help: "Print a JSON array instead of a table.")
    var json = false

    func run() throws {
        try Console.run { output in
            let store = try data.openStore()
            let state = try store.load()
            let filter = try filters.filter(in: state, search: search)
            let notes = search == nil ? [:] : try store.history().notesByItem()
            let items = filter.apply(to: state, notes: notes)
            if json {
                output.write(JSONWriter.prettyArray(items, escaping: .terminal, ItemOutput.json))
            } else {
                ItemOutput.writeTable(items, width: Console.width, style: Console.style, to: &output)
                Console.standardError.write("\(items.count) of \(state.items.count) recommendations\n")
            }
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one recommendation with its source and full history.")

    @OptionGroup var data: DataOptions

    @Argument(help: "The recommendation's id or a unique prefix of it.", completion: Completions.ids)
    var id: String

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try Console.run { output in
            let store = try data.openStore()
            let state = try store.load()
            let item = try Lookup.item(id, in: state)
            let history = try store.history()
            if json {
                output.write(JSONWriter.pretty(ItemOutput.detailJSON(item, history: history, state: state), escaping: .terminal))
            } else {
                ItemOutput.writeDetail(item, history: history, state: state, width: Console.width, style: Console.style, to: &output)
            }
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List changes, newest first.")

    @OptionGroup var data: DataOptions

    @Argument(help: "Only this recommendation's changes (id or unique prefix).", completion: Completions.ids)
    var id: String?

    @Option(name: .long, help: ArgumentHelp("Only changes that happened on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Flag(name: .long, help: "Print a JSON array.")
    var json = false

    func run() throws {
        try Console.run { output in
            let store = try data.openStore()
            let state = try store.load()
            let sinceDate = try since.map { text throws(TrackerError) in try Lookup.date(text) }
            let itemId = try id.map { text throws(TrackerError) in try Lookup.item(text, in: state).id }
            let history = try store.history()
            let changes = history
                .filter { change in itemId.map { change.recommendationId == $0 } ?? true }
                .filter { change in sinceDate.map { change.happened >= $0 } ?? true }
                .sorted { $0.precedence > $1.precedence }
            if json {
                let cancelled = Replay.cancelledChangeIds(history)
                output.write(JSONWriter.prettyArray(changes, escaping: .terminal) { ItemOutput.json($0, reverted: cancelled.contains($0.changeId)) })
            } else {
                ItemOutput.writeChanges(changes, all: history, showId: itemId == nil, state: state, width: Console.width, style: Console.style, to: &output)
            }
        }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise statuses overall, by category and by actor, with recent and stalled items.")

    @OptionGroup var data: DataOptions
    @OptionGroup var filters: FilterOptions

    @Option(name: .long, help: ArgumentHelp("text, markdown, json, csv or html.", valueName: "format"))
    var format: ReportFormat = .text

    @Option(name: .long, help: ArgumentHelp("Replay history up to this date (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
    var asOf: String?

    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("How many recent changes to list.", valueName: "n"))
    var recent = 10

    @Option(name: .long, help: ArgumentHelp(
        "List items not reviewed (no change recorded) in this many days (default: the configuration's staleDays, else 180).", valueName: "n"))
    var staleDays: Int?

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Add the status changes behind each item implemented, partial, stalled or reversed (default: on for markdown and html)."))
    var evidence: Bool?

    func validate() throws {
        guard staleDays ?? 0 >= 0 else { throw ValidationError("--stale-days must not be negative") }
        if evidence == true, format == .csv { throw ValidationError("--evidence: the CSV report holds counts only; use markdown, html, text or json") }
    }

    func run() throws {
        try Console.run { console in
            let store = try data.openStore()
            let now = Clock.now
            let date = try asOf.map { text throws(TrackerError) in try Lookup.date(text) }
            // The page's timeline needs the status changes, which come with the evidence.
            let withEvidence = evidence ?? (format == .markdown || format == .html)
            let configured = staleDays == nil ? try Configuration.current().staleDays : nil
            let days = staleDays ?? configured ?? 180
            var (report, transitions) = try store.documentedReport(
                asOf: date, now: now, generated: Clock.generated, recentLimit: recent, staleDays: days, evidence: withEvidence || format == .html
            ) { state throws(TrackerError) in try filters.filter(in: state) }
            if !withEvidence { report.evidence = nil }
            let style = output.style(isText: format == .text)
            var text = ""
            if format == .html {
                HTMLReport(report: report, transitions: transitions ?? []).write(to: &text)
            } else {
                report.write(format, style: style, to: &text)
            }
            try output.emit(text, to: &console)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a report still matches the tracker's data.",
        discussion: "Exit status: 0 the report matches, 1 the data changed since (what changed is said), 65 no provenance in the file.")

    @OptionGroup var data: DataOptions

    @Argument(help: "A report written by `ptrack report` in any format.")
    var report: String

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func run() throws {
        var verdict = Provenance.Verdict.matches
        try Console.run { output in
            let bytes = try FileSystem.read(report) ?? []
            let provenance = try Provenance.parse(bytes: bytes, path: report)
            verdict = try data.openStore().verify(provenance)
            output.write(json ? Self.json(verdict, provenance, report: report)
                : "\(DisplayText.sanitized(report)): " + Self.describe(verdict, provenance) + "\n")
        }
        if verdict != .matches { throw ExitCode(1) }
    }

    /// The result for scripts (`docs/schema/verify.schema.json`).
    static func json(_ verdict: Provenance.Verdict, _ provenance: Provenance, report: String) -> String {
        var members: [String: JSONValue] = [
            "schemaVersion": .int(1), "command": .string("verify"), "report": .string(report),
            "matches": .bool(verdict == .matches), "dataSha256": .string(provenance.dataSHA256),
            "message": .string(describe(verdict, provenance)),
        ]
        switch verdict {
        case .matches: members["verdict"] = .string("matches")
        case .catalogChanged: members["verdict"] = .string("catalogChanged")
        case .appended(let changes):
            members["verdict"] = .string("appended")
            members["appendedChanges"] = .int(changes)
        case .logRewritten(let bytes):
            members["verdict"] = .string("logRewritten")
            members["logBytes"] = .object(["then": .int(provenance.logBytes), "now": .int(bytes)])
        }
        return JSONWriter.pretty(.object(members), escaping: .terminal)
    }

    static func describe(_ verdict: Provenance.Verdict, _ provenance: Provenance) -> String {
        switch verdict {
        case .matches:
            "matches the tracker's data (sha256 \(provenance.dataSHA256))"
        case .catalogChanged:
            "does not match: catalog.json changed since the report was made"
        case .appended(let changes):
            "does not match: \(changes) change\(changes == 1 ? "" : "s") recorded after the report was made (the log it was built from is unchanged)"
        case .logRewritten(let bytes):
            "does not match: changes.jsonl was rewritten, not only appended to (\(provenance.logBytes) bytes then, \(bytes) now)"
        }
    }
}
