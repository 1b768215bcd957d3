import ArgumentParser
import Foundation
import PolicyTrackerCore

/// `ptrack check`: the tracker held to an editor's rules (see docs/check.md).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report weak claims: statuses without sources, anachronisms, misquotes, contradicting links, stale reviews.",
        discussion: """
            Runs every rule (or those --rule names) over the changes in effect and the items, and prints each \
            finding as path:line, severity, [rule], item and what is wrong. `ptrack check rules` lists the rules. \
            A rule is silenced for one item, with a reason kept in check.json, by `ptrack check silence`. \
            Exit status: 0 no error (warnings allowed), 1 an error found.
            """,
        subcommands: [RunCheck.self, ListRules.self, Silence.self, Unsilence.self],
        defaultSubcommand: RunCheck.self)
}

extension CheckCommand {
    struct RunCheck: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the rules (the default).")

        @OptionGroup var data: DataOptions

        @Argument(help: "Only these recommendations (ids or unique prefixes; default all).", completion: Completions.ids)
        var ids: [String] = []

        @Option(name: .long, help: ArgumentHelp("Run only this rule (repeatable).", valueName: "rule"), completion: .list(CheckRule.ids))
        var rule: [String] = []

        @Option(name: .long, help: ArgumentHelp("Leave this rule out (repeatable).", valueName: "rule"), completion: .list(CheckRule.ids))
        var skip: [String] = []

        @Option(name: .long, help: ArgumentHelp(
            "Where the sources' texts are, as <source id>.txt (default: the data directory's sources/).", valueName: "dir"),
            completion: .directory)
        var sources: String?

        @Option(name: .long, help: ArgumentHelp(
            "Days after which a review is stale (default: the configuration's staleDays, else 180).", valueName: "n"))
        var staleDays: Int?

        @Flag(name: .long, help: "Print the findings as JSON.")
        var json = false

        func validate() throws {
            guard staleDays ?? 0 >= 0 else { throw ValidationError("--stale-days must not be negative") }
        }

        func run() throws {
            var hasErrors = false
            try Console.run { console in
                let store = try data.openStore()
                let only = ids.isEmpty ? nil : Set(try ids.map { id throws(TrackerError) in try store.item(id).id })
                let outcome = try store.check(try settings(store), only: only)
                hasErrors = outcome.errors > 0
                console.write(json ? CheckOutput.json(outcome) : CheckOutput.text(outcome, style: Console.style))
            }
            if hasErrors { throw ExitCode(1) }
        }

        private func settings(_ store: TrackerStore) throws(TrackerError) -> Checker.Settings {
            var chosen = Set(CheckRule.allCases)
            if !rule.isEmpty { chosen = [] }
            for id in rule { chosen.insert(try CheckCommand.rule(id)) }
            for id in skip { chosen.remove(try CheckCommand.rule(id)) }
            let configured = try Configuration.current().staleDays
            let days = staleDays ?? configured ?? 180
            let directory = sources
            return Checker.Settings(
                rules: chosen, silences: try store.silences(), staleDays: days, today: Clock.now.day,
                sourceText: { id in
                    (directory.map { TrackerStore.sourceText(id, in: $0) } ?? store.sourceText(id)).map(QuoteMatch.Text.init)
                })
        }
    }

    struct ListRules: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the rules, their severities and what each asks.")

        @Flag(name: .long, help: "Print the rules as JSON.")
        var json = false

        func run() throws {
            try Console.run { console in console.write(json ? CheckOutput.rulesJSON() : CheckOutput.rulesText()) }
        }
    }

    struct Silence: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "silence", abstract: "Silence a rule for one recommendation, recording why (in check.json).")

        @OptionGroup var data: DataOptions

        @Argument(help: "The rule's id (see `ptrack check rules`).", completion: .list(CheckRule.ids))
        var rule: String

        @Argument(help: "The recommendation's id or a unique prefix of it.", completion: Completions.ids)
        var id: String

        @Option(name: .long, help: ArgumentHelp("Why the finding does not apply (required).", valueName: "text"))
        var reason: String

        func run() throws {
            try Console.run { console in
                let store = try data.openStore(initialising: false)
                let rule = try CheckCommand.rule(rule)
                let item = try store.item(id).id
                let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { throw TrackerError.usage("--reason must say why") }
                try store.updateSilences { silences in
                    silences.filter { !($0.rule == rule && $0.item == item) }
                        + [CheckSilence(rule: rule, item: item, reason: trimmed, recorded: Clock.now)]
                }
                console.write("\(DisplayText.sanitized(item)): \(rule.id) silenced (\(DisplayText.sanitized(store.checkSettingsPath)))\n")
            }
        }
    }

    struct Unsilence: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unsilence", abstract: "Run a silenced rule for a recommendation again.")

        @OptionGroup var data: DataOptions

        @Argument(help: "The rule's id.", completion: .list(CheckRule.ids))
        var rule: String

        @Argument(help: "The recommendation's id or a unique prefix of it.", completion: Completions.ids)
        var id: String

        func run() throws {
            try Console.run { console in
                let store = try data.openStore(initialising: false)
                let rule = try CheckCommand.rule(rule)
                let item = try store.item(id).id
                var found = false
                try store.updateSilences { silences throws(TrackerError) in
                    found = silences.contains { $0.rule == rule && $0.item == item }
                    guard found else { throw TrackerError.usage("\(rule.id) is not silenced for \(DisplayText.quoted(item))") }
                    return silences.filter { !($0.rule == rule && $0.item == item) }
                }
                console.write("\(DisplayText.sanitized(item)): \(rule.id) runs again\n")
            }
        }
    }

    /// The rule `id` names, or a usage error listing the rules.
    static func rule(_ id: String) throws(TrackerError) -> CheckRule {
        guard let rule = CheckRule(id: id) else {
            throw .usage("unknown rule \(DisplayText.quoted(id)) (rules: \(CheckRule.ids.joined(separator: ", ")))")
        }
        return rule
    }
}
