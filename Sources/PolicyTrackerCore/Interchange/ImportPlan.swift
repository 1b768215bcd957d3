/// What importing a document into a tracker would do, worked out without writing anything.
///
/// An import adds and never overwrites: catalogs, sources and recommendations the tracker
/// lacks are added to `catalog.json`; changes whose `changeId` the log lacks are appended;
/// what the tracker already has is kept as it is, and where the file says otherwise the
/// summary names it.
public struct ImportPlan: Sendable {
    /// `catalog.json` after the import; nil when it stays as it is.
    public var catalog: CatalogDocument?
    /// The changes to append to the log, in the file's order, then the edits that give new
    /// recommendations their links to items only those changes add.
    public var changes: [Change]
    /// What the import adds and keeps.
    public var summary: ImportSummary

    /// True when the import would change nothing.
    public var isEmpty: Bool { catalog == nil && changes.isEmpty }

    /// The plan for `document` against a tracker whose `catalog.json` is `catalog` and whose
    /// log is `history`; every problem found, each at its row or JSON path, when any is.
    /// `fallback` is a catalog to create when neither the file nor the tracker has its id
    /// and a recommendation of the file names it; `now` dates the edits ``changes`` ends with.
    /// `known` is the tracker's state when the caller has it already (else it is replayed).
    ///
    /// `catalog.json` is written before the log is appended to, so it must be sound without
    /// the new changes: a recommendation it gains keeps there only the links to items the
    /// tracker or the file's recommendations have, and an edit appended with the changes
    /// gives it the others. Its id is derived from the links, so an import interrupted
    /// between the two writes and run again appends it then.
    public static func make(
        _ document: ImportDocument, into catalog: CatalogDocument, history: [Change], known: TrackerState? = nil,
        fallback: Catalog? = nil, addVocabulary: Bool = false, now: Timestamp, progress: ProgressSink = .silent
    ) throws(TrackerError) -> ImportPlan {
        var builder = Builder(catalog: catalog, progress: progress)
        builder.refuseDuplicates(in: document)
        let state = if let known { known } else {
            try Replay.state(
                catalog: catalog, changes: history, locate: { _, _, message in Builder.trackerProblem(message) },
                locateLink: { _, _, message in Builder.trackerProblem(message) })
        }
        builder.addCatalogs(document.catalogs)
        if let fallback, !builder.merged.catalogs.contains(where: { $0.id == fallback.id }), document.names(catalog: fallback.id) {
            builder.merged.catalogs.append(fallback)
            builder.summary.catalogsAdded.append(fallback.id)
        }
        builder.addSources(document.sources)
        var document = document
        builder.resolveVocabulary(of: &document, known: state, addingToExisting: addVocabulary)
        builder.addRecommendations(document.recommendations, known: state)
        let fresh = builder.freshChanges(document.changes, history: history)
            + builder.withholdLinks(document.recommendations, known: state, history: history, now: now)
        let result = builder.validate(fresh, after: history)
        guard builder.problems.isEmpty, let result else { throw .several(builder.problems) }
        builder.noteDifferences(document, result: result, cancelled: Replay.cancelledChangeIds(history + fresh.map(\.value)))
        builder.summary.itemsAdded += fresh.compactMap { $0.value.kind.isAddition ? $0.value.recommendationId : nil }
        builder.summary.changesAdded = fresh.count - builder.linkEdits
        return ImportPlan(catalog: builder.merged == catalog ? nil : builder.merged, changes: fresh.map(\.value), summary: builder.summary)
    }
}

/// What an import adds and what it keeps, for the preview and the report after it.
public struct ImportSummary: Equatable, Sendable {
    public var catalogsAdded: [String] = []
    /// Catalogs the tracker has, which the file describes otherwise (the tracker's are kept).
    public var catalogsDiffering: [String] = []
    /// New catalogs the file marks as the default, which stay not the default: the tracker
    /// keeps its own.
    public var defaultsDeclined: [String] = []
    public var sourcesAdded: [String] = []
    public var sourcesDiffering: [String] = []
    public var itemsAdded: [String] = []
    /// Items the tracker has, which the file describes otherwise, with the fields that differ.
    public var itemsDiffering: [Difference] = []
    public var itemsUnchanged = 0
    public var changesAdded = 0
    /// Changes the log already has (by `changeId`), skipped.
    public var changesPresent = 0
    /// Terms added to catalogs' vocabularies: `catalog: list "id"`.
    public var vocabularyAdded: [String] = []

    /// An item the file describes otherwise than the tracker, and the fields that differ.
    public struct Difference: Equatable, Sendable {
        public var id: String
        public var fields: [String]
    }
}

