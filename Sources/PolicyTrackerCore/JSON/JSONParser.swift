/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Unlike Foundation's decoders on Linux it reports where a document is wrong, and it refuses
/// what they let through silently: trailing commas, duplicate keys, invalid UTF-8, lone
/// surrogates, unescaped control characters and nesting deeper than ``maximumDepth``.
public struct JSONParser {
    /// Nesting deeper than this is refused rather than risking the stack.
    public static let maximumDepth = 256

    private let bytes: [UInt8]
    private var index: Int
    private var depth = 0

    /// A parse failure at a byte offset of the buffer.
    public struct Failure: Error, Sendable {
        public var offset: Int
        public var message: String
    }

    private init(bytes: [UInt8], start: Int) {
        self.bytes = bytes
        self.index = start
    }

    /// Parses `bytes` as exactly one JSON document (a leading UTF-8 byte order mark is skipped).
    public static func parseDocument(_ bytes: [UInt8]) throws(Failure) -> JSONNode {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var parser = JSONParser(bytes: bytes, start: start)
        return try parser.parseWhole(until: bytes.count)
    }

    /// Parses the bytes `range` of `bytes` as one JSON document; offsets stay relative to `bytes`.
    public static func parseDocument(_ bytes: [UInt8], in range: Range<Int>) throws(Failure) -> JSONNode {
        var parser = JSONParser(bytes: bytes, start: range.lowerBound)
        return try parser.parseWhole(until: range.upperBound)
    }

    private mutating func parseWhole(until end: Int) throws(Failure) -> JSONNode {
        skipWhitespace(until: end)
        guard index < end else { throw Failure(offset: index, message: "expected a JSON value, found the end of the input") }
        let node = try parseValue(until: end)
        skipWhitespace(until: end)
        if index < end {
            throw Failure(offset: index, message: "unexpected \(describe(bytes[index])) after the end of the JSON value")
        }
        return node
    }

    // MARK: Values

