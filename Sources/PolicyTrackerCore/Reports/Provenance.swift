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

    /// The provenance of a report over `catalogs`, for the data with these `digests`.
    public init(catalogs: [Catalog], asOf: PolicyDate, generated: Timestamp, filters: String, digests: DataDigests) {
        self.catalogs = catalogs.map { "\($0.id) \($0.version)" }.joined(separator: "; ")
        self.asOf = asOf.text
        self.generated = generated.text
        self.filters = filters
        (dataSHA256, catalogSHA256, logBytes) = (digests.data, digests.catalog, digests.logBytes)
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
        var check = Check(self)
        catalog.withUnsafeBufferPointer { check.addCatalog($0) }
        guard check.endCatalog() else { return .catalogChanged }
        log.withUnsafeBufferPointer { check.addLog($0) }
        return check.verdict
    }

    /// ``verdict(catalog:log:)`` fed the files in pieces as they are read, so that neither
    /// is held whole: the catalog's pieces, ``endCatalog()``, the log's pieces, then
    /// ``verdict``. The catalog is hashed once: the hash of the catalog followed by the log
    /// is, part-way, the catalog's own.
    public struct Check {
        private let provenance: Provenance
        private var data = SHA256()
        private var catalogMatches: Bool?
        /// The log's bytes seen so far.
        private var logBytes = 0
        /// The lines seen past the report's log.
        private var appended = 0

        public init(_ provenance: Provenance) {
            self.provenance = provenance
        }

        /// Adds the next piece of catalog.json.
        public mutating func addCatalog(_ bytes: UnsafeBufferPointer<UInt8>) {
            precondition(catalogMatches == nil, "the catalog was ended")
            data.update(bytes)
        }

        /// Ends the catalog; false when it is not the one the report was built from.
        public mutating func endCatalog() -> Bool {
            let matches = catalogMatches ?? (data.hexDigest() == provenance.catalogSHA256)
            catalogMatches = matches
            return matches
        }

        /// Adds the next piece of changes.jsonl.
        public mutating func addLog(_ bytes: UnsafeBufferPointer<UInt8>) {
            precondition(catalogMatches != nil, "the catalog was not ended")
            let hashed = min(bytes.count, max(0, provenance.logBytes - logBytes))
            if hashed > 0 { data.update(UnsafeBufferPointer(rebasing: bytes[..<hashed])) }
            appended += bytes[hashed...].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            logBytes += bytes.count
        }

        /// What the check found, once all of both files was added.
        public var verdict: Verdict {
            guard catalogMatches == true else { return .catalogChanged }
            guard logBytes >= provenance.logBytes, data.hexDigest() == provenance.dataSHA256 else {
                return .logRewritten(nowBytes: logBytes)
            }
            return appended == 0 && logBytes == provenance.logBytes ? .matches : .appended(changes: appended)
        }
    }
}

extension Provenance {
    /// Writes the text block: `Provenance`, then a `  name  value` line per field.
    public func writeText(style: TextStyle, to output: inout some TextOutputStream) {
        output.write("\n" + style.bold("Provenance") + "\n")
        for field in fields {
            output.write("  \(DisplayText.padded(field.name, to: 15)) \(DisplayText.sanitized(field.value))\n")
        }
    }

    /// Writes the Markdown section: `## Provenance` and a table of the fields.
    public func writeMarkdown(to output: inout some TextOutputStream) {
        output.write("\n## Provenance\n\nBuilt from the data these digests identify; `ptrack verify FILE` checks that the tracker still holds it.\n\n")
        output.write("| Field | Value |\n| --- | --- |\n")
        for field in fields {
            let value = field.name.hasSuffix("sha256") ? "`\(field.value)`" : Markdown.escaped(field.value)
            output.write("| \(field.name) | \(value) |\n")
        }
    }
}

extension Provenance {
    /// Reads the provenance block of a report in any format ptrack writes, found by its
    /// contents; `path` names the file in errors, which point at the line at fault.
    public static func parse(_ text: String, path: String) throws(TrackerError) -> Provenance {
        let (found, lineCount) = fields(in: text)
        guard let found else {
            throw .badData(path: path, line: max(1, lineCount - 1), column: nil, message: "no provenance found (a report written by `ptrack report` ends with one)")
        }
        return try Provenance(found.fields, path: path, line: found.line)
    }