/// Works out an ``ImportPlan`` step by step, gathering every problem on the way.
private struct Builder {
    var merged: CatalogDocument
    var summary = ImportSummary()
    var problems: [TrackerError] = []
    let original: CatalogDocument
    /// Where each recommendation the file adds was read.
    var addedOrigins: [String: Origin] = [:]
    /// How many of the changes are ``withholdLinks`` edits.
    var linkEdits = 0
    /// The catalogs the file declares a vocabulary for: values outside it are problems.
    var declaredInFile: Set<String> = []

    /// A problem with the tracker itself, which loaded without one.
    static func trackerProblem(_ message: String) -> TrackerError {
        .badData(path: TrackerFiles.changes, line: nil, column: nil, message: message)
    }

    /// Where checking the import against the log tells how far it has come.
    let progress: ProgressSink

    init(catalog: CatalogDocument, progress: ProgressSink) {
        merged = catalog
        original = catalog
        self.progress = progress
    }

    mutating func refuseDuplicates(in document: ImportDocument) {
        refuseDuplicates(document.catalogs.map { ($0.value.id, $0.origin) }, "catalog id")
        refuseDuplicates(document.sources.map { ($0.value.id, $0.origin) }, "source id")
        refuseDuplicates(document.recommendations.map { ($0.value.id, $0.origin) }, "recommendation id")
        refuseDuplicates(document.changes.map { ($0.value.changeId, $0.origin) }, "changeId")
    }

    private mutating func refuseDuplicates(_ keys: [(String, Origin)], _ what: String) {
        var first: [String: Origin] = [:]
        for (key, origin) in keys {
            if let earlier = first[key] {
                problems.append(origin.problem("\(what) \(DisplayText.quoted(key)) appears again (first at \(earlier.label), line \(earlier.line))"))
            } else {
                first[key] = origin
            }
        }
    }

    mutating func addCatalogs(_ catalogs: [Located<Catalog>]) {
        for entry in catalogs {
            var catalog = entry.value
            if catalog.vocabulary != Vocabulary() { declaredInFile.insert(catalog.id) }
            if let existing = original.catalogs.first(where: { $0.id == catalog.id }) {
                catalog.isDefault = existing.isDefault
                if catalog != existing { summary.catalogsDiffering.append(catalog.id) }
                continue
            }
            if catalog.isDefault, !original.catalogs.isEmpty {
                catalog.isDefault = false
                summary.defaultsDeclined.append(catalog.id)
            }
            merged.catalogs.append(catalog)
            summary.catalogsAdded.append(catalog.id)
        }
    }

    mutating func addSources(_ sources: [Located<Source>]) {
        for entry in sources {
            if let existing = original.sources.first(where: { $0.id == entry.value.id }) {
                if existing != entry.value { summary.sourcesDiffering.append(existing.id) }
                continue
            }
            merged.sources.append(entry.value)
            summary.sourcesAdded.append(entry.value.id)
        }
    }

    /// Resolves the category, horizon and actors of every recommendation of the file, and of
    /// every one its changes add, in its catalog's vocabulary: by any spelling or unique
    /// prefix, an unknown actor with spaces split into actors it knows. A value the
    /// vocabulary lacks becomes a term of it in a catalog the import creates without a
    /// declared vocabulary, or, `addingToExisting`, in one the tracker has; otherwise it is
    /// a problem. `catalog.json` declares every value its recommendations name.
    mutating func resolveVocabulary(of document: inout ImportDocument, known state: TrackerState, addingToExisting: Bool) {
        for index in document.recommendations.indices {
            let entry = document.recommendations[index]
            let declaring = state.items[entry.value.id] == nil
            if let resolved = resolved(entry.value, at: entry.origin, known: state, addingToExisting: addingToExisting, declaring: declaring) {
                document.recommendations[index].value = resolved
            }
        }
        // An addition among the changes may name terms the file's vocabulary changes before it add.
        var edited: [String: Vocabulary] = [:]
        let cancelled = Replay.cancelledChangeIds(document.changes.map(\.value))
        for index in document.changes.indices {
            let change = document.changes[index].value
            if let edit = change.kind.vocabularyEdit, !cancelled.contains(change.changeId) {
                edited[edit.catalog] = edit.applied(to: edited[edit.catalog] ?? vocabulary(of: edit.catalog, known: state))
            }
            guard case .add(let recommendation) = change.kind else { continue }
            if let resolved = resolved(
                recommendation, at: document.changes[index].origin, known: state, addingToExisting: addingToExisting,
                declaring: false, vocabulary: edited[recommendation.catalog]) {
                document.changes[index].value.kind = .add(resolved)
            }
        }
    }

