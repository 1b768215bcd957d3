/// Reading and writing `changes.jsonl`: one change per line, compact JSON with sorted keys.
public enum ChangeLogFormat {
    /// What reading a stretch of the log produced.
    public struct Decoded: Sendable {
        public var changes: [Change]
        /// Bytes of complete lines read: where the next append belongs.
        public var completeBytes: Int
        /// Complete lines read, blank ones included.
        public var lineCount: Int
        /// Bytes of an unterminated, unparsable last line: the remains of an interrupted
        /// append, never acknowledged. Readers ignore it; the next writer removes it.
        public var tornTailBytes: Int
    }

    static let commonFields = ["schemaVersion", "changeId", "id", "kind", "happened", "recorded", "note", "source"]
    static let kindFields = [
        "status": ["status"], "watch": ["watched"], "review": [], "edit": ["fields", "previous"],
        "add": ["recommendation"], "revert": ["reverts"],
    ]
    static let allFields = commonFields + kindFields.values.flatMap { $0 }

    /// Decodes every line of `text`.
    public static func decode(_ text: SourceText) throws(TrackerError) -> Decoded {
        var decoded = Decoded(changes: [], completeBytes: 0, lineCount: 0, tornTailBytes: 0)
        let bytes = text.bytes
        var lineStart = 0
        while lineStart < bytes.count {
            let newline = bytes[lineStart...].firstIndex(of: 0x0A)
            let lineEnd = newline ?? bytes.count
            if !isBlank(bytes[lineStart..<lineEnd]) {
                switch parseLine(text, lineStart..<lineEnd) {
                case .success(let node):
                    decoded.changes.append(try decodeChange(node, text))
                case .failure(let problem):
                    guard newline == nil else { throw problem }
                    decoded.tornTailBytes = lineEnd - lineStart
                    return decoded
                }
            }
            guard let newline else {
                decoded.completeBytes = bytes.count
                decoded.lineCount += 1
                return decoded
            }
            lineStart = newline + 1
            decoded.completeBytes = lineStart
            decoded.lineCount += 1
        }
        return decoded
    }

    private static func parseLine(_ text: SourceText, _ range: Range<Int>) -> Result<JSONNode, TrackerError> {
        do {
            return .success(try JSONParser.parseDocument(text.bytes, in: range))
        } catch {
            return .failure(text.problem(at: error.offset, error.message))
        }
    }

