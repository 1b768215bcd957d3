/// Reading and writing `changes.jsonl`: one change per line, compact JSON with sorted keys.
public enum ChangeLogFormat {
    /// What reading a stretch of the log produced.
    public struct Decoded: Sendable {
        public var changes: [Change]
        /// Bytes of complete lines read: where the next append belongs.
        public var completeBytes: Int
        /// Complete lines read, blank ones included.
        public var lineCount: Int
        /// Bytes at the end that are the remains of an interrupted append, never acknowledged:
        /// an unterminated, unparsable last line, or everything from the first line that does
        /// not parse and holds a NUL byte (see ``decode(_:parts:minimumPartBytes:progress:)``).
        /// Readers ignore them; the next writer removes them.
        public var tornTailBytes: Int
    }

    /// The members of a change line.
    enum Field: String, JSONField {
        case schemaVersion, changeId, id, kind, happened, recorded, note, source, quote, author
        case status, watched, fields, previous, recommendation, reverts, follows, sequence
        case catalog, list, term, replaces

        static let names = NameTable<Field>()
    }

    /// The members every change may have. All but a change to a vocabulary name their
    /// recommendation in `id`; a revert of one has no `id`.
    static let commonFields: [Field] = [.schemaVersion, .changeId, .kind, .happened, .recorded, .note, .source, .quote, .author]

    /// The kinds of change, as the `kind` member names them.
    enum KindName: String, JSONField {
        case status, watch, review, edit, add, revert, vocabulary

        static let names = NameTable<KindName>()

        /// The members of this kind of change beyond the common ones.
        var fields: [Field] {
            switch self {
            case .status: [.id, .status, .follows, .sequence]
            case .watch: [.id, .watched]
            case .review: [.id, .follows, .sequence]
            case .edit: [.id, .fields, .previous]
            case .add: [.id, .recommendation]
            case .revert: [.id, .reverts]
            case .vocabulary: [.catalog, .list, .term, .replaces]
            }
        }

        /// Whether a change of this kind may leave out `id`: one to a vocabulary, and a revert
        /// (of one).
        var mayOmitId: Bool { self == .vocabulary || self == .revert }
    }

    /// Every member a change of each kind may have, in the order of ``KindName/names``.
    static let allowedFields = KindName.allCases.map { FieldSet(commonFields + $0.fields) }
    /// The statuses by name, for ``JSONReader``.
    static let statuses = NameTable<Status>()

    /// Decodes every line of `text`. A long log is cut at line breaks into about `parts`
    /// pieces of at least `minimumPartBytes`, decoded side by side, each counted on `progress`
    /// (bytes) when done; the changes come out in log order, and an error is that of the first
    /// bad line, as when reading line by line.
    ///
    /// The log ends early, at its *torn tail*, in two cases, both the remains of an append
    /// that was never acknowledged: an unterminated last line that does not parse (a process
    /// killed during its write), and a line that does not parse and holds a NUL byte, with
    /// everything after it (a power cut on a file system that made the file's new size
    /// durable before its data, which then reads as zeros, perhaps followed by the part of
    /// the append that did reach the disk). JSON text never holds a NUL byte, and an append's
    /// flush makes every earlier byte of the file durable, so nothing acknowledged can follow
    /// such a line.
    public static func decode(
        _ text: SourceText, parts: Int = Parallel.cores * 4, minimumPartBytes: Int = 1 << 20, progress: ProgressCounter? = nil
    ) throws(TrackerError) -> Decoded {
        let pieces = pieces(of: text, parts: parts, minimumBytes: minimumPartBytes)
        guard pieces.count > 1 else { return try decodeLines(text, 0..<text.bytes.count) }
        let decoded = Parallel.map(pieces) { range -> Result<Decoded, TrackerError> in
            defer { progress?.advance(by: range.count) }
            do throws(TrackerError) { return .success(try decodeLines(text, range)) } catch { return .failure(error) }
        }
        return try joined(decoded, total: text.bytes.count)
    }

