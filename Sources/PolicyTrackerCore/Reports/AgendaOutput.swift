/// What `ptrack agenda` prints: the tracker's editions of the bundled agenda, and what an
/// update did or would do.
public enum AgendaOutput {
    /// Each bundled catalog's edition in `tracker` and in ptrack, then what to do.
    public static func status(_ tracker: CatalogDocument, bundled: CatalogDocument) -> String {
        let versions = Dictionary(tracker.catalogs.map { ($0.id, $0.version) }, uniquingKeysWith: { first, _ in first })
        let editions = bundled.catalogs.map { catalog in
            "\(catalog.id): \(versions[catalog.id].map { "edition \($0)" } ?? "absent"); bundled edition \(catalog.version)\n"
        }.joined()
        if AgendaUpdate.isForeign(tracker, bundled: bundled) { return editions + "The tracker was not made from the bundled agenda.\n" }
        if AgendaUpdate.isAvailable(for: tracker.catalogs, bundled: bundled.catalogs) {
            return editions + "A newer edition of the bundled agenda is available: run `ptrack agenda update` (see --dry-run).\n"
        }
        return editions + "The tracker holds the bundled agenda's current edition.\n"
    }

    /// The update in words: editions, recommendations, sources, and the changes appended,
    /// each withdrawn claim with the reason its revert gives.
    public static func text(_ update: AgendaUpdate, written: Bool) -> String {
        let summary = update.summary
        if update.isEmpty { return "Already up to date: the tracker holds the bundled agenda's current edition.\n" }
        var text = written ? "Updated the bundled agenda:\n" : "The update would change (nothing written):\n"
        for edition in summary.editions {
            text += "  \(edition.id): \(edition.from.map { "edition \($0) →" } ?? "new,") edition \(edition.to)\n"
        }
        text += "  recommendations: \(summary.recommendationsAdded.count) added, \(summary.recommendationsRevised.count) revised\n"
        text += "  sources: \(summary.sourcesAdded.count) added, \(summary.sourcesRevised.count) revised\n"
        text += "  changes: \(summary.statusChanges) status changes, \(summary.reviews) reviews, "
            + "\(summary.withdrawn.count) withdrawn, \(summary.otherChanges) other\n"
        for revert in summary.withdrawn {
            text += "  withdrawn \(DisplayText.sanitized(revert.kind.revertedId ?? "")) (\(DisplayText.sanitized(revert.recommendationId)))"
                + (revert.note.map { ": " + DisplayText.sanitized($0) } ?? "") + "\n"
        }
        return text + "Your own changes are untouched.\n"
    }

    /// The update for scripts.
    public static func json(_ update: AgendaUpdate, written: Bool) -> String {
        let summary = update.summary
        let strings = { (values: [String]) in JSONValue.array(values.map(JSONValue.string)) }
        return JSONWriter.pretty(.object([
            "schemaVersion": .int(1), "command": .string("agenda update"), "written": .bool(written && !update.isEmpty),
            "upToDate": .bool(update.isEmpty),
            "editions": .array(summary.editions.map { .object(["id": .string($0.id), "from": .optional($0.from), "to": .string($0.to)]) }),
            "recommendationsAdded": strings(summary.recommendationsAdded), "recommendationsRevised": strings(summary.recommendationsRevised),
            "sourcesAdded": strings(summary.sourcesAdded), "sourcesRevised": strings(summary.sourcesRevised),
            "withdrawn": .array(summary.withdrawn.map { revert in
                .object(["changeId": .string(revert.kind.revertedId ?? ""), "id": .string(revert.recommendationId), "reason": .optional(revert.note)])
            }),
            "changes": .array(update.changes.map { ItemOutput.json($0, reverted: false) }),
        ]), escaping: .terminal) + "\n"
    }
}
