import PolicyTrackerCore

/// The selected item in full: its record, summary, source, links both ways and status
/// history (newest first), as lines scrolled by `detailOffset`.
enum DetailView {
    static let labelWidth = 10
    /// Where a change's note, source and id start, under its date.
    static let historyIndent = 12

    static func draw(_ state: AppState, into buffer: inout Buffer, rect: Rect) {
        let inner = textArea(of: rect)
        guard let item = state.selectedItem else {
            let text = state.selectedGroup.map { "Category \u{201C}\($0)\u{201D}: Enter or Space folds it" } ?? "Nothing selected"
            buffer.write(clipping: text, x: inner.x, y: inner.y, width: inner.width, style: CellStyle(.muted))
            return
        }
        let lines = lines(for: item, in: state, width: inner.width)
        buffer.draw(lines, in: inner, from: min(state.detailOffset, scrollLimit(lineCount: lines.count, in: inner)))
    }

    /// Where the text goes in the pane: a column of margin on either side.
    static func textArea(of rect: Rect) -> Rect {
        Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: rect.height)
    }

    /// The largest useful offset: the one that shows the last line at the bottom.
    static func scrollLimit(lineCount: Int, in area: Rect) -> Int { max(0, lineCount - area.height) }

    /// The largest useful `detailOffset` for `state` in `rect`.
    static func scrollLimit(_ state: AppState, rect: Rect) -> Int {
        guard let item = state.selectedItem else { return 0 }
        let area = textArea(of: rect)
        return scrollLimit(lineCount: lines(for: item, in: state, width: area.width).count, in: area)
    }

    /// Every line of the detail of `item` at `width` columns.
    static func lines(for item: Item, in state: AppState, width: Int) -> [StyledLine] {
        header(item, width: width)
            + record(item, in: state)
            + sideBySide(item, in: state, width: width)
            + section("Summary", paragraphs: [(item.recommendation.summary, .normal)], width: width)
            + section("Source", paragraphs: source(of: item.recommendation, in: state), width: width)
            + section("Check", paragraphs: findings(of: item, in: state), width: width)
            + links(of: item, in: state, width: width)
            + history(of: item, in: state, width: width)
    }

    // MARK: Parts

    private static func header(_ item: Item, width: Int) -> [StyledLine] {
        DisplayText.wrapped(item.id + " — " + item.recommendation.title, to: max(1, width)).map { StyledLine($0, CellStyle(.header, bold: true)) }
    }

    /// The fields, one labelled line each.
    private static func record(_ item: Item, in state: AppState) -> [StyledLine] {
        let recommendation = item.recommendation
        let catalog = state.tracker.catalogs.first { $0.id == recommendation.catalog }
        let status = [Span(item.status.rawValue, CellStyle(.status(item.status), bold: true))]
            + (item.since.map { [Span(" since " + $0.text)] } ?? [])
        let watched = recommendation.watched ? [Span("★ yes", .watched)] : [Span("no", .muted)]
        return [
            field("Status", status),
            field("Catalog", [Span((catalog?.title ?? recommendation.catalog) + " [\(recommendation.catalog)]")]),
            field("Category", [Span(recommendation.category)]),
            field("Horizon", [Span(recommendation.horizon.id)]),
            field("Actors", [Span(recommendation.actors.map(\.id).joined(separator: ", "))]),
            field("Watched", watched),
            field("Reviewed", [Span(recommendation.lastReviewed?.text ?? "never")]),
        ]
    }

    /// What two copies of the tracker did to the item without knowing of each other, while
    /// nobody has reviewed it since.
    private static func sideBySide(_ item: Item, in state: AppState, width: Int) -> [StyledLine] {
        guard let changes = state.forks[item.id] else { return [] }
        let heading = StyledLine("! Changed side by side", CellStyle(.error, bold: true))
        let lines = changes.flatMap { change in
            wrapped("\(change.happened.text)  \(change.status!.rawValue)\(change.byline)  \(change.note ?? "")", width: width - 2, indent: 2, style: CellStyle(.normal))
        }
        let advice = "Two copies of the tracker changed its status without knowing of each other. Both are kept; "
            + "the one that happened last counts. Mark it, or run ptrack review \(item.id), to clear this."
        return [.blank, heading] + lines + wrapped(advice, width: width - 2, indent: 2, style: CellStyle(.muted))
    }

    private static func field(_ label: String, _ value: [Span]) -> StyledLine {
        StyledLine([Span(DisplayText.padded(label, to: labelWidth), .muted)] + value)
    }

    /// The citation (resolved from the catalog's sources, else as written) and the quote.
    private static func source(of recommendation: Recommendation, in state: AppState) -> [(String, CellStyle)] {
        [(citation(recommendation.source.source, in: state), .normal)]
            + (recommendation.source.quote.map { [("\u{201C}\($0)\u{201D}", CellStyle(.muted))] } ?? [])
    }

    /// A source id as its citation, or the text as given.
    static func citation(_ source: String, in state: AppState) -> String {
        state.tracker.source(source)?.citation ?? source
    }

    /// A blank line, a bold heading and the paragraphs wrapped two columns in.
    /// What `ptrack check` finds about the item, one paragraph each (errors first), or that
    /// it finds nothing; the item's changes come with the history.
    private static func findings(of item: Item, in state: AppState) -> [(String, CellStyle)] {
        guard !state.historyIsLoading else { return [("reading the history\u{2026}", CellStyle(.muted))] }
        let advancers = state.links.linkedFrom(item.id).filter { $0.kind == .advances }.compactMap { state.tracker.items[$0.id] }
        let settings = Checker.Settings(
            silences: state.checkSilences, staleDays: state.staleDays, today: state.today, sourceText: { state.sourceTexts[$0] })
        let result = Checker.run(
            item: item, changes: state.changesByItem[item.id] ?? [], advancers: advancers, state: state.tracker, settings: settings)
        let silenced = result.silenced.isEmpty ? [] : [("\(result.silenced.count) silenced (see check.json)", CellStyle(.muted))]
        guard !result.findings.isEmpty else { return [("No findings.", CellStyle(.muted))] + silenced }
        return result.findings.sorted { $0.severity < $1.severity }.map { finding in
            ("\(finding.severity.rawValue) [\(finding.rule.id)] \(finding.message)", CellStyle(finding.severity == .error ? .error : .normal))
        } + silenced
    }

    private static func section(_ heading: String, paragraphs: [(String, CellStyle)], width: Int) -> [StyledLine] {
        let body = paragraphs.flatMap { text, style in wrapped(text, width: width - 2, indent: 2, style: style) }
        return body.isEmpty ? [] : [.blank, StyledLine(heading, CellStyle(.header, bold: true))] + body
    }

    private static func wrapped(_ text: String, width: Int, indent: Int, style: CellStyle) -> [StyledLine] {
        DisplayText.wrapped(text, to: max(1, width)).map { StyledLine([Span(String(repeating: " ", count: indent)), Span($0, style)]) }
    }

    // MARK: Links

    /// The item's links both ways (from the state's ``LinkIndex``, not a scan): how it
    /// relates to the other item, the other's id and status, then its title and catalog.
    private static func links(of item: Item, in state: AppState, width: Int) -> [StyledLine] {
        let entries = state.links.entries(of: item, in: state.tracker.items)
        guard !entries.isEmpty else { return [] }
        let indent = 2 + LinkEntry.labelWidth + 2
        let heading = StyledLine([Span("Links", CellStyle(.header, bold: true)), Span(" (l goes to one)", .muted)])
        return [.blank, heading] + entries.flatMap { entry in
            let status = entry.item.map { Span($0.status.rawValue, .status($0.status)) } ?? Span(LinkEntry.missing, .muted)
            let line = StyledLine([Span("  " + DisplayText.padded(entry.label, to: LinkEntry.labelWidth) + "  ", .muted), Span(entry.id + "  "), status])
            return [line] + wrapped(entry.titleAndCatalog ?? "", width: width - indent, indent: indent, style: .normal)
        }
    }

    // MARK: History

    /// Every change of the item, newest first: date and what changed, then the note, the
    /// evidence and the change id under it.
    private static func history(of item: Item, in state: AppState, width: Int) -> [StyledLine] {
        let changes = state.changesByItem[item.id] ?? []
        // A revert always concerns the item of the change it reverts, so the item's own
        // changes (oldest first, as the log has them) are enough to tell what is in effect.
        let oldestFirst = Array(changes.reversed())
        let cancelled = Replay.cancelledChangeIds(oldestFirst)
        let transitions = Dictionary(Timeline.transitions(oldestFirst).map { ($0.change.changeId, $0) }, uniquingKeysWith: { first, _ in first })
        let heading = StyledLine([Span("History", CellStyle(.header, bold: true)), Span(" (newest first)", .muted)])
        guard !changes.isEmpty else {
            return [.blank, heading, StyledLine(state.historyIsLoading ? "  reading the history…" : "  none", .muted)]
        }
        return [.blank, heading] + changes.flatMap { change in
            entry(change, transition: transitions[change.changeId], reverted: cancelled.contains(change.changeId), in: state, width: width)
        }
    }

    private static func entry(_ change: Change, transition: Transition?, reverted: Bool, in state: AppState, width: Int) -> [StyledLine] {
        let date = Span(DisplayText.padded(change.happened.text, to: historyIndent - 2) + "  ", .muted)
        let what = describe(change, transition: transition) + (reverted ? [Span("  (reverted)", .muted)] : [])
        let body = width - historyIndent - 2
        return [StyledLine([Span("  "), date] + what)]
            + wrapped(change.note ?? "", width: body, indent: historyIndent + 2, style: .normal)
            + wrapped(change.source.map { change.evidence(citing: citation($0, in: state)) } ?? "", width: body, indent: historyIndent + 2, style: CellStyle(.muted))
            + [StyledLine([Span(String(repeating: " ", count: historyIndent + 2)), Span("change " + change.changeId + change.byline, .muted)])]
    }

    /// What a change did, in a few words; a status change in effect as `from → to`.
    static func describe(_ change: Change, transition: Transition?) -> [Span] {
        switch change.kind {
        case .status(let status):
            return transition.map(transitionSpans) ?? [Span("status "), Span(status.rawValue, .status(status))]
        case .watch(let watched): return [Span(watched ? "watched" : "unwatched")]
        case .review: return [Span("reviewed")]
        case .edit(let fields, _): return [Span("edited " + fields.fieldNames.joined(separator: ", "))]
        case .add: return [Span("added")]
        case .revert(let target): return [Span("reverted change " + target)]
        case .vocabulary(let edit): return [Span(edit.summary)]
        }
    }

    /// `from → to` in the statuses' roles, or `still to` when the status was confirmed.
    static func transitionSpans(_ transition: Transition) -> [Span] {
        let to = Span(transition.to.rawValue, .status(transition.to))
        guard transition.from != transition.to else { return [Span("still "), to] }
        return [Span(transition.from.rawValue, .status(transition.from)), Span(" → "), to]
    }
}