    /// Ranges that tile `text`, each but the last ending just after a line break: about
    /// `parts` of them, of at least `minimumBytes`.
    private static func pieces(of text: SourceText, parts: Int, minimumBytes: Int) -> [Range<Int>] {
        let count = text.bytes.count
        var pieces: [Range<Int>] = []
        var start = 0
        for range in Parallel.ranges(count, parts: parts, minimum: minimumBytes) where range.upperBound > start {
            let lineBreak = range.upperBound < count ? text.firstNewline(in: range.upperBound - 1..<count) : nil
            let end = lineBreak.map { $0 + 1 } ?? count
            pieces.append(start..<end)
            start = end
        }
        return pieces
    }

    /// The results of consecutive pieces of a text of `total` bytes as one: up to the first
    /// piece that ends in a torn tail, which then runs to the end of the text; an error is
    /// the first piece's that has one before any torn tail.
    private static func joined(_ pieces: [Result<Decoded, TrackerError>], total: Int) throws(TrackerError) -> Decoded {
        var whole = Decoded(changes: [], completeBytes: 0, lineCount: 0, tornTailBytes: 0)
        whole.changes.reserveCapacity(pieces.reduce(0) { $0 + ((try? $1.get())?.changes.count ?? 0) })
        for result in pieces {
            let piece = try result.get()
            whole.changes += piece.changes
            whole.completeBytes = piece.completeBytes
            whole.lineCount += piece.lineCount
            if piece.tornTailBytes > 0 {
                whole.tornTailBytes = total - piece.completeBytes
                break
            }
        }
        return whole
    }

