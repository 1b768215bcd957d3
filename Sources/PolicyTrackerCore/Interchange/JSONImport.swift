/// Reads the JSON that `ptrack import` accepts: a catalog document, as `catalog.json` holds
/// it, which may also have `changes`, an array of changes as the lines of `changes.jsonl`
/// hold them. That is what `ptrack export --format json` writes.
enum JSONImport {
    static let members = ["schemaVersion", "catalogs", "sources", "recommendations", "changes"]

    /// The document in `text`, and every problem found, each labelled with its JSON path:
    /// every element is read even when an earlier one was wrong.
    static func read(_ text: SourceText) -> (ImportDocument, [TrackerError]) {
        var problems: [TrackerError] = []
        var document = ImportDocument()
        let reader: FieldReader
        do throws(TrackerError) {
            reader = try FieldReader(try text.parseDocument(), in: text, what: "an import document", fields: members)
            try reader.checkSchemaVersion()
        } catch {
            return (document, [error.labelled("$")])
        }
        func each<Value>(_ key: String, _ decode: (JSONNode) throws(TrackerError) -> Value) -> [Located<Value>] {
            let nodes: [JSONNode]
            do throws(TrackerError) { nodes = try reader.array(key) } catch {
                problems.append(error.labelled("$.\(key)"))
                return []
            }
            return nodes.enumerated().compactMap { index, node in
                let label = "$.\(key)[\(index)]"
                do throws(TrackerError) {
                    return Located(try decode(node), Origin(text, offset: node.offset, label: label))
                } catch {
                    problems.append(error.labelled(label))
                    return nil
                }
            }
        }
        document.catalogs = each("catalogs") { node throws(TrackerError) in try CatalogFormat.decodeCatalog(node, text) }
        document.sources = each("sources") { node throws(TrackerError) in try CatalogFormat.decodeSource(node, text) }
        document.recommendations = each("recommendations") { node throws(TrackerError) in
            try CatalogFormat.decodeRecommendation(node, text)
        }
        document.changes = each("changes") { node throws(TrackerError) in try ChangeLogFormat.decodeChange(node, text) }
        return (document, problems)
    }
}
