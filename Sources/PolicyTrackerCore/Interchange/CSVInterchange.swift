/// The CSV form of a tracker, for spreadsheets: one table with a header row, in which the
/// `record` column says what each row is (see `docs/import.md` for every column).
///
/// - `catalog`, `source` and `recommendation` rows hold what `catalog.json` holds;
/// - `change` rows hold the lines of `changes.jsonl`, in order.
///
/// A catalog's `vocabulary`, an edit's `fields` and `previous`, and a vocabulary change's
/// `term` and `replaces` are JSON in their cells.
///
/// A spreadsheet written by hand may leave out the `record` column (every row is then a
/// recommendation) and any column it does not need; a recommendation row with a `status`
/// also records that status.
public enum CSVInterchange {
    /// The columns, in the order ptrack writes them.
    public enum Column: String, CaseIterable, Sendable {
        case record, id, catalog, title, summary, category, horizon, actors, source, quote, links, watched, lastReviewed
        case changeId, kind, happened, recorded, status, note, evidence, evidenceQuote, reverts, fields, previous, follows, sequence
        case description, version, `default`, author, publisher, date, `where`
        case vocabulary, list, term, replaces
    }

    /// What a row is.
    public enum Record: String, CaseIterable, Sendable {
        case catalog, source, recommendation, change
    }

    /// The columns each record may fill (an `add` change may also fill a recommendation's).
    static let columns: [Record: [Column]] = [
        .catalog: [.id, .title, .description, .version, .source, .default, .vocabulary],
        .source: [.id, .title, .author, .publisher, .date, .where],
        .recommendation: recommendationColumns + statusColumns,
        .change: [
            .id, .changeId, .kind, .happened, .recorded, .note, .evidence, .evidenceQuote, .status, .watched, .reverts, .fields, .previous,
            .follows, .sequence, .author, .catalog, .list, .term, .replaces,
        ],
    ]

    /// The `follows` cell of a change made where the item had no status yet (`[]` in the
    /// files; it has spaces, so no change id can be it). Otherwise the ids are joined by `;`.
    static let followsNothing = "no earlier status"
    static let recommendationColumns: [Column] = [
        .id, .catalog, .title, .summary, .category, .horizon, .actors, .source, .quote, .links, .watched, .lastReviewed,
    ]
    static let statusColumns: [Column] = [.status, .happened, .note, .evidence, .evidenceQuote, .changeId, .recorded]

    // MARK: Writing

    /// The whole tracker, lossless: catalogs, sources and recommendations as published, then
    /// every change in log order. Text is escaped as ``CSVText`` describes.
    public static func write(catalog: CatalogDocument, changes: [Change], progress: ProgressCounter? = nil) -> String {
        var output = CSVText.row(Column.allCases.map(\.rawValue))
        func emit(_ cells: [Column: String]) { output += CSVText.row(Column.allCases.map { cells[$0] ?? "" }) }
        for entry in catalog.catalogs.sorted(by: { $0.id < $1.id }) { emit(cells(entry)) }
        for entry in catalog.sources.sorted(by: { $0.id < $1.id }) { emit(cells(entry)) }
        for entry in catalog.recommendations.sorted(by: { $0.id < $1.id }) { emit(cells(entry)) }
        progress?.advance(by: catalog.recommendations.count)
        for (index, change) in changes.enumerated() {
            emit(cells(change))
            if index & 0xFFF == 0xFFF { progress?.advance(by: 0x1000) }
        }
        return output
    }

    private static func cells(_ catalog: Catalog) -> [Column: String] {
        [.record: "catalog", .id: catalog.id, .title: catalog.title, .description: catalog.description,
         .version: catalog.version, .source: catalog.source, .default: String(catalog.isDefault),
         .vocabulary: JSONWriter.compact(VocabularyFormat.encode(catalog.vocabulary))]
    }

    private static func cells(_ source: Source) -> [Column: String] {
        [.record: "source", .id: source.id, .title: source.title, .author: source.author,
         .publisher: source.publisher, .date: source.date?.text ?? "", .where: source.location]
    }

