/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Unlike Foundation's decoders on Linux it reports where a document is wrong, and it refuses
/// what they let through silently: trailing commas, duplicate keys, invalid UTF-8, lone
/// surrogates, unescaped control characters and nesting deeper than ``maximumDepth``.
public struct JSONParser {
    /// Nesting deeper than this is refused rather than risking the stack.
    public static let maximumDepth = 256

    private var scanner: JSONScanner
    private var depth = 0

    /// A parse failure at a byte offset of the buffer.
    public struct Failure: Error, Sendable {
        public var offset: Int
        public var message: String
    }

    private init(_ scanner: JSONScanner) {
        self.scanner = scanner
    }

    /// Parses `bytes` as exactly one JSON document (a leading UTF-8 byte order mark is skipped).
    public static func parseDocument(_ bytes: [UInt8]) throws(Failure) -> JSONNode {
        try parseDocument(bytes, in: documentStart(bytes)..<bytes.count)
    }

    /// Parses the bytes `range` of `bytes` as one JSON document; offsets stay relative to `bytes`.
    public static func parseDocument(_ bytes: [UInt8], in range: Range<Int>) throws(Failure) -> JSONNode {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            var parser = JSONParser(JSONScanner(buffer, in: range))
            return try parser.parseWhole()
        }
    }

    /// Where a whole file's document starts: after its UTF-8 byte order mark, if any.
    static func documentStart(_ bytes: [UInt8]) -> Int {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    private mutating func parseWhole() throws(Failure) -> JSONNode {
        scanner.skipWhitespace()
        let node = try parseValue()
        try scanner.expectEnd()
        return node
    }

    // MARK: Values

    private mutating func parseValue() throws(Failure) -> JSONNode {
        let start = scanner.index
        guard let first = scanner.next else { throw scanner.expectedValue() }
        switch first {
        case UInt8(ascii: "{"): return JSONNode(kind: .object(try parseObject()), offset: start)
        case UInt8(ascii: "["): return JSONNode(kind: .array(try parseArray()), offset: start)
        case UInt8(ascii: "\""): return JSONNode(kind: .string(scanner.string(try scanner.scanString())), offset: start)
        case UInt8(ascii: "t"): try scanner.expectWord("true"); return JSONNode(kind: .bool(true), offset: start)
        case UInt8(ascii: "f"): try scanner.expectWord("false"); return JSONNode(kind: .bool(false), offset: start)
        case UInt8(ascii: "n"): try scanner.expectWord("null"); return JSONNode(kind: .null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let digits = try scanner.scanNumber()
            return JSONNode(kind: .number(scanner.string(.raw(digits))), offset: start)
        default:
            throw scanner.expectedValue()
        }
    }

    private mutating func enterContainer() throws(Failure) {
        depth += 1
        if depth > Self.maximumDepth {
            throw Failure(offset: scanner.index, message: "nesting deeper than \(Self.maximumDepth) levels")
        }
    }

    private mutating func parseObject() throws(Failure) -> [JSONNode.Member] {
        try enterContainer()
        defer { depth -= 1 }
        var members: [JSONNode.Member] = []
        if scanner.open(closing: UInt8(ascii: "}")) { return members }
        var seen: Set<String>?
        repeat {
            let name = try scanner.memberName()
            let key = scanner.string(name.text)
            if Self.isDuplicate(key, in: members, seen: &seen) {
                throw Failure(offset: name.offset, message: "duplicate key \(DisplayText.quoted(key))")
            }
            try scanner.nameSeparator()
            members.append(.init(key: key, keyOffset: name.offset, value: try parseValue()))
        } while try !scanner.endOfItem(closing: UInt8(ascii: "}"))
        return members
    }

    /// Whether `key` is already a member. Objects of ptrack's files have a handful of
    /// members, where a linear check beats building a set; a large object gets a set, so a
    /// hostile file with many keys costs no more than linear time.
    private static func isDuplicate(_ key: String, in members: [JSONNode.Member], seen: inout Set<String>?) -> Bool {
        if seen == nil, members.count < 16 { return members.contains { $0.key == key } }
        if seen == nil { seen = Set(members.map(\.key)) }
        return !seen!.insert(key).inserted
    }

    private mutating func parseArray() throws(Failure) -> [JSONNode] {
        try enterContainer()
        defer { depth -= 1 }
        var elements: [JSONNode] = []
        if scanner.open(closing: UInt8(ascii: "]")) { return elements }
        repeat {
            scanner.skipWhitespace()
            elements.append(try parseValue())
        } while try !scanner.endOfItem(closing: UInt8(ascii: "]"))
        return elements
    }
}

extension JSONParser {
    /// Where the value of the member `name` of the document `bytes`, an object, lies, and
    /// where its name starts: the document is checked as ``parseDocument(_:)`` checks it, but
    /// for duplicate keys, and nothing of it is built, so a large document costs a scan.
    /// Nil when the document is not an object or has no such member (the last, if several).
    public static func member(_ name: String, of bytes: [UInt8]) throws(Failure) -> (nameOffset: Int, value: Range<Int>)? {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            var parser = JSONParser(JSONScanner(buffer, in: documentStart(bytes)..<bytes.count))
            parser.scanner.skipWhitespace()
            guard parser.scanner.next == UInt8(ascii: "{") else {
                try parser.skipValue()
                try parser.scanner.expectEnd()
                return nil
            }
            try parser.enterContainer()
            var found: (nameOffset: Int, value: Range<Int>)?
            if !parser.scanner.open(closing: UInt8(ascii: "}")) {
                repeat {
                    let member = try parser.scanner.memberName()
                    try parser.scanner.nameSeparator()
                    let start = parser.scanner.index
                    try parser.skipValue()
                    if parser.scanner.string(member.text) == name { found = (member.offset, start..<parser.scanner.index) }
                } while try !parser.scanner.endOfItem(closing: UInt8(ascii: "}"))
            }
            try parser.scanner.expectEnd()
            return found
        }
    }

    /// Passes over the value at the scanner, checking it as ``parseValue()`` does.
    private mutating func skipValue() throws(Failure) {
        guard let first = scanner.next else { throw scanner.expectedValue() }
        switch first {
        case UInt8(ascii: "{"):
            try enterContainer()
            defer { depth -= 1 }
            if scanner.open(closing: UInt8(ascii: "}")) { return }
            repeat {
                _ = try scanner.memberName()
                try scanner.nameSeparator()
                try skipValue()
            } while try !scanner.endOfItem(closing: UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            try enterContainer()
            defer { depth -= 1 }
            if scanner.open(closing: UInt8(ascii: "]")) { return }
            repeat {
                scanner.skipWhitespace()
                try skipValue()
            } while try !scanner.endOfItem(closing: UInt8(ascii: "]"))
        case UInt8(ascii: "\""): _ = try scanner.scanString()
        case UInt8(ascii: "t"): try scanner.expectWord("true")
        case UInt8(ascii: "f"): try scanner.expectWord("false")
        case UInt8(ascii: "n"): try scanner.expectWord("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanner.scanNumber()
        default: throw scanner.expectedValue()
        }
    }
}
