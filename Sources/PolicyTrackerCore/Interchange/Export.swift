/// The formats `ptrack export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    case json, csv, taskwarrior
}

/// The whole tracker in a form other tools read.
public enum TrackerExport {
    /// The part of a tracker about one catalog: the catalog, its recommendations, the
    /// sources they or their changes cite, and every change about them (additions included).
    public static func selecting(catalog id: String, from catalog: CatalogDocument, changes: [Change]) -> (CatalogDocument, [Change]) {
        var members = Set(catalog.recommendations.filter { $0.catalog == id }.map(\.id))
        for change in changes {
            if case .add(let recommendation) = change.kind, recommendation.catalog == id { members.insert(recommendation.id) }
        }
        let kept = changes.filter { members.contains($0.recommendationId) }
        let recommendations = catalog.recommendations.filter { members.contains($0.id) }
        var cited = Set(recommendations.map(\.source.source) + kept.compactMap(\.source))
        for change in kept { if case .add(let recommendation) = change.kind { cited.insert(recommendation.source.source) } }
        let catalogs = catalog.catalogs.filter { $0.id == id }
        cited.formUnion(catalogs.map(\.source))
        return (CatalogDocument(catalogs: catalogs, sources: catalog.sources.filter { cited.contains($0.id) }, recommendations: recommendations), kept)
    }

    /// Everything, lossless: the members of `catalog.json` (the catalog as published) and
    /// `changes`, every change of the log as its line's object, in log order.
    public static func json(catalog: CatalogDocument, changes: [Change], progress: ProgressCounter? = nil) -> String {
        var members = CatalogFormat.members(catalog)
        progress?.advance(by: catalog.recommendations.count)
        members["changes"] = .array(changes.enumerated().map { index, change in
            if index & 0xFFF == 0xFFF { progress?.advance(by: 0x1000) }
            return ChangeLogFormat.encode(change)
        })
        return JSONWriter.pretty(.object(members), escaping: .terminal)
    }

    /// Taskwarrior's import format (`task import`): one task per recommendation, by id.
    /// - `uuid`: derived from the id, so importing again updates the same tasks;
    /// - `description`: the title; `project`: the catalog; `tags`: the status, the category
    ///   and the actors, as tag-safe words;
    /// - `status`: `completed` when implemented (`end`: when that was recorded), else `pending`;
    /// - `entry`: when the first change about it was recorded (else `now`);
    /// - `annotations`: each status change in effect, oldest first, with its note and source.
    public static func taskwarrior(state: TrackerState, history: [Change], now: Timestamp) -> String {
        let transitions = Dictionary(grouping: Timeline.transitions(history, asOf: now.day)) { $0.change.recommendationId }
        let first = Dictionary(history.map { ($0.recommendationId, $0.recorded) }) { earlier, _ in earlier }
        return JSONWriter.pretty(.array(state.sortedItems.map { item in
            task(item, transitions: transitions[item.id] ?? [], entry: first[item.id] ?? now)
        }), escaping: .terminal)
    }

    private static func task(_ item: Item, transitions: [Transition], entry: Timestamp) -> JSONValue {
        let recommendation = item.recommendation
        let tags = [item.status.rawValue, recommendation.category] + recommendation.actors.map(\.id)
        var members: [String: JSONValue] = [
            "uuid": .string(uuid(for: item.id)), "description": .string(recommendation.title),
            "project": .string(tagWord(recommendation.catalog)), "tags": .array(tags.map { .string(tagWord($0)) }),
            "status": .string(item.status == .implemented ? "completed" : "pending"), "entry": .string(taskTime(entry)),
            "annotations": .array(transitions.map { transition in
                let change = transition.change
                let details = [change.note, change.source.map(change.evidence(citing:))].compactMap { $0 }.joined(separator: " ")
                return .object([
                    "entry": .string(taskTime(change.recorded)),
                    "description": .string("\(change.happened.text) \(transition.text(style: TextStyle(enabled: false)))"
                        + (details.isEmpty ? "" : ": " + details)),
                ])
            }),
        ]
        if item.status == .implemented { members["end"] = .string(taskTime(transitions.last?.change.recorded ?? entry)) }
        return .object(members)
    }

    /// A UUID (version 5 in form) from the SHA-256 of the id, the same on every export.
    static func uuid(for id: String) -> String {
        var hex = Array(SHA256.hexDigest(Array("ptrack:\(id)".utf8)).prefix(32))
        hex[12] = "5"
        hex[16] = "89ab".map { $0 }[Int(String(hex[16]), radix: 16)! % 4]
        let text = String(hex)
        let cuts = [8, 12, 16, 20]
        var parts: [Substring] = []
        var start = text.startIndex
        for cut in cuts + [32] {
            let end = text.index(text.startIndex, offsetBy: cut)
            parts.append(text[start..<end])
            start = end
        }
        return parts.joined(separator: "-")
    }

    /// `text` as a Taskwarrior tag or project: letters, digits, `-` and `_` kept, anything
    /// else a `_`.
    static func tagWord(_ text: String) -> String {
        String(DisplayText.sanitized(text).map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    /// A timestamp in Taskwarrior's form, `20240131T000000Z`.
    static func taskTime(_ time: Timestamp) -> String {
        time.text.filter { $0 != "-" && $0 != ":" }
    }
}
