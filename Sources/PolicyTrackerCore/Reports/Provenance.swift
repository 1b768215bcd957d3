import Foundation

/// What a report was built from, written into every report so a reader can check a quoted
/// report against the tracker later (`ptrack verify`). "The data" is the exact bytes of
/// `catalog.json` followed by the exact bytes of `changes.jsonl` as they were when the
/// report was made; the log's length is kept too, so a check can tell changes appended
/// since from a log rewritten.
public struct Provenance: Equatable, Sendable {
    /// Each catalog as `id version`, separated by `; `.
    public var catalogs: String
    public var asOf: String
    public var generated: String
    /// The filters that chose the items, or `none`.
    public var filters: String
    /// SHA-256 of catalog.json followed by changes.jsonl.
    public var dataSHA256: String
    /// SHA-256 of catalog.json alone.
    public var catalogSHA256: String
    /// The length of changes.jsonl in bytes.
    public var logBytes: Int

    /// The provenance of a report over `catalogs`, for the data `catalog` and `log`.
    public init(catalogs: [Catalog], asOf: PolicyDate, generated: Timestamp, filters: String, catalog: [UInt8], log: [UInt8]) {
        self.catalogs = catalogs.map { "\($0.id) \($0.version)" }.joined(separator: "; ")
        self.asOf = asOf.text
        self.generated = generated.text
        self.filters = filters
        (dataSHA256, catalogSHA256, logBytes) = Self.digests(catalog: catalog, log: log)
    }

    private static func digests(catalog: [UInt8], log: [UInt8]) -> (data: String, catalog: String, logBytes: Int) {
        var data = SHA256()
        data.update(catalog)
        data.update(log)
        return (data.hexDigest(), SHA256.hexDigest(catalog), log.count)
    }

    /// The fields in the order reports write them: the name used in text, Markdown and CSV,
    /// the JSON member's name, and the value.
    public var fields: [(name: String, jsonName: String, value: String)] {
        let values = [catalogs, asOf, generated, filters, dataSHA256, catalogSHA256, String(logBytes)]
        return zip(Self.names, values).map { ($0.name, $0.jsonName, $1) }
    }

    static let names: [(name: String, jsonName: String)] = [
        ("catalogs", "catalogs"), ("as-of", "asOf"), ("generated", "generated"), ("filters", "filters"),
        ("data-sha256", "dataSha256"), ("catalog-sha256", "catalogSha256"), ("log-bytes", "logBytes"),
    ]

    /// What a check of the data against a report found.
    public enum Verdict: Equatable, Sendable {
        case matches
        case catalogChanged
        /// `changes` lines were appended to an otherwise unchanged log.
        case appended(changes: Int)
        /// The log is not the report's log with lines appended.
        case logRewritten(nowBytes: Int)
    }

    /// Compares the tracker's current `catalog` and `log` with the data the report recorded.
    public func verdict(catalog: [UInt8], log: [UInt8]) -> Verdict {
        guard SHA256.hexDigest(catalog) == catalogSHA256 else { return .catalogChanged }
        guard log.count >= logBytes else { return .logRewritten(nowBytes: log.count) }
        var data = SHA256()
        data.update(catalog)
        log.withUnsafeBufferPointer { data.update(UnsafeBufferPointer(rebasing: $0[..<logBytes])) }
        guard data.hexDigest() == dataSHA256 else { return .logRewritten(nowBytes: log.count) }
        let appended = log[logBytes...].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        return appended == 0 && log.count == logBytes ? .matches : .appended(changes: appended)
    }
}

extension Provenance {
    /// Reads the provenance block of a report in any format ptrack writes, found by its
    /// contents; `path` names the file in errors, which point at the line at fault.
    public static func parse(_ text: String, path: String) throws(TrackerError) -> Provenance {
        // A CRLF ending is one Character in Swift.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { stripped(String($0)) }
        let found: (line: Int, fields: [String: String])?
        if text.first == "{" {
            found = jsonFields(text)
        } else if lines.first?.hasPrefix("dimension,") == true {
            found = csvFields(lines)
        } else if let start = lines.firstIndex(of: "## Provenance") {
            found = (start + 1, markdownFields(lines[(start + 1)...]))
        } else if let start = lines.firstIndex(of: "Provenance") {
            found = (start + 1, textFields(lines[(start + 1)...]))
        } else {
            found = nil
        }
        guard let found else {
            throw .badData(path: path, line: max(1, lines.count - 1), column: nil, message: "no provenance found (a report written by `ptrack report` ends with one)")
        }
        return try Provenance(found.fields, path: path, line: found.line)
    }

