import Foundation
import PolicyTrackerCore

/// A file the generator wrote, and its size.
public struct WrittenFile: Sendable, Equatable {
    public var path: String
    public var bytes: Int
}

extension SyntheticTracker.Generated {
    // MARK: The tracker

    /// Writes `changes.jsonl` and then `catalog.json` (whose presence marks a finished
    /// tracker, as when ptrack creates one) into `directory`, which must be missing or empty.
    /// Both are in the canonical form ptrack writes (`ChangeLogFormat.encodeLine`,
    /// `CatalogFormat.encode`). The snapshot and lock are left for ptrack to make.
    @discardableResult
    public func writeTracker(to directory: String) throws(TrackerError) -> [WrittenFile] {
        try prepareEmptyDirectory(directory)
        let changes = try OutputFile(path: directory + "/" + TrackerFiles.changes)
        // The log is encoded in batches, each cut into pieces encoded on all cores, and
        // written in order: memory stays at one batch whatever the size of the log.
        let order = logOrder()
        let perItem = tracker.changesPerItem
        for batch in chunks(order.count, size: 1 << 16) {
            let pieces = Parallel.map(chunks(batch.count, size: 4096)) { piece in
                var bytes: [UInt8] = []
                bytes.reserveCapacity(piece.count * 400)
                for position in piece {
                    let index = order[batch.lowerBound + position]
                    bytes.append(contentsOf: ChangeLogFormat.encodeLine(self.change(item: index / perItem, index % perItem)).utf8)
                    bytes.append(0x0A)
                }
                return bytes
            }
            for piece in pieces { try changes.write(piece) }
        }
        try changes.finish()

        let catalog = try OutputFile(path: directory + "/" + TrackerFiles.catalog)
        try catalog.write(CatalogFormat.encode(
            CatalogDocument(catalogs: Fixtures.catalogs, sources: Fixtures.sources, recommendations: recommendations)))
        try catalog.finish()
        return [WrittenFile(path: catalog.path, bytes: catalog.size), WrittenFile(path: changes.path, bytes: changes.size)]
    }

    // MARK: The peers