    /// Decodes the lines of the bytes `range` of `text`, which starts at the start of a line.
    private static func decodeLines(_ text: SourceText, _ range: Range<Int>) throws(TrackerError) -> Decoded {
        var decoded = Decoded(changes: [], completeBytes: range.lowerBound, lineCount: 0, tornTailBytes: 0)
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            let newline = text.firstNewline(in: lineStart..<range.upperBound)
            let lineEnd = newline ?? range.upperBound
            if !isBlank(text.bytes[lineStart..<lineEnd]) {
                switch try decodeLine(text, lineStart..<lineEnd) {
                case .success(let change):
                    decoded.changes.append(change)
                case .failure(let problem):
                    let holdsZeros = text.bytes[lineStart..<lineEnd].contains(0)
                    guard newline == nil || holdsZeros else { throw problem }
                    decoded.tornTailBytes = range.upperBound - lineStart
                    return decoded
                }
            }
            lineStart = lineEnd + (newline == nil ? 0 : 1)
            decoded.completeBytes = lineStart
            decoded.lineCount += 1
        }
        return decoded
    }

    /// The change on the line `range`, or the syntax error that makes the line no JSON at
    /// all (which the caller may take for a torn tail); other errors are thrown.
    private static func decodeLine(_ text: SourceText, _ range: Range<Int>) throws(TrackerError) -> Result<Change, TrackerError> {
        if let change = try? JSONReader.read(text.bytes, in: range, readChange) { return .success(change) }
        let node: JSONNode
        do {
            node = try JSONParser.parseDocument(text.bytes, in: range)
        } catch {
            return .failure(text.problem(at: error.offset, error.message))
        }
        return .success(try decodeChange(node, text))
    }

    /// The error of the line starting at `lineStart` in `text`, one that does not parse: the
    /// first line of a torn tail found to be damage instead (see ``TrackerStore``).
    public static func problem(ofLineAt lineStart: Int, in text: SourceText) -> TrackerError {
        let lineEnd = text.firstNewline(in: lineStart..<text.bytes.count) ?? text.bytes.count
        if case .failure(let problem)? = try? decodeLine(text, lineStart..<lineEnd) { return problem }
        return text.problem(at: lineStart, "not a change")
    }

    /// The bytes of each non-blank line in `text`, a last line without its line break
    /// included: those of the changes ``decode(_:parts:minimumPartBytes:progress:)`` gives,
    /// in order, then those of a torn tail.
    public static func lineRanges(of text: SourceText) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var lineStart = 0
        while lineStart < text.bytes.count {
            let lineEnd = text.firstNewline(in: lineStart..<text.bytes.count) ?? text.bytes.count
            if !isBlank(text.bytes[lineStart..<lineEnd]) { ranges.append(lineStart..<lineEnd) }
            lineStart = lineEnd + 1
        }
        return ranges
    }

    private static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// An error about the member `member` of the `index`-th change in `text` (blank lines
    /// not counted), located at that member's value, or at the line when it has none.
    /// Only errors need positions, so the line is found and parsed again here.
    public static func problem(in text: SourceText, changeIndex index: Int, member: String, _ message: String) -> TrackerError {
        problem(in: text, changeIndex: index, message) { $0.member(member) }
    }

    /// An error about the link to `target` in the member `member` of the `index`-th change
    /// (the `recommendation` of an add, the `fields` of an edit), located at that link's `id`,
    /// else as ``problem(in:changeIndex:member:_:)`` locates it.
    public static func problem(
        in text: SourceText, changeIndex index: Int, member: String, linkTo target: String, _ message: String
    ) -> TrackerError {
        problem(in: text, changeIndex: index, message) { line in
            line.member(member).map { CatalogFormat.linkTarget(target, in: $0) ?? $0 }
        }
    }

    /// An error about the `index`-th change, located at the node `find` picks from its line,
    /// or at the line when it finds none.
    private static func problem(
        in text: SourceText, changeIndex index: Int, _ message: String, find: (JSONNode) -> JSONNode?
    ) -> TrackerError {
        let bytes = text.bytes
        var lineStart = 0
        var remaining = index
        while lineStart < bytes.count {
            let lineEnd = text.firstNewline(in: lineStart..<bytes.count) ?? bytes.count
            if !isBlank(bytes[lineStart..<lineEnd]) {
                if remaining == 0 {
                    let node = try? JSONParser.parseDocument(bytes, in: lineStart..<lineEnd)
                    return text.problem(at: node.flatMap(find)?.offset ?? lineStart, message)
                }
                remaining -= 1
            }
            lineStart = lineEnd + 1
        }
        return text.problem(at: bytes.count, message)
    }

    /// One change as a line of the log, without the newline.
    public static func encodeLine(_ change: Change) -> String {
        JSONWriter.compact(encode(change))
    }

    /// One change as a JSON object.
    static func encode(_ change: Change) -> JSONValue {
        var members: [String: JSONValue] = [
            "schemaVersion": .int(SchemaVersion.current), "changeId": .string(change.changeId),
            "kind": .string(change.kind.name),
            "happened": .string(change.happened.text), "recorded": .string(change.recorded.text),
        ]
        if !change.recommendationId.isEmpty { members["id"] = .string(change.recommendationId) }
        if let note = change.note { members["note"] = .string(note) }
        if let source = change.source { members["source"] = .string(source) }
        if let quote = change.quote { members["quote"] = .string(quote) }
        if let author = change.author { members["author"] = .string(author) }
        if let follows = change.follows { members["follows"] = .array(follows.map(JSONValue.string)) }
        if let sequence = change.sequence { members["sequence"] = .int(sequence) }
        switch change.kind {
        case .status(let status): members["status"] = .string(status.rawValue)
        case .watch(let watched): members["watched"] = .bool(watched)
        case .review: break
        case .edit(let fields, let previous):
            members["fields"] = encode(fields)
            members["previous"] = encode(previous)
        case .add(let recommendation): members["recommendation"] = CatalogFormat.encode(recommendation)
        case .revert(let changeId): members["reverts"] = .string(changeId)
        case .vocabulary(let edit):
            members["catalog"] = .string(edit.catalog)
            members["list"] = .string(edit.list.rawValue)
            if let term = edit.term { members["term"] = VocabularyFormat.encode(term) }
            if let previous = edit.previous { members["replaces"] = VocabularyFormat.encode(previous) }
        }
        return .object(members)
    }

    // MARK: Decoding one change

    /// Decodes one change from its parsed line, locating any problem in `text`. ``decode(_:)``
    /// reads lines straight from their bytes and comes here to name what is wrong with one.
    public static func decodeChange(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> Change {
        let reader = try FieldReader(node, in: text, what: "a change", fields: Field.names.all)
        try reader.checkSchemaVersion()
        let kindName = try reader.parsed(
            "kind", expected: "one of \(KindName.names.all.sorted().joined(separator: ", "))"
        ) { KindName(rawValue: $0) }
        try refuseForeignFields(reader, kind: kindName)
        return Change(
            changeId: try reader.parsed("changeId", expected: "text without spaces") { isValidChangeId($0) ? $0 : nil },
            recommendationId: kindName.mayOmitId && reader.optionalNode("id") == nil ? "" : try CatalogFormat.slug(reader),
            kind: try decodeKind(kindName, reader),
            happened: try reader.parsed("happened", expected: PolicyDate.expectedForm, PolicyDate.init),
            recorded: try reader.parsed("recorded", expected: Timestamp.expectedForm, Timestamp.init),
            note: try reader.optionalString("note"), source: try reader.optionalString("source"),
            quote: try reader.optionalString("quote"), follows: try decodeFollows(reader), sequence: try decodeSequence(reader),
            author: try reader.optionalString("author"))
    }

    /// The `sequence` member: a whole number from 1, or nil when absent.
    private static func decodeSequence(_ reader: FieldReader) throws(TrackerError) -> Int? {
        guard let node = reader.optionalNode("sequence") else { return nil }
        let sequence = try reader.int("sequence")
        guard sequence >= 1 else { throw reader.text.problem(at: node.offset, "\"sequence\" must be 1 or more, found \(sequence)") }
        return sequence
    }

    /// The `follows` member: an array of change ids, or nil when absent.
    private static func decodeFollows(_ reader: FieldReader) throws(TrackerError) -> [String]? {
        guard reader.optionalNode("follows") != nil else { return nil }
        return try reader.array("follows").map { node throws(TrackerError) in
            try reader.parsedValue(node, "follows", expected: "a change id") { isValidChangeId($0) ? $0 : nil }
        }
    }

    /// Change ids are printable text with no spaces, so they can be typed and grepped.
    public static func isValidChangeId(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isValidChangeId)
    }

    /// ``isValidChangeId(_:)`` on UTF-8 bytes: those of a scalar past U+007F are all 0x80 or more.
    static func isValidChangeId(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }

    private static func refuseForeignFields(_ reader: FieldReader, kind: KindName) throws(TrackerError) {
        let allowed = (commonFields + kind.fields).map(\.rawValue)
        guard case .object(let members) = reader.node.kind else { return }
        for member in members where !allowed.contains(member.key) {
            throw reader.text.problem(at: member.keyOffset, "field \(DisplayText.quoted(member.key)) does not belong to a \"\(kind.rawValue)\" change")
        }
    }

    private static func decodeKind(_ name: KindName, _ reader: FieldReader) throws(TrackerError) -> Change.Kind {
        switch name {
        case .status:
            return .status(try reader.parsed("status", expected: "one of \(Status.names.joined(separator: ", "))") {
                Status(rawValue: $0)
            })
        case .watch:
            let value = try reader.requiredNode("watched")
            guard case .bool(let watched) = value.kind else {
                throw reader.text.problem(at: value.offset, "\"watched\" must be true or false, found \(value.typeName)")
            }
            return .watch(watched)
        case .review:
            return .review
        case .edit:
            return .edit(
                try decodePatch(try reader.requiredNode("fields"), reader.text),
                previous: try decodePatch(try reader.requiredNode("previous"), reader.text))
        case .add:
            return .add(try CatalogFormat.decodeRecommendation(try reader.requiredNode("recommendation"), reader.text))
        case .revert:
            return .revert(changeId: try reader.nonEmptyString("reverts"))
        case .vocabulary:
            return .vocabulary(try decodeVocabularyEdit(reader))
        }
    }

    /// The members of a change to a vocabulary: `catalog`, `list`, and the `term` after the
    /// change and the one it `replaces`, either or both, with the same id.
    private static func decodeVocabularyEdit(_ reader: FieldReader) throws(TrackerError) -> VocabularyEdit {
        let list = try reader.parsed("list", expected: "one of actors, categories, horizons") { VocabularyList(rawValue: $0) }
        let term = try reader.optionalNode("term").map { node throws(TrackerError) in try VocabularyFormat.decodeTerm(node, reader.text) }
        let previous = try reader.optionalNode("replaces").map { node throws(TrackerError) in
            try VocabularyFormat.decodeTerm(node, reader.text)
        }
        let edit = VocabularyEdit(catalog: try CatalogFormat.slug(reader, key: "catalog"), list: list, term: term, previous: previous)
        if let message = edit.problem {
            throw reader.text.problem(at: (reader.optionalNode("term") ?? reader.node).offset, message)
        }
        return edit
    }

    /// The members of the `fields` and `previous` of an edit.
    enum PatchField: String, JSONField {
        case title, summary, category, horizon, actors, source, links

        static let names = NameTable<PatchField>()
    }

    static func decodePatch(_ node: JSONNode, _ text: SourceText) throws(TrackerError) -> RecommendationPatch {
        let reader = try FieldReader(node, in: text, what: "the edited fields", fields: PatchField.names.all)
        return RecommendationPatch(
            title: reader.optionalNode("title") == nil ? nil : try reader.nonEmptyString("title"),
            summary: try reader.optionalString("summary"),
            category: reader.optionalNode("category") == nil ? nil : try reader.nonEmptyString("category"),
            horizon: reader.optionalNode("horizon") == nil ? nil : try CatalogFormat.horizon(reader),
            actors: reader.optionalNode("actors") == nil ? nil : try CatalogFormat.actors(reader),
            source: try reader.optionalNode("source").map { node throws(TrackerError) in try CatalogFormat.citation(node, text) },
            links: reader.optionalNode("links") == nil ? nil : try CatalogFormat.links(reader))
    }

    static func encode(_ patch: RecommendationPatch) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let title = patch.title { members["title"] = .string(title) }
        if let summary = patch.summary { members["summary"] = .string(summary) }
        if let category = patch.category { members["category"] = .string(category) }
        if let horizon = patch.horizon { members["horizon"] = .string(horizon.id) }
        if let actors = patch.actors { members["actors"] = CatalogFormat.encode(actors) }
        if let source = patch.source { members["source"] = CatalogFormat.encode(source) }
        if let links = patch.links { members["links"] = CatalogFormat.encode(links) }
        return .object(members)
    }

    // MARK: Reading one change straight from its bytes

    /// A change read with ``JSONReader``: the same checks as ``decodeChange(_:_:)``, without
    /// saying what failed.
    static func readChange(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> Change {
        var members = ChangeMembers()
        let present = try reader.members { (field: Field, reader) throws(JSONReader.Mismatch) in
            try members.read(field, &reader)
        }
        guard let present else { throw JSONReader.Mismatch() }
        return try members.change(present: present)
    }

    /// The fields of an edit read with ``JSONReader``; nil for `null`.
    static func readPatch(_ reader: inout JSONReader) throws(JSONReader.Mismatch) -> RecommendationPatch? {
        var patch = RecommendationPatch()
        let present = try reader.members { (field: PatchField, reader) throws(JSONReader.Mismatch) in
            switch field {
            case .title: patch.title = try reader.nonEmptyString()
            case .summary: patch.summary = try reader.string()
            case .category: patch.category = try reader.nonEmptyString()
            case .horizon: patch.horizon = try reader.nonEmptyString().map(Horizon.init)
            case .actors: patch.actors = try CatalogFormat.readActors(&reader)
            case .source: patch.source = try CatalogFormat.readCitation(&reader)
            case .links: patch.links = try CatalogFormat.readLinks(&reader)?.sorted()
            }
        }
        return present == nil ? nil : patch
    }
}

