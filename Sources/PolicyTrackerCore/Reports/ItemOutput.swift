/// How `list`, `show` and `history` print items and changes, as text and as JSON.
public enum ItemOutput {
    // MARK: JSON

    /// An item as `list --json` prints it.
    public static func json(_ item: Item) -> JSONValue {
        let recommendation = item.recommendation
        return .object([
            "id": .string(item.id), "catalog": .string(recommendation.catalog), "title": .string(recommendation.title),
            "status": .string(item.status.rawValue), "category": .string(recommendation.category),
            "horizon": .string(recommendation.horizon.id),
            "actors": .array(recommendation.actors.map { .string($0.id) }),
            "watched": .bool(recommendation.watched), "since": .optional(item.since?.text),
            "lastChange": .optional(item.lastChange?.text),
            "lastReviewed": .optional(recommendation.lastReviewed?.text), "changeCount": .int(item.changeCount),
        ])
    }

    /// An item with its summary, source, links both ways and history, as `show --json`
    /// prints it.
    public static func detailJSON(_ item: Item, history: [Change], state: TrackerState) -> JSONValue {
        guard case .object(var members) = json(item) else { return json(item) }
        let source = item.recommendation.source
        members["summary"] = .string(item.recommendation.summary)
        members["source"] = .object([
            "id": .string(source.source), "quote": .optional(source.quote),
            "citation": .optional(state.source(source.source)?.citation),
        ])
        members["links"] = CatalogFormat.encode(item.recommendation.links)
        members["linkedFrom"] = CatalogFormat.encode(LinkIndex(state.items).linkedFrom(item.id))
        let cancelled = Replay.cancelledChangeIds(history)
        members["history"] = .array(Timeline.changes(of: item.id, in: history).map { json($0, reverted: cancelled.contains($0.changeId)) })
        members["changedSideBySide"] = .array(sideBySide(item, in: history).map { .string($0.changeId) })
        return .object(members)
    }

    /// The status changes made to `item` side by side in two copies of the tracker, while
    /// nobody has reviewed it since (see ``Forks``).
    static func sideBySide(_ item: Item, in history: [Change]) -> [Change] {
        Forks.unresolved(in: history.filter { $0.recommendationId == item.id })[item.id] ?? []
    }

