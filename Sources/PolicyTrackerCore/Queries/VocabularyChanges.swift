/// The changes `ptrack vocabulary add|rename|remove` records, checked against the tracker:
/// a term's id never changes, no two terms of a list share a spelling, and a term still in
/// use stays.
extension ChangeFactory {
    /// Adds `term` at the end of `list` of catalog `catalog`.
    public func addTerm(_ term: Term, to list: VocabularyList, of catalog: String, in state: TrackerState, note: String?) throws(TrackerError) -> Change {
        let vocabulary = state.vocabulary(of: catalog)
        if vocabulary.term(term.id, in: list) != nil {
            throw .usage("catalog \(DisplayText.quoted(catalog)) already has \(list.noun) \(DisplayText.quoted(term.id))")
        }
        try Self.refuseClashes(vocabulary[list] + [term], list: list)
        return vocabularyChange(VocabularyEdit(catalog: catalog, list: list, term: term, previous: nil), note: note)
    }

    /// Gives the term `query` names in `list` of `catalog` a new name, short label or aliases
    /// (nil keeps each); its id stays.
    public func renameTerm(
        _ query: String, in list: VocabularyList, of catalog: String, name: String?, short: String?, aliases: [String]?,
        in state: TrackerState, note: String?
    ) throws(TrackerError) -> Change {
        let vocabulary = state.vocabulary(of: catalog)
        let previous = try Lookup.term(query, in: list, of: vocabulary)
        var term = previous
        if let name { term.name = name.isEmpty ? term.id : name }
        if let short { term.short = short }
        if let aliases { term.aliases = aliases.filter { !$0.isEmpty } }
        guard term != previous else { throw .usage("nothing to change: give --name, --short or --alias") }
        try Self.refuseClashes(vocabulary[list].map { $0.id == term.id ? term : $0 }, list: list)
        return vocabularyChange(VocabularyEdit(catalog: catalog, list: list, term: term, previous: previous), note: note)
    }

    /// Takes the term `query` names out of `list` of `catalog`; refused while a recommendation
    /// of the catalog still has it.
    public func removeTerm(
        _ query: String, in list: VocabularyList, of catalog: String, in state: TrackerState, note: String?
    ) throws(TrackerError) -> Change {
        let term = try Lookup.term(query, in: list, of: state.vocabulary(of: catalog))
        try Self.refuseRemoval(of: term.id, from: list, of: catalog, in: state)
        return vocabularyChange(VocabularyEdit(catalog: catalog, list: list, term: nil, previous: term), note: note)
    }

    /// Refuses to leave recommendations of `catalog` naming a term `list` would lose: the
    /// ids of those that use `id`, at most five named.
    public static func refuseRemoval(of id: String, from list: VocabularyList, of catalog: String, in state: TrackerState) throws(TrackerError) {
        let users = state.sortedItems.filter { item in
            item.recommendation.catalog == catalog && item.recommendation.values(in: list).contains(id)
        }.map(\.id)
        guard users.isEmpty else {
            let named = users.prefix(5).joined(separator: ", ") + (users.count > 5 ? ", …" : "")
            throw .usage("\(list.noun) \(DisplayText.quoted(id)) is still used by \(users.count) recommendation\(users.count == 1 ? "" : "s") of catalog \(DisplayText.quoted(catalog)) (\(named)); change them first with ptrack edit")
        }
    }

    /// Refuses a revert of `target`, a change to a vocabulary, that would take away a term
    /// recommendations still have (the revert of an addition, or of a rename's opposite).
    public static func refuseVocabularyRevert(of target: Change, in state: TrackerState) throws(TrackerError) {
        guard let edit = target.kind.vocabularyEdit, edit.previous == nil, let term = edit.term else { return }
        try refuseRemoval(of: term.id, from: edit.list, of: edit.catalog, in: state)
    }

    private static func refuseClashes(_ terms: [Term], list: VocabularyList) throws(TrackerError) {
        if let (_, message) = VocabularyFormat.problem(in: terms, list: list) { throw .usage(message) }
    }

    private func vocabularyChange(_ edit: VocabularyEdit, note: String?) -> Change {
        Change(
            changeId: ids.next(at: now), recommendationId: "", kind: .vocabulary(edit), happened: now.day, recorded: now,
            note: note, author: author)
    }
}