    /// The vocabulary of `catalog` before the file's changes: the tracker's, or for a
    /// catalog the import adds, the one it is given.
    private func vocabulary(of catalog: String, known state: TrackerState) -> Vocabulary {
        original.catalogs.contains { $0.id == catalog }
            ? state.vocabulary(of: catalog) : merged.catalogs.first { $0.id == catalog }?.vocabulary ?? Vocabulary()
    }

    /// `recommendation` with its values resolved in `vocabulary` (by default its catalog's);
    /// when `declaring` (it goes into `catalog.json`), the terms it needs declared in
    /// ``merged``. Nil, with a problem, when a value cannot be resolved.
    private mutating func resolved(
        _ recommendation: Recommendation, at origin: Origin, known state: TrackerState, addingToExisting: Bool,
        declaring: Bool, vocabulary: Vocabulary? = nil
    ) -> Recommendation? {
        guard let index = merged.catalogs.firstIndex(where: { $0.id == recommendation.catalog }) else { return recommendation }
        let existing = original.catalogs.contains { $0.id == recommendation.catalog }
        let mayAdd = existing ? addingToExisting : !declaredInFile.contains(recommendation.catalog)
        let others = merged.catalogs.filter { $0.id != recommendation.catalog }
        var resolver = VocabularyResolver(
            vocabulary: vocabulary ?? self.vocabulary(of: recommendation.catalog, known: state), mayAdd: mayAdd,
            known: Vocabulary.combined(state.catalogs.filter { $0.id != recommendation.catalog }).merged(with: Vocabulary.combined(others)))
        var result = recommendation
        do throws(VocabularyResolver.Failure) {
            result.category = try resolver.value(recommendation.category, in: .categories)
            result.horizon = Horizon(try resolver.value(recommendation.horizon.id, in: .horizons))
            result.actors = try resolver.actors(recommendation.actors.map(\.id))
        } catch {
            let hint = existing && !addingToExisting ? "; add it with ptrack vocabulary add, or import with --add-vocabulary" : ""
            problems.append(origin.problem("\(error.message(catalog: recommendation.catalog, vocabulary: resolver.vocabulary))\(hint)"))
            return nil
        }
        for (list, term) in resolver.added {
            summary.vocabularyAdded.append("\(recommendation.catalog): \(list.noun) \(DisplayText.quoted(term.id))")
        }
        guard declaring || !resolver.added.isEmpty else { return result }
        var declared = merged.catalogs[index].vocabulary
        for (list, id) in declared.undeclared(in: result) {
            declared[list].append(resolver.vocabulary.term(id, in: list) ?? Term(id: id))
        }
        merged.catalogs[index].vocabulary = declared
        return result
    }

    /// New recommendations go into `catalog.json`; one the tracker has must be in the same
    /// catalog, and is compared once the changes are known (``noteDifferences``).
    mutating func addRecommendations(_ recommendations: [Located<Recommendation>], known state: TrackerState) {
        let catalogIds = Set(merged.catalogs.map(\.id))
        for entry in recommendations {
            let recommendation = entry.value
            guard catalogIds.contains(recommendation.catalog) else {
                problems.append(entry.origin.problem(
                    "recommendation \(DisplayText.quoted(recommendation.id)) names catalog \(DisplayText.quoted(recommendation.catalog)), which neither the file nor the tracker has (catalogs: \(catalogIds.sorted().joined(separator: ", ")); give one with --catalog)"))
                continue
            }
            if let existing = state.items[recommendation.id] {
                if existing.recommendation.catalog != recommendation.catalog {
                    problems.append(entry.origin.problem(
                        "recommendation \(DisplayText.quoted(recommendation.id)) is already in catalog \(DisplayText.quoted(existing.recommendation.catalog)), not \(DisplayText.quoted(recommendation.catalog))"))
                }
                continue
            }
            merged.recommendations.append(recommendation)
            addedOrigins[recommendation.id] = entry.origin
            summary.itemsAdded.append(recommendation.id)
        }
    }

    /// The file's changes the log lacks; one whose `changeId` the log has must say the same
    /// (when ptrack derived its id from what it says, only whom it is about).
    mutating func freshChanges(_ changes: [Located<Change>], history: [Change]) -> [Located<Change>] {
        let recorded = Dictionary(history.map { ($0.changeId, $0) }) { first, _ in first }
        return changes.filter { entry in
            guard let existing = recorded[entry.value.changeId] else { return true }
            if existing == entry.value || (entry.isDerived && existing.recommendationId == entry.value.recommendationId) {
                summary.changesPresent += 1
            } else {
                problems.append(entry.origin.problem(
                    "changeId \(DisplayText.quoted(existing.changeId)) is already in the log, recorded differently (about \(DisplayText.quoted(existing.recommendationId)), \(existing.kind.name), recorded \(existing.recorded.text))"))
            }
            return false
        }
    }