    private init(_ fields: [String: String], path: String, line: Int) throws(TrackerError) {
        func value(_ name: String) throws(TrackerError) -> String {
            guard let value = fields[name] else { throw .badData(path: path, line: line, column: nil, message: "the provenance has no \(name)") }
            return value
        }
        catalogs = fields["catalogs"] ?? ""
        asOf = fields["as-of"] ?? ""
        generated = fields["generated"] ?? ""
        filters = fields["filters"] ?? ""
        dataSHA256 = try value("data-sha256")
        catalogSHA256 = try value("catalog-sha256")
        let isHex = { (text: String) in text.count == 64 && text.allSatisfy { "0123456789abcdef".contains($0) } }
        guard isHex(dataSHA256), isHex(catalogSHA256), let bytes = Int(try value("log-bytes")), bytes >= 0 else {
            throw .badData(path: path, line: line, column: nil, message: "the provenance's digests or log length are malformed")
        }
        logBytes = bytes
    }

    /// The text block: `  name  value` lines under `Provenance`, up to a blank line.
    private static func textFields(_ lines: ArraySlice<String>) -> [String: String] {
        var fields: [String: String] = [:]
        for line in lines {
            guard line.hasPrefix("  ") else { break }
            let parts = line.drop { $0 == " " }.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return fields
    }

    /// The Markdown block: `| name | value |` rows under `## Provenance`.
    private static func markdownFields(_ lines: ArraySlice<String>) -> [String: String] {
        var fields: [String: String] = [:]
        for line in lines.drop(while: { !$0.hasPrefix("|") }) {
            guard line.hasPrefix("| ") else { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }
            if cells.count >= 2 { fields[cells[0]] = cells[1] }
        }
        return fields
    }

    /// The CSV rows `provenance,name,value,,,asOf`.
    private static func csvFields(_ lines: [String]) -> (Int, [String: String])? {
        var fields: [String: String] = [:]
        var first: Int?
        for (index, line) in lines.enumerated() where line.hasPrefix("provenance,") {
            let cells = csvCells(line)
            if cells.count >= 3 { fields[cells[1]] = cells[2] }
            first = first ?? index + 1
        }
        return first.map { ($0, fields) }
    }

    /// The fields of one CSV line, quotes undone (a provenance row never spans lines).
    private static func csvCells(_ line: String) -> [String] {
        var cells = [""]
        var quoted = false
        var previous: Character?
        for character in line {
            switch (character, quoted) {
            case (",", false): cells.append("")
            case ("\"", _):
                quoted.toggle()
                if quoted, previous == "\"" { cells[cells.count - 1].append("\"") }
            default: cells[cells.count - 1].append(character)
            }
            previous = character
        }
        return cells
    }

    /// The JSON report's `provenance` object, read back under the text names.
    private static func jsonFields(_ text: String) -> (Int, [String: String])? {
        guard let document = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let object = document["provenance"] as? [String: Any] else { return nil }
        var fields: [String: String] = [:]
        for field in names {
            if let value = object[field.jsonName] { fields[field.name] = "\(value)" }
        }
        return (lineOfProvenance(text), fields)
    }

    private static func lineOfProvenance(_ text: String) -> Int {
        guard let range = text.range(of: "\"provenance\"") else { return 1 }
        return text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// `line` without terminal color sequences.
    private static func stripped(_ line: String) -> String {
        var result = ""
        var inEscape = false
        for character in line {
            if character == "\u{1B}" { inEscape = true } else if inEscape { inEscape = character != "m" } else { result.append(character) }
        }
        return result
    }
}

extension ItemFilter {
    /// The filter in words for a report's provenance: `none`, or e.g.
    /// `status partial, stalled; category security; actor US; watched`.
    public var summary: String {
        var parts: [String] = []
        if !statuses.isEmpty {
            parts.append("status " + Status.allCases.filter(statuses.contains).map(\.rawValue).joined(separator: ", "))
        }
        if let category { parts.append("category \(category)") }
        if let actor { parts.append("actor \(actor.rawValue)") }
        if let catalog { parts.append("catalog \(catalog)") }
        if watchedOnly { parts.append("watched") }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }
}