    private static func cells(_ recommendation: Recommendation) -> [Column: String] {
        [.record: "recommendation", .id: recommendation.id, .catalog: recommendation.catalog,
         .title: recommendation.title, .summary: recommendation.summary, .category: recommendation.category,
         .horizon: recommendation.horizon.id, .actors: recommendation.actors.map(\.id).joined(separator: ";"),
         .source: recommendation.source.source, .quote: recommendation.source.quote ?? "",
         .links: recommendation.links.map { "\($0.kind.rawValue):\($0.id)" }.joined(separator: ";"),
         .watched: String(recommendation.watched), .lastReviewed: recommendation.lastReviewed?.text ?? ""]
    }

    private static func cells(_ change: Change) -> [Column: String] {
        var cells: [Column: String] = [
            .record: "change", .id: change.recommendationId, .changeId: change.changeId, .kind: change.kind.name,
            .happened: change.happened.text, .recorded: change.recorded.text, .note: change.note ?? "", .evidence: change.source ?? "",
            .evidenceQuote: change.quote ?? "", .author: change.author ?? "",
            .follows: change.follows.map { $0.isEmpty ? followsNothing : $0.joined(separator: ";") } ?? "",
            .sequence: change.sequence.map(String.init) ?? "",
        ]
        switch change.kind {
        case .status(let status): cells[.status] = status.rawValue
        case .watch(let watched): cells[.watched] = String(watched)
        case .review: break
        case .edit(let fields, let previous):
            cells[.fields] = JSONWriter.compact(ChangeLogFormat.encode(fields))
            cells[.previous] = JSONWriter.compact(ChangeLogFormat.encode(previous))
        case .add(let recommendation):
            cells.merge(self.cells(recommendation).filter { $0.key != .record }) { own, _ in own }
        case .revert(let target): cells[.reverts] = target
        case .vocabulary(let edit):
            cells[.catalog] = edit.catalog
            cells[.list] = edit.list.rawValue
            cells[.term] = edit.term.map { JSONWriter.compact(VocabularyFormat.encode($0)) }
            cells[.replaces] = edit.previous.map { JSONWriter.compact(VocabularyFormat.encode($0)) }
        }
        return cells
    }

    // MARK: Reading

    /// The tracker data in `text`, and every problem found, each naming its row (counted as
    /// a spreadsheet counts them, the header being row 1) and the cell's line and column.
    /// - Parameters:
    ///   - defaults: the catalog and source of recommendation rows that name none.
    ///   - now: the recording time of statuses given on recommendation rows without one.
    static func read(_ text: SourceText, defaults: RowDefaults, now: Timestamp) -> (ImportDocument, [TrackerError]) {
        let table: CSVTable
        do throws(TrackerError) { table = try CSVTable.parse(text) } catch { return (ImportDocument(), [error]) }
        guard let header = table.rows.first else { return (ImportDocument(), [text.problem(at: 0, "the file is empty: it needs a header row")]) }
        var reader = RowReader(text: text, defaults: defaults, now: now)
        reader.readHeader(header)
        if reader.problems.isEmpty {
            for (index, row) in table.rows.enumerated().dropFirst() where reader.problems.count < RowReader.problemLimit {
                reader.read(row, number: index + 1)
            }
        }
        return (reader.document, reader.problems)
    }
}

/// What a recommendation row that names no catalog or source gets.
public struct RowDefaults: Sendable {
    /// The catalog's id.
    public var catalog: String?
    /// The citation: a source id or free text.
    public var source: String?

    public init(catalog: String? = nil, source: String? = nil) {
        self.catalog = catalog
        self.source = source
    }
}

/// Reads the rows of a CSV table into an ``ImportDocument``. Each row becomes the JSON
/// object `catalog.json` or `changes.jsonl` would hold, checked by the same decoders, so the
/// two forms accept exactly the same data.
private struct RowReader {
    typealias Column = CSVInterchange.Column
    let text: SourceText
    let defaults: RowDefaults
    let now: Timestamp
    var columns: [Column] = []
    var document = ImportDocument()
    var problems: [TrackerError] = []
    /// Rows are read until this many problems are found.
    static let problemLimit = 1000

    init(text: SourceText, defaults: RowDefaults, now: Timestamp) {
        self.text = text
        self.defaults = defaults
        self.now = now
    }

    /// A problem with the cell at `offset` of the row labelled `label`.
    private mutating func report(at offset: Int, _ label: String, _ message: String) {
        problems.append(Origin(text, offset: offset, label: label).problem(message))
    }

