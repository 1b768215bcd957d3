import ArgumentParser
import PolicyTrackerCore

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "List every status change between two dates, item by item, with counts at the start and the end.",
        discussion: """
            FROM counts from its first day and TO to its last: `ptrack diff 2022 2023` lists \
            the changes that happened from 2022-01-01 to 2023-12-31, and compares the counts \
            at the start of 2022 with those at the end of 2023.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var filters: FilterOptions

    @Argument(help: ArgumentHelp("The start (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "from"))
    var from: String

    @Argument(help: ArgumentHelp("The end (YYYY, YYYY-MM or YYYY-MM-DD; default today).", valueName: "to"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("text, markdown, json, csv or html.", valueName: "format"))
    var format: ReportFormat = .text

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Console.run { console in
            let now = Clock.now, generated = Clock.generated
            let start = try Lookup.date(from)
            let end = try to.map { text throws(TrackerError) in try Lookup.date(text) } ?? now.day
            let store = try data.openStore()
            var filter = ItemFilter()
            var (diff, digests) = try store.withDigests { () throws(TrackerError) in
                let (state, items, transitions) = try store.transitions(asOf: end, select: { state throws(TrackerError) in
                    filter = try filters.filter(in: state)
                    return state.items.values.filter { filter.matches($0) }
                }, keeping: { StatusDiff.isInSpan($0, from: start) })
                return try StatusDiff(items: items, state: state, transitions: transitions, from: start, to: end, generated: generated)
            }
            diff.provenance = Provenance(catalogs: diff.catalogs, asOf: end, generated: generated, filters: filter.summary, digests: digests)
            var text = ""
            diff.write(format, style: output.style(isText: format == .text), width: Console.width, to: &text)
            try output.emit(text, to: &console)
        }
    }
}
