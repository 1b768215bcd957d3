/// The lexical layer of strict JSON, shared by ``JSONParser`` (which builds a ``JSONNode``
/// tree) and ``JSONReader`` (which decodes straight into model values): white space,
/// strings, numbers, literals and the punctuation between members and elements.
///
/// It reads a buffer that stays valid while it runs, without bounds checks beyond its own
/// `end`, and every failure carries the message and byte offset ``JSONParser`` reports.
struct JSONScanner {
    typealias Failure = JSONParser.Failure

    /// A string value as scanned.
    enum Text {
        /// No escapes: the bytes of this range are the text, already checked as UTF-8.
        case raw(Range<Int>)
        /// The text with its escapes decoded.
        case decoded(String)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    var index: Int
    /// Where the input ends: the scanner reads nothing at or past it.
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    /// The next byte, or nil at the end of the input.
    var next: UInt8? {
        @inline(__always) get { index < end ? bytes[index] : nil }
    }

    @inline(__always)
    mutating func skipWhitespace() {
        // Compact JSON has none: one comparison decides, without a call.
        guard index < end, bytes[index] <= 0x20 else { return }
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// After a document's value: only white space may follow.
    mutating func expectEnd() throws(Failure) {
        skipWhitespace()
        if index < end {
            throw Failure(offset: index, message: "unexpected \(describe(bytes[index])) after the end of the JSON value")
        }
    }

    /// The failure for a place where a value should start.
    func expectedValue() -> Failure {
        Failure(offset: index, message: "expected a JSON value, found \(describeHere())")
    }

    // MARK: Objects and arrays

    /// Consumes the opening bracket at `index` and any white space after it; also consumes
    /// `closing` and returns true when the container is empty.
    mutating func open(closing: UInt8) -> Bool {
        index += 1
        skipWhitespace()
        guard index < end, bytes[index] == closing else { return false }
        index += 1
        return true
    }

    /// The quoted name of the next member, and the offset where it starts.
    mutating func memberName() throws(Failure) -> (text: Text, offset: Int) {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "\"") else {
            throw Failure(offset: index, message: "expected a quoted member name, found \(describeHere())")
        }
        let offset = index
        return (try scanString(), offset)
    }

    /// The `:` after a member's name, with the white space around it.
    mutating func nameSeparator() throws(Failure) {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: ":") else {
            throw Failure(offset: index, message: "expected ':' after the member name, found \(describeHere())")
        }
        index += 1
        skipWhitespace()
    }

    /// After a member or element: consumes `,` and returns false (refusing a trailing comma),
    /// or consumes the closing bracket and returns true.
    mutating func endOfItem(closing: UInt8) throws(Failure) -> Bool {
        skipWhitespace()
        guard index < end, bytes[index] == closing || bytes[index] == UInt8(ascii: ",") else {
            throw Failure(offset: index, message: "expected ',' or '\(Character(UnicodeScalar(closing)))', found \(describeHere())")
        }
        index += 1
        if bytes[index - 1] == closing { return true }
        let comma = index - 1
        skipWhitespace()
        if index < end, bytes[index] == closing {
            throw Failure(offset: comma, message: "trailing comma before '\(Character(UnicodeScalar(closing)))'")
        }
        return false
    }

    // MARK: Literals and numbers