    /// Writes the same data for the peers of the comparison into `directory` (created when
    /// missing; files of these names are replaced):
    ///
    /// - `tracker.json`: one JSON document, `{"catalogs": […], "recommendations": [{…, "history":
    ///   [status changes in the order recorded]}], "schemaVersion": 2, "sources": […]}`, one
    ///   recommendation per line. The current status of an item is that of the last change of
    ///   its history (`"not-started"` when it has none): the dates only increase.
    /// - `taskwarrior.json`: a JSON array for `task import` (Taskwarrior 2.6), one task per
    ///   recommendation: `description` the title, `project` the category, `tags` the actors and
    ///   the status (`in_progress`, …), `status` `completed` when implemented and else
    ///   `pending`, `entry`/`modified`/`end` from the recording times, and the notes of the last
    ///   three changes as annotations. No user-defined attributes, so any taskrc accepts it.
    @discardableResult
    public func writePeers(to directory: String) throws(TrackerError) -> [WrittenFile] {
        try prepareDirectory(directory, mustBeEmpty: false)
        let document = try OutputFile(path: directory + "/tracker.json")
        let tasks = try OutputFile(path: directory + "/taskwarrior.json")
        try document.write(#"{"catalogs":"# + JSONWriter.compact(.array(Fixtures.catalogs.map(CatalogFormat.encode))) + #","recommendations":["#)
        try tasks.write("[")
        for batch in chunks(recommendations.count, size: 1 << 14) {
            let pieces = Parallel.map(chunks(batch.count, size: 1024)) { piece in
                var document = ByteJSON(capacity: piece.count * 4096), tasks = ByteJSON(capacity: piece.count * 1024)
                for position in piece {
                    let item = batch.lowerBound + position
                    let changes = (0..<self.tracker.changesPerItem).map { self.change(item: item, $0) }
                    let separator: StaticString = item == 0 ? "\n" : ",\n"
                    document.raw(separator)
                    self.writeDocumentItem(item, changes, to: &document)
                    tasks.raw(separator)
                    self.writeTask(item, changes, to: &tasks)
                }
                return (document.bytes, tasks.bytes)
            }
            for (documentBytes, taskBytes) in pieces {
                try document.write(documentBytes)
                try tasks.write(taskBytes)
            }
        }
        try document.write(#"\#n],"schemaVersion":\#(SchemaVersion.current),"sources":"# + JSONWriter.compact(.array(Fixtures.sources.map(CatalogFormat.encode))) + "}\n")
        try tasks.write("\n]\n")
        try document.finish()
        try tasks.finish()
        return [WrittenFile(path: document.path, bytes: document.size), WrittenFile(path: tasks.path, bytes: tasks.size)]
    }

    /// A recommendation as `catalog.json` holds it, with its history (keys in sorted order).
    func writeDocumentItem(_ item: Int, _ changes: [Change], to json: inout ByteJSON) {
        let recommendation = recommendations[item]
        json.raw("{")
        json.key("actors", first: true)
        json.strings(recommendation.actors.map(\.id))
        json.key("catalog")
        json.string(recommendation.catalog)
        json.key("category")
        json.string(recommendation.category)
        json.key("history")
        json.raw("[")
        for (k, change) in changes.enumerated() {
            if k > 0 { json.raw(",") }
            json.raw("{")
            json.key("changeId", first: true)
            json.string(change.changeId)
            json.key("happened")
            json.string(change.happened.text)
            json.key("kind")
            json.string(change.kind.name)
            if let note = change.note {
                json.key("note")
                json.string(note)
            }
            json.key("recorded")
            json.string(change.recorded.text)
            if let source = change.source {
                json.key("source")
                json.string(source)
            }
            json.key("status")
            json.string(change.status!.rawValue)
            json.raw("}")
        }
        json.raw("]")
        json.key("horizon")
        json.string(recommendation.horizon.id)
        json.key("id")
        json.string(recommendation.id)
        json.key("source")
        json.raw("{")
        json.key("id", first: true)
        json.string(recommendation.source.source)
        if let quote = recommendation.source.quote {
            json.key("quote")
            json.string(quote)
        }
        json.raw("}")
        json.key("summary")
        json.string(recommendation.summary)
        json.key("title")
        json.string(recommendation.title)
        json.key("watched")
        json.bool(recommendation.watched)
        json.raw("}")
    }

    /// A recommendation as a Taskwarrior task (keys in sorted order).
    func writeTask(_ item: Int, _ changes: [Change], to json: inout ByteJSON) {
        let recommendation = recommendations[item]
        let perItem = tracker.changesPerItem
        let first = item * perItem
        let status = changes.last?.status ?? .notStarted
        let entry = perItem > 0 ? recorded[first] : Fixtures.catalogRecorded
        let modified = perItem > 0 ? recorded[first + perItem - 1] : Fixtures.catalogRecorded
        json.raw("{")
        let annotated = (0..<perItem).filter { changes[$0].note != nil }.suffix(3)
        if !annotated.isEmpty {
            json.key("annotations", first: true)
            json.raw("[")
            for (position, k) in annotated.enumerated() {
                if position > 0 { json.raw(",") }
                json.raw("{")
                json.key("description", first: true)
                json.string(changes[k].note!)
                json.key("entry")
                json.string(CivilDate.timestamp(recorded[first + k], compact: true))
                json.raw("}")
            }
            json.raw("]")
        }
        json.key("description", first: annotated.isEmpty)
        json.string(recommendation.title)
        if status == .implemented {
            json.key("end")
            json.string(CivilDate.timestamp(modified, compact: true))
        }
        json.key("entry")
        json.string(CivilDate.timestamp(entry, compact: true))
        json.key("modified")
        json.string(CivilDate.timestamp(modified, compact: true))
        json.key("project")
        json.string(recommendation.category)
        json.key("status")
        json.string(status == .implemented ? "completed" : "pending")
        json.key("tags")
        json.strings(recommendation.actors.map(\.id) + [Self.statusTag(status)])
        json.key("uuid")
        json.string(taskUUID(item))
        json.raw("}")
    }

    /// The tag that carries a status in Taskwarrior: its name with underscores (`in_progress`).
    public static func statusTag(_ status: Status) -> String {
        String(status.rawValue.map { $0 == "-" ? "_" : $0 })
    }

    /// A version 4 UUID drawn from the item's own stream.
    func taskUUID(_ item: Int) -> String {
        var random = SplitMix64(seed: tracker.seed, Stream.taskUUID.rawValue, UInt64(item))
        let high = random.next() & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        let low = random.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        let digits = hex(high, digits: 16) + hex(low, digits: 16)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(digits.utf8[digits.utf8.index(digits.utf8.startIndex, offsetBy: range.lowerBound)..<digits.utf8.index(digits.utf8.startIndex, offsetBy: range.upperBound)])!
        }
        return parts.joined(separator: "-")
    }
}