    /// The columns by name, in any letter case; an unknown or repeated one is a problem.
    /// Empty cells at the end of the header, which spreadsheets write, name no column.
    mutating func readHeader(_ header: [CSVTable.Cell]) {
        let named = header.reversed().drop { $0.text.allSatisfy(\.isWhitespace) }.reversed()
        for cell in named {
            let name = cell.text.trimmingCharacters(in: .whitespaces)
            guard let column = Column.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                report(at: cell.offset, "row 1", "unknown column \(DisplayText.quoted(name)) (known columns: \(Column.allCases.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            if columns.contains(column) { report(at: cell.offset, "row 1", "column \(DisplayText.quoted(name)) appears twice") }
            columns.append(column)
        }
    }

    /// One row: its cells by column, checked against its record's columns, then decoded.
    mutating func read(_ row: [CSVTable.Cell], number: Int) {
        let label = "row \(number)"
        guard row.dropFirst(columns.count).allSatisfy(\.text.isEmpty) else {
            report(at: row[columns.count].offset, label, "has \(row.count) cells, but the header names \(columns.count) columns")
            return
        }
        var cells: [Column: CSVTable.Cell] = [:]
        for (column, cell) in zip(columns, row) where !cell.text.isEmpty { cells[column] = cell }
        guard let record = record(of: cells, label), cellsFit(cells, record, label) else { return }
        let row = Row(cells: cells, start: Origin(text, offset: row[0].offset, label: label), text: text, defaults: defaults)
        switch record {
        case .catalog: decode(row, row.catalog(), into: \.catalogs, CatalogFormat.decodeCatalog)
        case .source: decode(row, row.source(), into: \.sources, CatalogFormat.decodeSource)
        case .recommendation: readRecommendation(row)
        case .change: decode(row, row.change(), into: \.changes, evidence: true, ChangeLogFormat.decodeChange)
        }
    }

    /// What the row is: its `record` cell, else a recommendation.
    private mutating func record(of cells: [Column: CSVTable.Cell], _ label: String) -> CSVInterchange.Record? {
        let name = cells[.record].map { CSVText.unescaped($0.text).lowercased() } ?? "recommendation"
        guard let record = CSVInterchange.Record(rawValue: name) else {
            report(at: cells[.record]!.offset, label,
                   "unknown record \(DisplayText.quoted(name)) (expected one of \(CSVInterchange.Record.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        return record
    }

    /// Whether every cell is in a column its record may fill, and every JSON cell parses;
    /// each that is not is a problem.
    private mutating func cellsFit(_ cells: [Column: CSVTable.Cell], _ record: CSVInterchange.Record, _ label: String) -> Bool {
        let known = problems.count
        var allowed = CSVInterchange.columns[record]! + [.record]
        if record == .change, cells[.kind].map({ CSVText.unescaped($0.text) }) == "add" { allowed += CSVInterchange.recommendationColumns }
        for (column, cell) in cells.sorted(by: { $0.value.offset < $1.value.offset }) where !allowed.contains(column) {
            report(at: cell.offset, label, "the column \(DisplayText.quoted(column.rawValue)) does not apply to a \(record.rawValue) row")
        }
        for column in [Column.fields, .previous, .vocabulary, .term, .replaces] {
            guard let cell = cells[column] else { continue }
            do throws(JSONParser.Failure) { _ = try JSONParser.parseDocument(Array(CSVText.unescaped(cell.text).utf8)) } catch {
                report(at: cell.offset, label, "\(DisplayText.quoted(column.rawValue)) is not JSON: \(error.message) (at character \(error.offset + 1) of the cell)")
            }
        }
        return problems.count == known
    }

    private mutating func readRecommendation(_ row: Row) {
        guard let recommendation = decode(row, row.recommendation(), into: \.recommendations, CatalogFormat.decodeRecommendation)
        else { return }
        guard row.cells[.status] != nil else {
            if let stray = CSVInterchange.statusColumns.first(where: { row.cells[$0] != nil }) {
                problems.append(row.origin(of: row.cells[stray]!).problem("\(DisplayText.quoted(stray.rawValue)) is given without a status"))
            }
            return
        }
        let change = decode(row, row.statusChange(of: recommendation, now: now), into: \.changes, evidence: true, ChangeLogFormat.decodeChange)
        if change != nil, row.cells[.changeId] == nil { document.changes[document.changes.count - 1].isDerived = true }
    }

    /// Decodes the object `members` stands for with `decode`, keeping it in `list`; a problem
    /// is placed at the cell of the member it is about. A change (`evidence`) is a line of the
    /// log, with its `schemaVersion`, and its `source` is the `evidence` column.
    @discardableResult
    private mutating func decode<Value>(
        _ row: Row, _ members: [String: JSONValue], into list: WritableKeyPath<ImportDocument, [Located<Value>]>,
        evidence: Bool = false, _ decode: (JSONNode, SourceText) throws(TrackerError) -> Value
    ) -> Value? {
        var object = members
        if evidence { object["schemaVersion"] = .int(SchemaVersion.current) }
        let synthetic = SourceText(path: text.path, bytes: Array(JSONWriter.compact(.object(object)).utf8))
        do throws(TrackerError) {
            let node = try synthetic.parseDocument()
            do throws(TrackerError) {
                let value = try decode(node, synthetic)
                document[keyPath: list].append(Located(value, row.start))
                return value
            } catch {
                problems.append(row.relocated(error, in: synthetic, node: node, evidence: evidence))
            }
        } catch {
            problems.append(row.start.problem(error.description))
        }
        return nil
    }
}

/// One row's non-empty cells, and the JSON members they stand for.
private struct Row {
    typealias Column = CSVInterchange.Column
    let cells: [Column: CSVTable.Cell]
    let start: Origin
    let text: SourceText
    let defaults: RowDefaults

    func text(_ column: Column) -> String? { cells[column].map { CSVText.unescaped($0.text) } }

    func origin(of cell: CSVTable.Cell) -> Origin { Origin(text, offset: cell.offset, label: start.label) }

    /// The members for `columns`, each under its column's name, as text.
    func strings(_ columns: [Column]) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: columns.compactMap { column in text(column).map { (column.rawValue, JSONValue.string($0)) } })
    }

    /// A yes/no cell: `true`, `yes` or `1`, `false`, `no` or `0`, in any case; anything else
    /// is passed on as text for the decoder to refuse.
    func flag(_ column: Column) -> JSONValue? {
        guard let value = text(column) else { return nil }
        switch value.lowercased() {
        case "true", "yes", "1": return .bool(true)
        case "false", "no", "0": return .bool(false)
        default: return .string(value)
        }
    }

    /// A vocabulary cell in any case, with spaces for hyphens (`In progress`).
    func word(_ column: Column, _ names: [String]) -> JSONValue? {
        guard let value = text(column) else { return nil }
        let key = value.lowercased().replacingOccurrences(of: " ", with: "-")
        return .string(names.first { $0.lowercased() == key } ?? value)
    }

    func catalog() -> [String: JSONValue] {
        var members = strings([.id, .title, .description, .version, .source])
        members["default"] = flag(.default)
        members["vocabulary"] = json(.vocabulary)
        return members
    }

    func source() -> [String: JSONValue] {
        strings([.id, .title, .author, .publisher, .date, .where])
    }

    func recommendation() -> [String: JSONValue] {
        var members = strings([.id, .catalog, .title, .summary, .category, .lastReviewed])
        if members["catalog"] == nil, let catalog = defaults.catalog { members["catalog"] = .string(catalog) }
        members["horizon"] = text(.horizon).map { .string($0.trimmingCharacters(in: .whitespaces)) }
        members["watched"] = flag(.watched)
        if let links = text(.links) {
            members["links"] = .array(words(links).map(link))
        }
        if let actors = text(.actors) {
            // An actor's name may itself have spaces (`United States`): the import looks
            // the names up in the catalog's vocabulary, and splits a name it does not know at
            // its spaces when each part is an actor it knows (`US Japan`).
            members["actors"] = .array(marked(actors).map(JSONValue.string))
        }
        if let source = text(.source) ?? defaults.source {
            members["source"] = .object(strings([.quote]).merging(["id": .string(source)]) { $1 })
        } else if cells[.quote] != nil {
            members["source"] = .object(strings([.quote]))
        }
        return members
    }

    func change() -> [String: JSONValue] {
        var members = strings([.id, .changeId, .kind, .happened, .recorded, .note, .reverts, .author])
        members["source"] = text(.evidence).map(JSONValue.string)
        members["quote"] = text(.evidenceQuote).map(JSONValue.string)
        members["status"] = word(.status, Status.names)
        members["watched"] = text(.kind) == "add" ? nil : flag(.watched)
        members["fields"] = json(.fields)
        members["previous"] = json(.previous)
        if text(.kind) == "vocabulary" { members["catalog"] = text(.catalog).map(JSONValue.string) }
        members["list"] = text(.list).map(JSONValue.string)
        members["term"] = json(.term)
        members["replaces"] = json(.replaces)
        members["follows"] = text(.follows).map { .array($0 == CSVInterchange.followsNothing ? [] : words($0).map(JSONValue.string)) }
        members["sequence"] = text(.sequence).map { Int($0).map(JSONValue.int) ?? .string($0) }
        if text(.kind) == "add" { members["recommendation"] = .object(recommendation()) }
        return members
    }

    /// The parts of a list cell, separated by `;` or `,` (then trimmed), else by white space
    /// (so `United States, South Korea` and `US Japan` both read).
    func words(_ text: String) -> [String] {
        let byMarks = marked(text)
        return byMarks.count > 1 ? byMarks : text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    /// The parts of a list cell separated by `;` or `,`, trimmed, none empty.
    func marked(_ text: String) -> [String] {
        text.split { $0 == ";" || $0 == "," }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A link written `kind:id` (`advances:gsomia`), the kind in any case, as the object
    /// the decoder checks.
    func link(_ word: String) -> JSONValue {
        guard let colon = word.firstIndex(of: ":") else { return .object(["id": .string(word)]) }
        let kind = word[..<colon].lowercased()
        return .object(["kind": .string(LinkKind.names.first { $0 == kind } ?? String(word[..<colon])),
                        "id": .string(String(word[word.index(after: colon)...]))])
    }

    /// The status change a recommendation row asks for. Without a `changeId`, its id is
    /// derived from what it says, so importing the same row again adds nothing.
    func statusChange(of recommendation: Recommendation, now: Timestamp) -> [String: JSONValue] {
        var members = strings([.happened, .note, .changeId, .recorded])
        members["id"] = .string(recommendation.id)
        members["kind"] = .string("status")
        members["status"] = word(.status, Status.names)
        members["source"] = text(.evidence).map(JSONValue.string)
        members["quote"] = text(.evidenceQuote).map(JSONValue.string)
        if members["recorded"] == nil { members["recorded"] = .string(now.text) }
        if members["changeId"] == nil {
            let said = [recommendation.catalog, recommendation.id] + [Column.status, .happened, .note, .evidence].map { text($0) ?? "" }
            members["changeId"] = .string("import-" + SHA256.hexDigest(Array(said.joined(separator: "\u{0}").utf8)).prefix(16))
        }
        return members
    }

    /// A cell holding JSON (an edit's `fields` or `previous`, a vocabulary), which the reader has
    /// already found to parse.
    func json(_ column: Column) -> JSONValue? {
        guard let value = text(column), let node = try? JSONParser.parseDocument(Array(value.utf8)) else { return nil }
        return JSONValue(node)
    }

    /// `error`, found in the JSON this row stands for, placed at the cell of the member it
    /// is about (the row's first cell when it is about the whole row).
    func relocated(_ error: TrackerError, in synthetic: SourceText, node: JSONNode, evidence: Bool) -> TrackerError {
        guard case let .badData(_, _, column?, message) = error, case .object(let members) = node.kind else {
            return start.problem(error.description)
        }
        let offset = Self.offset(ofColumn: column, in: synthetic.bytes)
        let member = members.last { $0.keyOffset <= offset }?.key
        let name = evidence ? [ "source": "evidence", "quote": "evidenceQuote" ][member ?? ""] ?? member : member
        guard let name, let column = Column(rawValue: name), let cell = cells[column] else { return start.problem(message) }
        return origin(of: cell).problem(message)
    }

    /// The byte offset of the 1-based `column` (in Unicode scalars) of one line of UTF-8.
    static func offset(ofColumn column: Int, in bytes: [UInt8]) -> Int {
        var scalars = 0
        for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
            if scalars == column - 1 { return offset }
            scalars += 1
        }
        return bytes.count
    }
}

extension JSONValue {
    /// The value a parsed node holds.
    init(_ node: JSONNode) {
        switch node.kind {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let digits): self = Int(digits).map(JSONValue.int) ?? .fraction(Double(digits) ?? 0)
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .object(let members): self = .object(Dictionary(members.map { ($0.key, JSONValue($0.value)) }) { $1 })
        }
    }
}