    /// A change as `history --json` prints it.
    public static func json(_ change: Change, reverted: Bool) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(change.recommendationId), "changeId": .string(change.changeId), "kind": .string(change.kind.name),
            "happened": .string(change.happened.text), "recorded": .string(change.recorded.text),
            "note": .optional(change.note), "source": .optional(change.source), "quote": .optional(change.quote),
            "author": .optional(change.author),
            "reverted": .bool(reverted),
            "status": .optional(change.status?.rawValue), "follows": change.follows.map { .array($0.map(JSONValue.string)) } ?? .null,
            "sequence": change.sequence.map(JSONValue.int) ?? .null,
        ]
        switch change.kind {
        case .watch(let watched): members["watched"] = .bool(watched)
        case .edit(let fields, let previous):
            members["fields"] = ChangeLogFormat.encode(fields)
            members["previous"] = ChangeLogFormat.encode(previous)
        case .add(let recommendation): members["title"] = .string(recommendation.title)
        case .revert(let target): members["reverts"] = .string(target)
        case .vocabulary(let edit):
            members["catalog"] = .string(edit.catalog)
            members["list"] = .string(edit.list.rawValue)
            members["term"] = edit.term.map(VocabularyFormat.encode) ?? .null
            members["replaces"] = edit.previous.map(VocabularyFormat.encode) ?? .null
        case .status, .review: break
        }
        return .object(members)
    }

    /// A status change with the status it replaced.
    public static func json(_ transition: Transition) -> JSONValue {
        guard case .object(var members) = json(transition.change, reverted: false) else { return .null }
        members["from"] = .string(transition.from.rawValue)
        return .object(members)
    }

    // MARK: Text

    /// The `list` table: one line per item, fitted to `width` columns. The title keeps at
    /// least 40 columns: on narrow terminals the horizon, then the category, make way.
    public static func writeTable(_ items: [Item], width: Int, style: TextStyle, to output: inout some TextOutputStream) {
        let idWidth = min(30, max(2, items.map { DisplayText.width($0.id) }.max() ?? 2))
        let categoryWidth = min(26, max(8, items.map { DisplayText.width($0.recommendation.category) }.max() ?? 8))
        var columns: [(heading: String, width: Int, value: (Item) -> String)] = [
            ("SINCE", 10, { $0.since?.text ?? "—" }),
            ("CATEGORY", categoryWidth, { DisplayText.sanitized($0.recommendation.category) }),
            ("HORIZON", 11, { DisplayText.sanitized($0.recommendation.horizon.id) }),
        ]
        let fixedWidth = { 2 + idWidth + 2 + 11 + 2 + columns.reduce(0) { $0 + $1.width + 2 } }
        while columns.count > 1, width - fixedWidth() < 40 { columns.removeLast() }
        let titleWidth = max(10, width - fixedWidth())
        let heading = "  " + DisplayText.padded("ID", to: idWidth) + "  " + DisplayText.padded("STATUS", to: 11) + "  "
            + columns.map { DisplayText.padded($0.heading, to: $0.width) + "  " }.joined() + "TITLE"
        output.write(style.bold(heading) + "\n")
        for item in items {
            output.write((item.recommendation.watched ? "★ " : "  ")
                + DisplayText.padded(DisplayText.sanitized(item.id), to: idWidth) + "  "
                + style.status(item.status, DisplayText.padded(item.status.rawValue, to: 11)) + "  "
                + columns.map { DisplayText.padded($0.value(item), to: $0.width) + "  " }.joined()
                + DisplayText.truncated(DisplayText.sanitized(item.recommendation.title), to: titleWidth) + "\n")
        }
    }

    /// The `show` page: the whole record, its links both ways and its history, newest first.
    public static func writeDetail(_ item: Item, history: [Change], state: TrackerState, width: Int, style: TextStyle, to output: inout some TextOutputStream) {
        let recommendation = item.recommendation
        let text = DisplayText.sanitized
        output.write(style.bold(text(item.id) + " — " + text(recommendation.title)) + "\n")
        output.write("  Status    " + style.status(item.status, item.status.rawValue)
            + (item.since.map { " since \($0.text)" } ?? "") + (recommendation.watched ? "   ★ watched" : "") + "\n")
        let catalog = state.catalogs.first { $0.id == recommendation.catalog }
        output.write("  Catalog   \(text(catalog?.title ?? recommendation.catalog)) [\(text(recommendation.catalog))]\n")
        output.write("  Category  \(text(recommendation.category))   Horizon  \(text(recommendation.horizon.id))   Actors  "
            + recommendation.actors.map { text($0.id) }.joined(separator: ", ") + "\n")
        output.write("  Reviewed  \(recommendation.lastReviewed?.text ?? "never")\n")
        let body = max(20, width - 4)
        let forked = sideBySide(item, in: history)
        if !forked.isEmpty {
            output.write("\n" + style.bold("Changed side by side") + "\n")
            let changes = forked.map { "\($0.status!.rawValue) as of \($0.happened.text)\(text($0.byline)) (change \(text($0.changeId)))" }
            let advice = "Two copies of the tracker changed its status without knowing of each other: "
                + changes.joined(separator: " and ") + ". Both are kept; the one that happened last counts. "
                + "Review it (ptrack review \(item.id)) or mark it to clear this."
            for line in DisplayText.wrapped(advice, to: body) { output.write("  \(line)\n") }
        }
        if !recommendation.summary.isEmpty {
            output.write("\n" + style.bold("Summary") + "\n")
            for line in DisplayText.wrapped(recommendation.summary, to: body) { output.write("  \(line)\n") }
        }
        output.write("\n" + style.bold("Source") + "\n")
        for line in DisplayText.wrapped(citation(recommendation.source.source, state), to: body) { output.write("  \(line)\n") }
        if let quote = recommendation.source.quote {
            for line in DisplayText.wrapped("\u{201C}\(quote)\u{201D}", to: body) { output.write("  " + style.dim(line) + "\n") }
        }
        let links = LinkIndex(state.items).entries(of: item, in: state.items)
        if !links.isEmpty {
            output.write("\n" + style.bold("Links") + "\n")
            writeLinks(links, width: width, style: style, to: &output)
        }
        output.write("\n" + style.bold("History") + " (newest first)\n")
        writeChanges(Timeline.changes(of: item.id, in: history), all: history, showId: false, state: state, width: width, style: style, to: &output)
    }

    /// Links, one block each: how the item relates to the other, the other's id and status,
    /// then its title and catalog.
    static func writeLinks(_ links: [LinkEntry], width: Int, style: TextStyle, to output: inout some TextOutputStream) {
        let indent = String(repeating: " ", count: 2 + LinkEntry.labelWidth + 2)
        for link in links {
            let status = link.item.map { style.status($0.status, $0.status.rawValue) } ?? style.dim(LinkEntry.missing)
            output.write("  " + DisplayText.padded(link.label, to: LinkEntry.labelWidth) + "  " + DisplayText.sanitized(link.id) + "  " + status + "\n")
            for line in DisplayText.wrapped(link.titleAndCatalog ?? "", to: max(20, width - indent.count)) { output.write(indent + line + "\n") }
        }
    }

    /// Changes, one block each: date, what changed, the note, the evidence and the change id.
    public static func writeChanges(
        _ changes: [Change], all history: [Change], showId: Bool, state: TrackerState, width: Int, style: TextStyle,
        to output: inout some TextOutputStream
    ) {
        if changes.isEmpty { output.write("  none\n") }
        let cancelled = Replay.cancelledChangeIds(history)
        let body = max(20, width - 14)
        for change in changes {
            let what = describe(change, style: style) + (cancelled.contains(change.changeId) ? style.dim("  (reverted)") : "")
            let subject = showId ? DisplayText.sanitized(change.recommendationId) + "  " : ""
            output.write("  " + DisplayText.padded(change.happened.text, to: 10) + "  " + subject + what + "\n")
            for line in DisplayText.wrapped(change.note ?? "", to: body) { output.write("              \(line)\n") }
            if let source = change.source {
                for line in DisplayText.wrapped(change.evidence(citing: citation(source, state)), to: body) {
                    output.write("              " + style.dim(line) + "\n")
                }
            }
            output.write("              " + style.dim(DisplayText.sanitized("change \(change.changeId), recorded \(change.recorded.text)\(change.byline)")) + "\n")
        }
    }

    /// What a change did, in a few words.
    static func describe(_ change: Change, style: TextStyle) -> String {
        switch change.kind {
        case .status(let status): "status " + style.status(status, status.rawValue)
        case .watch(let watched): watched ? "watched" : "unwatched"
        case .review: "reviewed"
        case .edit(let fields, _): "edited " + fields.fieldNames.joined(separator: ", ")
        case .add: "added"
        case .revert(let target): "reverted change " + DisplayText.sanitized(target)
        case .vocabulary(let edit): edit.summary
        }
    }

    /// A source id resolved to its citation, or the text as given.
    static func citation(_ source: String, _ state: TrackerState) -> String {
        citation(source, among: state.sources)
    }

    /// `source` as its citation and id when it names one of `sources`, else as given.
    static func citation(_ source: String, among sources: [Source]) -> String {
        sources.first { $0.id == source }.map { "\($0.citation) [\($0.id)]" } ?? source
    }
}