    /// The state after appending `fresh`, checked by the rules over the whole log and every
    /// link; each change or new recommendation that breaks one is a problem, and the check
    /// goes on without it.
    mutating func validate(_ fresh: [Located<Change>], after history: [Change]) -> TrackerState? {
        var candidates = fresh
        while problems.count < 1000 {
            var failure: (change: Int?, recommendation: Int?, message: String)?
            let changes = history + candidates.map(\.value)
            let counter = progress.step("checking the import against the log", total: changes.count, unit: "changes")
            defer { progress.end() }
            let state = try? Replay.state(
                catalog: merged, changes: changes,
                locate: { index, _, message in
                    failure = (index - history.count, nil, message)
                    return .usage(message)
                },
                locateLink: { site, _, message in
                    switch site {
                    case .catalog(let index): failure = (nil, index, message)
                    case .change(let index, _): failure = (index - history.count, nil, message)
                    }
                    return .usage(message)
                }, progress: counter)
            if let state { return problems.isEmpty ? state : nil }
            guard let failure else { return nil }
            if let index = failure.change, index >= 0 {
                problems.append(candidates[index].origin.problem(failure.message))
                candidates.remove(at: index)
            } else if let index = failure.recommendation, let origin = addedOrigins[merged.recommendations[index].id] {
                problems.append(origin.problem(failure.message))
                merged.recommendations[index].links = []       // kept, so links to it are not reported too
            } else {
                problems.append(Self.trackerProblem(failure.message))
                return nil
            }
        }
        return nil
    }

    /// The edits that give recommendations of the file the links `catalog.json` cannot hold
    /// yet (see ``ImportPlan/make(_:into:history:known:fallback:now:)``): those to items neither the
    /// tracker nor the file's recommendations have. A new recommendation goes into
    /// `catalog.json` without them; one the tracker has without them, as an interrupted
    /// import left it, gets the edit its id does not have yet.
    mutating func withholdLinks(
        _ recommendations: [Located<Recommendation>], known state: TrackerState, history: [Change], now: Timestamp
    ) -> [Located<Change>] {
        let known = Set(state.items.keys).union(merged.recommendations.map(\.id))
        let recorded = Set(history.map(\.changeId))
        var edits: [Located<Change>] = []
        for entry in recommendations {
            let links = entry.value.links
            let kept = links.filter { known.contains($0.id) }
            guard kept.count < links.count else { continue }
            let id = "import-links-" + SHA256.hexDigest(Array((entry.value.id + "\u{0}" + links.map { "\($0.kind.rawValue):\($0.id)" }.joined(separator: " ")).utf8)).prefix(16)
            if let index = merged.recommendations.firstIndex(where: { $0.id == entry.value.id }), addedOrigins[entry.value.id] != nil {
                merged.recommendations[index].links = kept
            } else if recorded.contains(id) || state.items[entry.value.id]?.recommendation.links != kept {
                continue
            }
            let edit = Change(
                changeId: id, recommendationId: entry.value.id, kind: .edit(RecommendationPatch(links: links), previous: RecommendationPatch(links: kept)),
                happened: now.day, recorded: now, note: "Links to recommendations the same import added")
            edits.append(Located(edit, entry.origin))
        }
        linkEdits = edits.count
        return edits
    }

    /// Notes the recommendations the tracker had that the file describes otherwise: the
    /// file's version is its recommendation with the file's edits in effect applied.
    mutating func noteDifferences(_ document: ImportDocument, result: TrackerState, cancelled: Set<String>) {
        let added = Set(summary.itemsAdded)
        var edits: [String: [RecommendationPatch]] = [:]
        for entry in document.changes where !cancelled.contains(entry.value.changeId) {
            if case .edit(let fields, _) = entry.value.kind { edits[entry.value.recommendationId, default: []].append(fields) }
        }
        for entry in document.recommendations where !added.contains(entry.value.id) {
            guard let current = result.items[entry.value.id]?.recommendation else { continue }
            let intended = (edits[entry.value.id] ?? []).reduce(entry.value) { $1.applied(to: $0) }
            let fields = Self.differingFields(intended, current)
            if fields.isEmpty { summary.itemsUnchanged += 1 } else { summary.itemsDiffering.append(.init(id: entry.value.id, fields: fields)) }
        }
    }

    static func differingFields(_ lhs: Recommendation, _ rhs: Recommendation) -> [String] {
        [("title", lhs.title == rhs.title), ("summary", lhs.summary == rhs.summary), ("category", lhs.category == rhs.category),
         ("horizon", lhs.horizon == rhs.horizon), ("actors", lhs.actors == rhs.actors), ("source", lhs.source == rhs.source),
         ("links", lhs.links == rhs.links)]
            .filter { !$0.1 }.map(\.0)
    }
}