    /// ``parse(_:path:)`` of a report's bytes. Every format but JSON ends with its
    /// provenance, so the last 64 KiB are read first, and the whole only when they hold none.
    public static func parse(bytes: [UInt8], path: String) throws(TrackerError) -> Provenance {
        let tail = max(0, bytes.count - 65_536)
        if tail > 0, bytes.first != UInt8(ascii: "{"), let newline = bytes[tail...].firstIndex(of: 0x0A),
           case let (found?, _) = fields(in: String(decoding: bytes[(newline + 1)...], as: UTF8.self)) {
            let skipped = bytes[...newline].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            return try Provenance(found.fields, path: path, line: skipped + found.line)
        }
        return try parse(String(decoding: bytes, as: UTF8.self), path: path)
    }

    /// The provenance's fields in `text` with the line they start on, found by the format's
    /// own marks, and how many lines `text` has (which only a failure uses: 0 for a JSON
    /// report whose provenance was found).
    private static func fields(in text: String) -> (found: (line: Int, fields: [String: String])?, lineCount: Int) {
        // A JSON report is not split into lines, which at 100,000 items cost more than
        // hashing the data it checks; its lines are counted only when it has no provenance
        // (a CRLF ending holds one line feed, as it is one line).
        if text.first == "{" {
            let found = jsonFields(Array(text.utf8))
            return (found, found == nil ? lineFeeds(text.utf8) + 1 : 0)
        }
        // A CRLF ending is one Character in Swift.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { stripped(String($0)) }
        let found: (line: Int, fields: [String: String])?
        if let start = lines.lastIndex(where: { $0.hasPrefix("<section id=\"provenance\"") }) {
            found = (start + 1, htmlFields(lines[(start + 1)...]))
        } else if lines.first?.hasPrefix("dimension,") == true {
            found = csvFields(lines)
        } else if let start = lines.lastIndex(of: "## Provenance") {
            found = (start + 1, markdownFields(lines[(start + 1)...]))
        } else if let start = lines.lastIndex(of: "Provenance") {
            found = (start + 1, textFields(lines[(start + 1)...]))
        } else {
            // The CSV report's rows, read from its end.
            found = csvFields(lines)
        }
        return (found, lines.count)
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
            let cells = markdownCells(line)
            if cells.count >= 2 { fields[cells[0]] = cells[1] }
        }
        return fields
    }

    /// The cells of a Markdown table row, backslash escapes undone and code spans opened.
    private static func markdownCells(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for character in line.dropFirst() {
            if escaped {
                cell.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(cell.trimmingCharacters(in: CharacterSet(charactersIn: " `")))
                cell = ""
            } else {
                cell.append(character)
            }
        }
        return cells
    }

    /// The HTML rows `<tr><th scope="row">name</th><td>value</td></tr>` of the provenance
    /// section, up to its end; values lose their markup and escapes.
    private static func htmlFields(_ lines: ArraySlice<String>) -> [String: String] {
        var fields: [String: String] = [:]
        let opening = "<tr><th scope=\"row\">"
        for line in lines.prefix(while: { $0 != "</section>" }) where line.hasPrefix(opening) {
            let cells = line.dropFirst(opening.count).components(separatedBy: "</th><td>")
            guard cells.count == 2 else { continue }
            let value = cells[1].replacingOccurrences(of: "</td></tr>", with: "")
                .replacingOccurrences(of: "<code>", with: "").replacingOccurrences(of: "</code>", with: "")
            fields[cells[0]] = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#x27;", "'"), ("&amp;", "&")]
                .reduce(value) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        }
        return fields
    }

    /// The CSV rows `provenance,name,value,,,asOf`.
    private static func csvFields(_ lines: [String]) -> (Int, [String: String])? {
        var fields: [String: String] = [:]
        var first: Int?
        for (index, line) in lines.enumerated() where line.hasPrefix("provenance,") {
            let cells = csvCells(line)
            if cells.count >= 3 { fields[CSVText.unescaped(cells[1])] = CSVText.unescaped(cells[2]) }
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

    /// The JSON report's `provenance` object, read back under the text names. The member is
    /// found by a scan of the document, which checks it without building it, and only its
    /// value is parsed.
    private static func jsonFields(_ bytes: [UInt8]) -> (Int, [String: String])? {
        guard let member = try? JSONParser.member("provenance", of: bytes),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes[member.value])) as? [String: Any] else { return nil }
        var fields: [String: String] = [:]
        for field in names {
            if let value = object[field.jsonName] { fields[field.name] = "\(value)" }
        }
        return (lineFeeds(bytes[..<member.nameOffset]) + 1, fields)
    }

    private static func lineFeeds(_ bytes: some Sequence<UInt8>) -> Int {
        bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
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
        if let actor { parts.append("actor \(actor.id)") }
        if let catalog { parts.append("catalog \(catalog)") }
        if watchedOnly { parts.append("watched") }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }
}