/// The members of a change line as ``JSONReader`` finds them, checked together once all
/// are read (their order in the line is free).
private struct ChangeMembers {
    var schemaVersion: Int?
    var changeId: String?
    var id: String?
    var kind: ChangeLogFormat.KindName?
    var happened: PolicyDate?
    var recorded: Timestamp?
    var note: String?
    var source: String?
    var quote: String?
    var author: String?
    var status: Status?
    var watched: Bool?
    var fields: RecommendationPatch?
    var previous: RecommendationPatch?
    var recommendation: Recommendation?
    var reverts: String?
    var follows: [String]?
    var sequence: Int?
    var catalog: String?
    var list: VocabularyList?
    var term: Term?
    var replaces: Term?

    mutating func read(_ field: ChangeLogFormat.Field, _ reader: inout JSONReader) throws(JSONReader.Mismatch) {
        switch field {
        case .schemaVersion: schemaVersion = try reader.int()
        case .changeId: changeId = try reader.string(where: ChangeLogFormat.isValidChangeId)
        case .id: id = try reader.string(where: Slug.isValid)
        case .kind: kind = try reader.name(in: ChangeLogFormat.KindName.names)
        case .happened: happened = try reader.string(PolicyDate.init)
        case .recorded: recorded = try reader.string(Timestamp.init)
        case .note: note = try reader.string()
        case .source: source = try reader.string()
        case .quote: quote = try reader.string()
        case .author: author = try reader.string()
        case .status: status = try reader.name(in: ChangeLogFormat.statuses)
        case .watched: watched = try reader.bool()
        case .fields: fields = try ChangeLogFormat.readPatch(&reader)
        case .previous: previous = try ChangeLogFormat.readPatch(&reader)
        case .recommendation: recommendation = try CatalogFormat.readRecommendation(&reader)
        case .reverts: reverts = try reader.nonEmptyString()
        case .follows: follows = try reader.array { reader throws(JSONReader.Mismatch) in try reader.string(where: ChangeLogFormat.isValidChangeId) }
        case .sequence:
            sequence = try reader.int()
            if let sequence, sequence < 1 { throw JSONReader.Mismatch() }
        case .catalog: catalog = try reader.string(where: Slug.isValid)
        case .list: list = try reader.string(VocabularyList.init(rawValue:))
        case .term: term = try VocabularyFormat.readTerm(&reader)
        case .replaces: replaces = try VocabularyFormat.readTerm(&reader)
        }
    }