    private mutating func parseValue(until end: Int) throws(Failure) -> JSONNode {
        let start = index
        guard index < end else { throw Failure(offset: index, message: "expected a JSON value, found the end of the input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return JSONNode(kind: .object(try parseObject(until: end)), offset: start)
        case UInt8(ascii: "["): return JSONNode(kind: .array(try parseArray(until: end)), offset: start)
        case UInt8(ascii: "\""): return JSONNode(kind: .string(try parseString(until: end)), offset: start)
        case UInt8(ascii: "t"): try expectWord("true", until: end); return JSONNode(kind: .bool(true), offset: start)
        case UInt8(ascii: "f"): try expectWord("false", until: end); return JSONNode(kind: .bool(false), offset: start)
        case UInt8(ascii: "n"): try expectWord("null", until: end); return JSONNode(kind: .null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(kind: .number(try parseNumber(until: end)), offset: start)
        default:
            throw Failure(offset: index, message: "expected a JSON value, found \(describe(bytes[index]))")
        }
    }

    private mutating func enterContainer() throws(Failure) {
        depth += 1
        if depth > Self.maximumDepth {
            throw Failure(offset: index, message: "nesting deeper than \(Self.maximumDepth) levels")
        }
    }

    private mutating func parseObject(until end: Int) throws(Failure) -> [JSONNode.Member] {
        try enterContainer()
        defer { depth -= 1 }
        index += 1
        var members: [JSONNode.Member] = []
        var seen: Set<String>?
        skipWhitespace(until: end)
        if index < end, bytes[index] == UInt8(ascii: "}") { index += 1; return members }
        while true {
            skipWhitespace(until: end)
            guard index < end, bytes[index] == UInt8(ascii: "\"") else {
                throw Failure(offset: index, message: "expected a quoted member name, found \(describeHere(end))")
            }
            let keyOffset = index
            let key = try parseString(until: end)
            if Self.isDuplicate(key, in: members, seen: &seen) {
                throw Failure(offset: keyOffset, message: "duplicate key \"\(key)\"")
            }
            skipWhitespace(until: end)
            try expect(UInt8(ascii: ":"), "':' after the member name", until: end)
            skipWhitespace(until: end)
            members.append(.init(key: key, keyOffset: keyOffset, value: try parseValue(until: end)))
            skipWhitespace(until: end)
            if try endOfContainer(closing: UInt8(ascii: "}"), until: end) { return members }
        }
    }

    /// Whether `key` is already a member. Objects of ptrack's files have a handful of
    /// members, where a linear check beats building a set; a large object gets a set, so a
    /// hostile file with many keys costs no more than linear time.
    private static func isDuplicate(_ key: String, in members: [JSONNode.Member], seen: inout Set<String>?) -> Bool {
        if seen == nil, members.count < 16 { return members.contains { $0.key == key } }
        if seen == nil { seen = Set(members.map(\.key)) }
        return !seen!.insert(key).inserted
    }

    private mutating func parseArray(until end: Int) throws(Failure) -> [JSONNode] {
        try enterContainer()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONNode] = []
        skipWhitespace(until: end)
        if index < end, bytes[index] == UInt8(ascii: "]") { index += 1; return elements }
        while true {
            skipWhitespace(until: end)
            elements.append(try parseValue(until: end))
            skipWhitespace(until: end)
            if try endOfContainer(closing: UInt8(ascii: "]"), until: end) { return elements }
        }
    }

    /// After a member or element: consumes `,` (and refuses a trailing comma) or the closing bracket.
    private mutating func endOfContainer(closing: UInt8, until end: Int) throws(Failure) -> Bool {
        guard index < end else {
            throw Failure(offset: index, message: "expected ',' or '\(Character(UnicodeScalar(closing)))', found the end of the input")
        }
        if bytes[index] == closing { index += 1; return true }
        guard bytes[index] == UInt8(ascii: ",") else {
            throw Failure(offset: index, message: "expected ',' or '\(Character(UnicodeScalar(closing)))', found \(describe(bytes[index]))")
        }
        let comma = index
        index += 1
        skipWhitespace(until: end)
        if index < end, bytes[index] == closing {
            throw Failure(offset: comma, message: "trailing comma before '\(Character(UnicodeScalar(closing)))'")
        }
        return false
    }

    // MARK: Scalars

    private mutating func parseNumber(until end: Int) throws(Failure) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, isDigit(bytes[index]) else {
            throw Failure(offset: index, message: "expected a digit in the number, found \(describeHere(end))")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < end, isDigit(bytes[index]) {
                throw Failure(offset: start, message: "numbers may not have leading zeros")
            }
        } else {
            skipDigits(until: end)
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try requireDigit(until: end, after: "the decimal point")
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            try requireDigit(until: end, after: "the exponent")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func requireDigit(until end: Int, after what: String) throws(Failure) {
        guard index < end, isDigit(bytes[index]) else {
            throw Failure(offset: index, message: "expected a digit after \(what), found \(describeHere(end))")
        }
        skipDigits(until: end)
    }

    private mutating func skipDigits(until end: Int) {
        while index < end, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func parseString(until end: Int) throws(Failure) -> String {
        let open = index
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes are the string once validated as UTF-8.
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try validatedText(start..<index)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacter(byte) }
            index += 1
        }
        guard index < end else { throw Failure(offset: open, message: "unterminated string") }
        return try parseEscapedString(prefix: start..<index, open: open, until: end)
    }

    private mutating func parseEscapedString(prefix: Range<Int>, open: Int, until end: Int) throws(Failure) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: try validatedText(prefix).unicodeScalars)
        var runStart = index
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                scalars.append(contentsOf: try validatedText(runStart..<index).unicodeScalars)
                if byte == UInt8(ascii: "\"") { index += 1; return String(scalars) }
                scalars.append(try parseEscape(until: end))
                runStart = index
                continue
            }
            if byte < 0x20 { throw controlCharacter(byte) }
            index += 1
        }
        throw Failure(offset: open, message: "unterminated string")
    }

    private mutating func parseEscape(until end: Int) throws(Failure) -> Unicode.Scalar {
        let escapeStart = index
        index += 1
        guard index < end else { throw Failure(offset: escapeStart, message: "unterminated escape sequence") }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): return try parseUnicodeEscape(escapeStart: escapeStart, until: end)
        default:
            throw Failure(offset: escapeStart, message: "invalid escape sequence '\\\(Character(UnicodeScalar(letter)))'")
        }
    }

    private mutating func parseUnicodeEscape(escapeStart: Int, until end: Int) throws(Failure) -> Unicode.Scalar {
        let first = try parseHex4(escapeStart: escapeStart, until: end)
        switch first {
        case 0xD800...0xDBFF:
            guard index + 1 < end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw Failure(offset: escapeStart, message: "lone high surrogate \\u\(hex(first)) without its low half")
            }
            index += 2
            let second = try parseHex4(escapeStart: escapeStart, until: end)
            guard (0xDC00...0xDFFF).contains(second) else {
                throw Failure(offset: escapeStart, message: "high surrogate \\u\(hex(first)) followed by \\u\(hex(second)), not a low surrogate")
            }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
        case 0xDC00...0xDFFF:
            throw Failure(offset: escapeStart, message: "lone low surrogate \\u\(hex(first))")
        default:
            return Unicode.Scalar(first)!
        }
    }

    private mutating func parseHex4(escapeStart: Int, until end: Int) throws(Failure) -> UInt32 {
        guard index + 4 <= end else { throw Failure(offset: escapeStart, message: "\\u needs four hexadecimal digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexDigit(bytes[index]) else {
                throw Failure(offset: escapeStart, message: "\\u needs four hexadecimal digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private func validatedText(_ range: Range<Int>) throws(Failure) -> String {
        if let text = String(validating: bytes[range], as: UTF8.self) { return text }
        throw Failure(offset: firstInvalidUTF8(in: range), message: "invalid UTF-8 in a string")
    }

    private func firstInvalidUTF8(in range: Range<Int>) -> Int {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let length = utf8SequenceLength(bytes[offset])
            if length == 0 || offset + length > range.upperBound
                || String(validating: bytes[offset..<offset + length], as: UTF8.self) == nil {
                return offset
            }
            offset += length
        }
        return range.lowerBound
    }

    private func utf8SequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    private func controlCharacter(_ byte: UInt8) -> Failure {
        let name = byte == 0x0A ? "a raw line break" : "control character U+00\(hex(UInt32(byte)).suffix(2))"
        return Failure(offset: index, message: "\(name) inside a string (write it as an escape)")
    }

    // MARK: Helpers

    private mutating func expectWord(_ word: StaticString, until end: Int) throws(Failure) {
        let start = index
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard index < end, bytes[index] == byte else {
                throw Failure(offset: start, message: "expected '\(word)'")
            }
            index += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String, until end: Int) throws(Failure) {
        guard index < end, bytes[index] == byte else {
            throw Failure(offset: index, message: "expected \(what), found \(describeHere(end))")
        }
        index += 1
    }

    private mutating func skipWhitespace(until end: Int) {
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func describeHere(_ end: Int) -> String {
        index < end ? describe(bytes[index]) : "the end of the input"
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(UnicodeScalar(byte)))'" }
        return "byte 0x\(hex(UInt32(byte)).suffix(2))"
    }
}
