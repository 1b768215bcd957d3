import PolicyTrackerCore

/// Keys while a form is open: Tab and Shift-Tab (and ↑ ↓) move between fields, ← → step a
/// field's choices, Enter saves when the command line would accept what is typed, Ctrl-G
/// continues the note in the editor, Esc cancels the whole change. In Source, ↑ ↓ pick
/// among the matching sources and → takes the one picked.
enum FormKeys {
    static func handle(_ key: Key, form: Form, in state: inout AppState) -> [Effect] {
        var form = form
        switch key {
        case .escape:
            state.mode = .browse
            state.message = StatusMessage("Cancelled: nothing recorded")
            return []
        case .enter:
            return save(form, in: &state)
        case .control("g"):
            state.mode = .browse
            return [.editNote(form)]
        case .tab: form.moveFocus(by: 1)
        case .backTab: form.moveFocus(by: -1)
        case .up, .down:
            let step = key == .down ? 1 : -1
            let count = form.sourceSuggestions(state.tracker.sources).count
            if count > 0 { form.suggestion = (form.suggestion + step + count) % count } else { form.moveFocus(by: step) }
        case .left, .right:
            if !form.focused.choices.isEmpty {
                form.stepChoice(by: key == .right ? 1 : -1)
            } else if key == .right, let source = form.sourceSuggestions(state.tracker.sources)[safe: form.suggestion] {
                form.fields[form.focus].field.text = source.id
            }
        default:
            guard Prompts.edit(&form.fields[form.focus].field, with: key) else { return [] }
            form.suggestion = 0
        }
        form.problem = form.dateProblem(today: state.today)
        state.mode = .form(form)
        return []
    }

    /// Records the form's change, or keeps the form open with what is wrong.
    static func save(_ form: Form, in state: inout AppState) -> [Effect] {
        var form = form
        let request: ChangeRequest
        do {
            request = try form.request(in: state.tracker, today: state.today)
        } catch {
            form.problem = error.description
            state.mode = .form(form)
            return []
        }
        if let problem = request.problem(in: state.tracker, today: state.today) {
            form.problem = problem
            state.mode = .form(form)
            return []
        }
        state.mode = .browse
        return [.record(request)]
    }
}

extension Form {
    /// Moves to the next field (`step` 1) or the previous (-1), wrapping around.
    mutating func moveFocus(by step: Int) {
        focus = (focus + step + fields.count) % fields.count
        suggestion = 0
    }

    /// Steps the focused field to the next or previous of its choices.
    mutating func stepChoice(by step: Int) {
        let choices = focused.choices
        let current = choices.firstIndex(of: self[focused.name]) ?? (step > 0 ? -1 : 0)
        fields[focus].field.text = choices[(current + step + choices.count) % choices.count]
    }

    /// The listed sources the Source field's text could mean while it is being edited: ids
    /// starting with it first, then ids and titles containing it; at most five.
    public func sourceSuggestions(_ sources: [Source]) -> [Source] {
        let typed = self[.source].lowercased()
        guard focused.name == .source, !typed.isEmpty else { return [] }
        let starting = sources.filter { $0.id.lowercased().hasPrefix(typed) && $0.id.lowercased() != typed }
        let containing = sources.filter {
            !$0.id.lowercased().hasPrefix(typed) && ($0.id.lowercased().contains(typed) || $0.title.lowercased().contains(typed))
        }
        return Array((starting + containing).prefix(5))
    }

    /// What is wrong with the date typed so far, in the command line's words; nil when it is
    /// empty (today) or a date that is not in the future.
    func dateProblem(today: PolicyDate) -> String? {
        guard let text = given(.date) else { return nil }
        do {
            _ = try ChangeFactory.happened(text, today: today)
            return nil
        } catch {
            return error.description
        }
    }

    /// The change the form asks for, its fields resolved as the command line resolves its
    /// options.
    func request(in tracker: TrackerState, today: PolicyDate) throws(TrackerError) -> ChangeRequest {
        let note = given(.note)
        switch purpose {
        case .mark(let id):
            return .mark(itemId: id, status: try Lookup.status(self[.status]), happened: try happened(today), note: note, evidence: evidence)
        case .review(let id):
            return .review(itemId: id, happened: try happened(today), note: note, evidence: evidence)
        case .add:
            let recommendation = try draft.recommendation(id: self[.id], catalog: given(.catalog), in: tracker, linkLabel: "Links")
            return .add(recommendation, note: note)
        case .edit(let id):
            guard let item = tracker.items[id] else { throw .usage("\(id) no longer exists") }
            var patch = try draft.patch(current: item.recommendation.source, vocabulary: tracker.vocabulary(of: item.recommendation.catalog))
            patch.links = try draft.resolvedLinks(of: id, in: tracker, label: "Links") ?? []
            return .edit(itemId: id, patch, note: note)
        }
    }

    private func happened(_ today: PolicyDate) throws(TrackerError) -> PolicyDate? {
        try given(.date).map { text throws(TrackerError) in try ChangeFactory.happened(text, today: today) }
    }

    private var evidence: ChangeFactory.Evidence { ChangeFactory.Evidence(source: given(.source), quote: given(.quote)) }

    /// The recommendation's fields as typed: an empty field is left as it is, except the
    /// quote, which an empty field removes, and the title, which may not be empty.
    private var draft: RecommendationDraft {
        RecommendationDraft(
            title: self[.title], summary: self[.summary], category: given(.category), horizon: given(.horizon),
            actors: self[.actors].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            source: given(.source), quote: self[.quote],
            links: self[.links].split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init))
    }
}

extension Array {
    /// The element at `index`, nil when there is none.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
