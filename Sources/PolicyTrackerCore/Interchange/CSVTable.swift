/// A CSV file as RFC 4180 defines it, read into rows of cells that remember where in the
/// file they start, so an error can name its line and column.
///
/// Fields are separated by commas and records by CRLF or LF; a field in double quotes may
/// hold commas, line breaks and doubled quotes. A byte order mark is skipped, blank lines
/// are ignored, and the last record needs no line break.
public struct CSVTable: Sendable {
    /// One field of one record.
    public struct Cell: Sendable, Equatable {
        /// The field's text, quotes removed.
        public var text: String
        /// The byte offset of the field's first character.
        public var offset: Int
    }

    /// The records, the header row first.
    public var rows: [[Cell]]

    /// Parses `text`, or names the first place it is not UTF-8 or its quoting is broken.
    /// Rows with nothing in any cell (spreadsheets write `,,,` for an empty formatted row)
    /// are left out.
    public static func parse(_ text: SourceText) throws(TrackerError) -> CSVTable {
        if let offset = firstInvalidUTF8(text.bytes) {
            throw text.problem(at: offset, "not UTF-8 text (save the file as \"CSV UTF-8\")")
        }
        var parser = Parser(bytes: text.bytes, position: text.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)
        var rows: [[Cell]] = []
        while let row = try parser.record(text) {
            if parser.lastWasQuoted || row.contains(where: { !$0.text.isEmpty }) { rows.append(row) }
        }
        return CSVTable(rows: rows)
    }

    /// Where the first byte that does not belong to well-formed UTF-8 is, if any.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var position: Int
        var lastWasQuoted = false

        /// The next record, or nil at the end of the text.
        mutating func record(_ text: SourceText) throws(TrackerError) -> [Cell]? {
            guard position < bytes.count else { return nil }
            var cells: [Cell] = []
            lastWasQuoted = false
            while true {
                cells.append(try field(text))
                guard position < bytes.count else { return cells }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: ",") { continue }
                if byte == 0x0D, position < bytes.count, bytes[position] == 0x0A { position += 1 }
                return cells
            }
        }

        private mutating func field(_ text: SourceText) throws(TrackerError) -> Cell {
            let start = position
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                while position < bytes.count, ![UInt8(ascii: ","), 0x0A, 0x0D].contains(bytes[position]) {
                    if bytes[position] == UInt8(ascii: "\"") {
                        throw text.problem(at: position, "a double quote inside a field that does not start with one (quote the whole field and double the quote)")
                    }
                    position += 1
                }
                return Cell(text: String(decoding: bytes[start..<position], as: UTF8.self), offset: start)
            }
            lastWasQuoted = true
            var content: [UInt8] = []
            position += 1
            while true {
                guard position < bytes.count else { throw text.problem(at: start, "a quoted field is never closed") }
                let byte = bytes[position]
                position += 1
                if byte != UInt8(ascii: "\"") { content.append(byte); continue }
                if position < bytes.count, bytes[position] == UInt8(ascii: "\"") { content.append(byte); position += 1; continue }
                break
            }
            if position < bytes.count, ![UInt8(ascii: ","), 0x0A, 0x0D].contains(bytes[position]) {
                throw text.problem(at: position, "text after the closing quote of a field")
            }
            return Cell(text: String(decoding: content, as: UTF8.self), offset: start)
        }
    }
}

/// How ptrack writes text into CSV cells — the export's, the report's and the diff's alike —
/// so that it reads back unchanged and is safe to open: a character a terminal would act on
/// (other than tab and line feed), a first character a spreadsheet would take for a formula
/// (`=`, `+`, `-`, `@`, tab; a carriage return anywhere is a control) and a backslash that
/// starts `\u{` are written as `\u{HEX}`; everything else as it is.
public enum CSVText {
    /// The cell for `text`.
    public static func escaped(_ text: String) -> String {
        var output = ""
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let startsFormula = index == 0 && "=+-@\t".unicodeScalars.contains(scalar)
            let startsEscape = scalar == "\\" && scalars[(index + 1)...].starts(with: "u{".unicodeScalars)
            let controls = DisplayText.needsEscape(scalar) && !["\t", "\n"].contains(scalar)
            if startsFormula || startsEscape || controls {
                output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The text of a cell: every `\u{HEX}` (one to six hexadecimal digits naming a Unicode
    /// scalar) replaced by its character.
    public static func unescaped(_ cell: String) -> String {
        guard cell.contains("\\u{") else { return cell }
        var output = String.UnicodeScalarView()
        var rest = Substring(cell).unicodeScalars[...]
        while let first = rest.first {
            if first == "\\", rest.dropFirst().starts(with: "u{".unicodeScalars),
               let close = rest.prefix(10).firstIndex(of: "}") {
                let digits = String(String.UnicodeScalarView(rest[rest.index(rest.startIndex, offsetBy: 3)..<close]))
                if (1...6).contains(digits.count), let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) {
                    output.append(scalar)
                    rest = rest[rest.index(after: close)...]
                    continue
                }
            }
            output.append(first)
            rest = rest.dropFirst()
        }
        return String(output)
    }

    /// One CSV record of escaped cells, quoted where needed, ending in CRLF.
    public static func row(_ cells: [String]) -> String {
        CSV.row(cells.map(escaped))
    }
}