    private static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// An error about the member `member` of the `index`-th change in `text` (blank lines
    /// not counted), located at that member's value, or at the line when it has none.
    /// Only errors need positions, so the line is found and parsed again here.
    public static func problem(in text: SourceText, changeIndex index: Int, member: String, _ message: String) -> TrackerError {
        let bytes = text.bytes
        var lineStart = 0
        var remaining = index
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            if !isBlank(bytes[lineStart..<lineEnd]) {
                if remaining == 0 {
                    let node = try? JSONParser.parseDocument(bytes, in: lineStart..<lineEnd)
                    guard case .object(let members)? = node?.kind,
                          let value = members.first(where: { $0.key == member })?.value
                    else { return text.problem(at: lineStart, message) }
                    return text.problem(at: value.offset, message)
                }
                remaining -= 1
            }
            lineStart = lineEnd + 1
        }
        return text.problem(at: bytes.count, message)
    }

    /// One change as a line of the log, without the newline.
    public static func encodeLine(_ change: Change) -> String {
        var members: [String: JSONValue] = [
            "schemaVersion": .int(TrackerFiles.schemaVersion), "changeId": .string(change.changeId),
            "id": .string(change.recommendationId), "kind": .string(change.kind.name),
            "happened": .string(change.happened.text), "recorded": .string(change.recorded.text),
        ]
        if let note = change.note { members["note"] = .string(note) }
        if let source = change.source { members["source"] = .string(source) }
        switch change.kind {
        case .status(let status): members["status"] = .string(status.rawValue)
        case .watch(let watched): members["watched"] = .bool(watched)
        case .review: break
        case .edit(let fields, let previous):
            members["fields"] = encode(fields)
            members["previous"] = encode(previous)
        case .add(let recommendation): members["recommendation"] = CatalogFormat.encode(recommendation)
        case .revert(let changeId): members["reverts"] = .string(changeId)
        }
        return JSONWriter.compact(.object(members))
    }

    // MARK: Decoding one change

    static func decodeChange(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Change {
        let reader = try FieldReader(node, in: text, what: "a change", fields: allFields)
        try reader.checkSchemaVersion()
        let kindName = try reader.parsed(
            "kind", expected: "one of \(kindFields.keys.sorted().joined(separator: ", "))"
        ) { kindFields[$0] != nil ? $0 : nil }
        try refuseForeignFields(reader, kind: kindName)
        return Change(
            changeId: try reader.parsed("changeId", expected: "text without spaces") { isValidChangeId($0) ? $0 : nil },
            recommendationId: try CatalogFormat.slug(reader),
            kind: try decodeKind(kindName, reader),
            happened: try reader.parsed("happened", expected: PolicyDate.expectedForm, PolicyDate.init),
            recorded: try reader.parsed("recorded", expected: Timestamp.expectedForm, Timestamp.init),
            note: try reader.optionalString("note"), source: try reader.optionalString("source"))
    }

    /// Change ids are printable text with no spaces, so they can be typed and grepped.
    public static func isValidChangeId(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }

    private static func refuseForeignFields(_ reader: FieldReader, kind: String) throws(TrackerError) {
        let own = kindFields[kind]!
        guard case .object(let members) = reader.node.kind else { return }
        for member in members where !commonFields.contains(member.key) && !own.contains(member.key) {
            throw reader.text.problem(at: member.keyOffset, "field \"\(member.key)\" does not belong to a \"\(kind)\" change")
        }
    }

    private static func decodeKind(_ name: String, _ reader: FieldReader) throws(TrackerError) -> Change.Kind {
        switch name {
        case "status":
            return .status(try reader.parsed("status", expected: "one of \(Status.names.joined(separator: ", "))") {
                Status(rawValue: $0)
            })
        case "watch":
            let value = try reader.requiredNode("watched")
            guard case .bool(let watched) = value.kind else {
                throw reader.text.problem(at: value.offset, "\"watched\" must be true or false, found \(value.typeName)")
            }
            return .watch(watched)
        case "review":
            return .review
        case "edit":
            return .edit(
                try decodePatch(try reader.requiredNode("fields"), reader.text),
                previous: try decodePatch(try reader.requiredNode("previous"), reader.text))
        case "add":
            return .add(try CatalogFormat.decodeRecommendation(try reader.requiredNode("recommendation"), reader.text))
        default:
            return .revert(changeId: try reader.nonEmptyString("reverts"))
        }
    }

    static let patchFields = ["title", "summary", "category", "horizon", "actors", "source"]

    static func decodePatch(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> RecommendationPatch {
        let reader = try FieldReader(node, in: text, what: "the edited fields", fields: patchFields)
        return RecommendationPatch(
            title: reader.optionalNode("title") == nil ? nil : try reader.nonEmptyString("title"),
            summary: try reader.optionalString("summary"),
            category: reader.optionalNode("category") == nil ? nil : try reader.nonEmptyString("category"),
            horizon: reader.optionalNode("horizon") == nil ? nil : try CatalogFormat.horizon(reader),
            actors: reader.optionalNode("actors") == nil ? nil : try CatalogFormat.actors(reader),
            source: try reader.optionalNode("source").map { node throws(TrackerError) in try CatalogFormat.citation(node, text) })
    }

    static func encode(_ patch: RecommendationPatch) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let title = patch.title { members["title"] = .string(title) }
        if let summary = patch.summary { members["summary"] = .string(summary) }
        if let category = patch.category { members["category"] = .string(category) }
        if let horizon = patch.horizon { members["horizon"] = .string(horizon.rawValue) }
        if let actors = patch.actors { members["actors"] = CatalogFormat.encode(actors) }
        if let source = patch.source { members["source"] = CatalogFormat.encode(source) }
        return .object(members)
    }
}