    /// The change, when every required member is there and no member of another kind is.
    /// The members are moved into it, not copied.
    mutating func change(present: FieldSet<ChangeLogFormat.Field>) throws(JSONReader.Mismatch) -> Change {
        guard let schemaVersion, (1...SchemaVersion.current).contains(schemaVersion), let kind,
              present.isSubset(of: ChangeLogFormat.allowedFields[ChangeLogFormat.KindName.names.index(of: kind)]),
              let changeKind = takeKind(kind), let changeId = changeId.take(), let id = id.take() ?? (kind.mayOmitId ? "" : nil),
              let happened = happened.take(), let recorded = recorded.take()
        else { throw JSONReader.Mismatch() }
        return Change(
            changeId: changeId, recommendationId: id, kind: changeKind, happened: happened, recorded: recorded,
            note: note.take(), source: source.take(), quote: quote.take(), follows: follows.take(), sequence: sequence,
            author: author.take())
    }

    private mutating func takeKind(_ name: ChangeLogFormat.KindName) -> Change.Kind? {
        switch name {
        case .status: status.map(Change.Kind.status)
        case .watch: watched.map(Change.Kind.watch)
        case .review: .review
        case .edit: fields.take().flatMap { fields in previous.take().map { .edit(fields, previous: $0) } }
        case .add: recommendation.take().map(Change.Kind.add)
        case .revert: reverts.take().map { .revert(changeId: $0) }
        case .vocabulary:
            catalog.take().flatMap { catalog in
                list.flatMap { list in
                    let edit = VocabularyEdit(catalog: catalog, list: list, term: term.take(), previous: replaces.take())
                    return edit.problem == nil ? .vocabulary(edit) : nil
                }
            }
        }
    }
}