    /// Consumes `word` (`true`, `false` or `null`), which must be next.
    mutating func expectWord(_ word: StaticString) throws(Failure) {
        let start = index
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard index < end, bytes[index] == byte else {
                throw Failure(offset: start, message: "expected '\(word)'")
            }
            index += 1
        }
    }

    /// The bytes of the number at `index`, checked against JSON's grammar.
    mutating func scanNumber() throws(Failure) -> Range<Int> {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, isDigit(bytes[index]) else {
            throw Failure(offset: index, message: "expected a digit in the number, found \(describeHere())")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < end, isDigit(bytes[index]) {
                throw Failure(offset: start, message: "numbers may not have leading zeros")
            }
        } else {
            skipDigits()
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try requireDigit(after: "the decimal point")
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            try requireDigit(after: "the exponent")
        }
        return start..<index
    }

    private mutating func requireDigit(after what: String) throws(Failure) {
        guard index < end, isDigit(bytes[index]) else {
            throw Failure(offset: index, message: "expected a digit after \(what), found \(describeHere())")
        }
        skipDigits()
    }

    private mutating func skipDigits() {
        while index < end, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: Strings

    /// The string whose opening quote is at `index`.
    mutating func scanString() throws(Failure) -> Text {
        let open = index
        index += 1
        let start = index
        try scanRun(open: open)
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return .raw(start..<index - 1)
        }
        return .decoded(try scanEscapedString(prefix: start..<index, open: open))
    }

    /// The text of a scanned string.
    func string(_ text: Text) -> String {
        switch text {
        case .raw(let range): String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        case .decoded(let string): string
        }
    }

    /// Advances to the next `"` or `\` of a string, refusing control characters, and checks
    /// the bytes passed over as UTF-8 once there.
    private mutating func scanRun(open: Int) throws(Failure) {
        let start = index
        var combined = skipPlainWords()
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                if combined & Self.highBits != 0, let invalid = firstInvalidUTF8(in: start..<index) {
                    throw Failure(offset: invalid, message: "invalid UTF-8 in a string")
                }
                return
            }
            if byte < 0x20 { throw controlCharacter(byte) }
            combined |= UInt64(byte)
            index += 1
        }
        throw Failure(offset: open, message: "unterminated string")
    }

    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Skips the string's bytes eight at a time while none of them is a `"`, a `\` or a
    /// control character; returns the bytes skipped OR-ed together.
    private mutating func skipPlainWords() -> UInt64 {
        var combined: UInt64 = 0
        guard let base = bytes.baseAddress else { return combined }
        while index + 8 <= end {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if Self.hasSpecialByte(word) { break }
            combined |= word
            index += 8
        }
        return combined
    }

    /// Whether one of the eight bytes of `word` is a `"`, a `\` or below 0x20 (the classic
    /// "has a zero byte" bit trick: a byte is flagged when subtracting 1 from it borrows).
    private static func hasSpecialByte(_ word: UInt64) -> Bool {
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- lowBits) & ~value & highBits }
        let quotes = zeroBytes(word ^ (lowBits &* UInt64(UInt8(ascii: "\""))))
        let backslashes = zeroBytes(word ^ (lowBits &* UInt64(UInt8(ascii: "\\"))))
        let controls = (word &- lowBits &* 0x20) & ~word & highBits
        return quotes | backslashes | controls != 0
    }

    private mutating func scanEscapedString(prefix: Range<Int>, open: Int) throws(Failure) -> String {
        var scalars = string(.raw(prefix)).unicodeScalars
        while bytes[index] == UInt8(ascii: "\\") {
            scalars.append(try scanEscape())
            let runStart = index
            try scanRun(open: open)
            scalars.append(contentsOf: string(.raw(runStart..<index)).unicodeScalars)
        }
        index += 1
        return String(scalars)
    }

    private mutating func scanEscape() throws(Failure) -> Unicode.Scalar {
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
        case UInt8(ascii: "u"): return try scanUnicodeEscape(escapeStart: escapeStart)
        default:
            throw Failure(offset: escapeStart, message: "invalid escape sequence '\\\(Character(UnicodeScalar(letter)))'")
        }
    }

    private mutating func scanUnicodeEscape(escapeStart: Int) throws(Failure) -> Unicode.Scalar {
        let first = try scanHex4(escapeStart: escapeStart)
        switch first {
        case 0xD800...0xDBFF:
            guard index + 1 < end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw Failure(offset: escapeStart, message: "lone high surrogate \\u\(hex(first)) without its low half")
            }
            index += 2
            let second = try scanHex4(escapeStart: escapeStart)
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

    private mutating func scanHex4(escapeStart: Int) throws(Failure) -> UInt32 {
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

    /// Where the first byte sequence of `range` that is not well-formed UTF-8 starts, or nil.
    private func firstInvalidUTF8(in range: Range<Int>) -> Int? {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let length = wellFormedLength(at: offset, before: range.upperBound)
            if length == 0 { return offset }
            offset += length
        }
        return nil
    }

    /// The length of the well-formed UTF-8 sequence at `offset` (Unicode's table 3-7:
    /// no overlong forms, no surrogates, nothing past U+10FFFF), or 0 when there is none.
    private func wellFormedLength(at offset: Int, before limit: Int) -> Int {
        let lead = bytes[offset]
        if lead < 0x80 { return 1 }
        // The sequence's length, and the range of its second byte (comparisons rather than
        // range patterns, which the optimiser leaves as generic calls here).
        let length: Int, low: UInt8, high: UInt8
        if lead >= 0xC2 && lead <= 0xDF {
            (length, low, high) = (2, 0x80, 0xBF)
        } else if lead >= 0xE0 && lead <= 0xEF {
            (length, low, high) = (3, lead == 0xE0 ? 0xA0 : 0x80, lead == 0xED ? 0x9F : 0xBF)
        } else if lead >= 0xF0 && lead <= 0xF4 {
            (length, low, high) = (4, lead == 0xF0 ? 0x90 : 0x80, lead == 0xF4 ? 0x8F : 0xBF)
        } else {
            return 0
        }
        guard offset + length <= limit, bytes[offset + 1] >= low, bytes[offset + 1] <= high else { return 0 }
        for continuation in offset + 2..<offset + length where bytes[continuation] & 0xC0 != 0x80 { return 0 }
        return length
    }

    private func controlCharacter(_ byte: UInt8) -> Failure {
        let name = byte == 0x0A ? "a raw line break" : "control character U+00\(hex(UInt32(byte)).suffix(2))"
        return Failure(offset: index, message: "\(name) inside a string (write it as an escape)")
    }

    // MARK: Describing bytes

    private func describeHere() -> String {
        index < end ? describe(bytes[index]) : "the end of the input"
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(UnicodeScalar(byte)))'" }
        return "byte 0x\(hex(UInt32(byte)).suffix(2))"
    }
}
