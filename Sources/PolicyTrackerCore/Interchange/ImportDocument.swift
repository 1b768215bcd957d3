/// What a file given to `ptrack import` holds, read and checked on its own: catalogs,
/// sources, recommendations as published and changes, each with where it came from.
public struct ImportDocument: Sendable {
    /// The catalogs, as `catalog.json` holds them.
    public var catalogs: [Located<Catalog>] = []
    /// The sources, as `catalog.json` holds them.
    public var sources: [Located<Source>] = []
    /// The recommendations as published.
    public var recommendations: [Located<Recommendation>] = []
    /// The changes, in the order to append them.
    public var changes: [Located<Change>] = []

    public init() {}

    /// Whether a recommendation of the file, or one a change of it adds, is in `catalog`.
    func names(catalog: String) -> Bool {
        recommendations.contains { $0.value.catalog == catalog } || changes.contains { entry in
            if case .add(let recommendation) = entry.value.kind { recommendation.catalog == catalog } else { false }
        }
    }
}

/// A value read from a file, with the place it was read from.
public struct Located<Value: Sendable>: Sendable {
    /// What was read.
    public var value: Value
    /// Where it was read.
    public var origin: Origin
    /// True for a change whose id ptrack derived from what it says (a status on a CSV
    /// recommendation row): it is the same change when its id and item are.
    public var isDerived = false

    public init(_ value: Value, _ origin: Origin, isDerived: Bool = false) {
        self.value = value
        self.origin = origin
        self.isDerived = isDerived
    }
}

/// Where in an imported file something was read: a byte offset in the file's text, and a
/// label a person recognises (`row 4` in CSV, `$.recommendations[3]` in JSON). The line and
/// column are worked out only for a problem, since that takes a pass over the text before.
public struct Origin: Sendable {
    let text: SourceText
    let offset: Int
    /// What a person calls the place: `row 4`, `$.recommendations[3]`.
    public let label: String

    public init(_ text: SourceText, offset: Int, label: String) {
        self.text = text
        self.offset = offset
        self.label = label
    }

    /// The line the value starts on.
    public var line: Int { text.position(of: offset).line }

    /// A problem with what was read here.
    public func problem(_ message: String) -> TrackerError {
        text.problem(at: offset, "\(label): \(message)")
    }
}

extension TrackerError {
    /// A problem found by a decoder, its message prefixed by `label` (the row or JSON path).
    func labelled(_ label: String) -> TrackerError {
        guard case let .badData(path, line, column, message) = self else { return self }
        return .badData(path: path, line: line, column: column, message: "\(label): \(message)")
    }
}

/// The forms `ptrack import` reads and `ptrack export` writes losslessly.
public enum InterchangeFormat: String, CaseIterable, Sendable {
    case json, csv

    /// The form a file's name suggests (`.json` or `.csv`, in any case), if any.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }
}

extension ImportDocument {
    /// Reads `text` in `format`; throws every problem found, each at its row or JSON path.
    /// - Parameters:
    ///   - defaults: for CSV, the catalog and source of recommendation rows that name none.
    ///   - now: for CSV, the recording time of statuses given on recommendation rows.
    public static func read(_ text: SourceText, format: InterchangeFormat, defaults: RowDefaults, now: Timestamp) throws(TrackerError) -> ImportDocument {
        let (document, problems) = switch format {
        case .json: JSONImport.read(text)
        case .csv: CSVInterchange.read(text, defaults: defaults, now: now)
        }
        guard problems.isEmpty else { throw .several(problems) }
        return document
    }
}
