import Foundation

/// The text of a file being read, kept so that byte offsets can be turned into the
/// `line:column` a person can jump to.
public struct SourceText: Sendable {
    public var path: String
    public var bytes: [UInt8]
    /// The line number of the first byte, for text that is the tail of a longer file.
    public var firstLine: Int

    public init(path: String, bytes: [UInt8], firstLine: Int = 1) {
        self.path = path
        self.bytes = bytes
        self.firstLine = firstLine
    }

    /// The 1-based line and column (counted in Unicode scalars) of a byte offset.
    public func position(of offset: Int) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        var line = firstLine
        var lineStart = 0
        for index in 0..<end where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = bytes[lineStart..<end].reduce(1) { count, byte in
            byte & 0xC0 == 0x80 ? count : count + 1
        }
        return (line, column)
    }

    /// Where the first line break in the bytes `range` is, or nil when there is none.
    func firstNewline(in range: Range<Int>) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !range.isEmpty,
                  let found = memchr(base + range.lowerBound, 0x0A, range.count) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// A bad-data error located at `offset`.
    public func problem(at offset: Int, _ message: String) -> TrackerError {
        let (line, column) = position(of: offset)
        return .badData(path: path, line: line, column: column, message: message)
    }

    /// Parses the whole text as one JSON document, locating any syntax error.
    public func parseDocument() throws(TrackerError) -> JSONNode {
        do {
            return try JSONParser.parseDocument(bytes)
        } catch {
            throw problem(at: error.offset, error.message)
        }
    }
}

/// Reads the members of one JSON object into model values, refusing unknown members and
/// wrong types with the position of the offending value.
public struct FieldReader {
    public let node: JSONNode
    public let text: SourceText
    /// The members in file order; objects are small, so a linear search beats hashing.
    private let members: [JSONNode.Member]

    /// Checks that `node` is an object whose member names are all in `fields`.
    public init(_ node: JSONNode, in text: SourceText, what: String, fields: [String]) throws(TrackerError) {
        guard case .object(let list) = node.kind else {
            throw text.problem(at: node.offset, "expected \(what) as an object, found \(node.typeName)")
        }
        for member in list where !fields.contains(member.key) {
            throw text.problem(
                at: member.keyOffset,
                "unknown field \(DisplayText.quoted(member.key)) in \(what) (known fields: \(fields.sorted().joined(separator: ", ")))")
        }
        self.node = node
        self.text = text
        self.members = list
    }

    /// The member `key`, or nil when it is absent or `null`.
    public func optionalNode(_ key: String) -> JSONNode? {
        guard let value = members.first(where: { $0.key == key })?.value else { return nil }
        if case .null = value.kind { return nil }
        return value
    }

    /// The member `key`, which must be present.
    public func requiredNode(_ key: String) throws(TrackerError) -> JSONNode {
        guard let value = optionalNode(key) else {
            throw text.problem(at: node.offset, "missing required field \"\(key)\"")
        }
        return value
    }

    public func string(_ key: String) throws(TrackerError) -> String {
        let value = try requiredNode(key)
        return try stringValue(value, key)
    }

    public func optionalString(_ key: String) throws(TrackerError) -> String? {
        guard let value = optionalNode(key) else { return nil }
        return try stringValue(value, key)
    }

    /// A required string that must not be empty or only white space.
    public func nonEmptyString(_ key: String) throws(TrackerError) -> String {
        let value = try requiredNode(key)
        let result = try stringValue(value, key)
        if Self.isBlank(result) {
            throw text.problem(at: value.offset, "\"\(key)\" must not be empty")
        }
        return result
    }

    /// Whether `text` is empty or only white space, which a required text may not be.
    static func isBlank(_ text: String) -> Bool {
        // Most texts start with a printable ASCII character: then the Unicode properties of
        // their characters need no look-up.
        if let first = text.utf8.first, first > 0x20, first < 0x7F { return false }
        return text.allSatisfy(\.isWhitespace)
    }

    public func stringValue(_ value: JSONNode, _ key: String) throws(TrackerError) -> String {
        guard case .string(let result) = value.kind else {
            throw text.problem(at: value.offset, "\"\(key)\" must be a string, found \(value.typeName)")
        }
        return result
    }

    public func bool(_ key: String, default fallback: Bool) throws(TrackerError) -> Bool {
        guard let value = optionalNode(key) else { return fallback }
        guard case .bool(let flag) = value.kind else {
            throw text.problem(at: value.offset, "\"\(key)\" must be true or false, found \(value.typeName)")
        }
        return flag
    }

    public func int(_ key: String) throws(TrackerError) -> Int {
        let value = try requiredNode(key)
        guard case .number(let digits) = value.kind, let number = Int(digits) else {
            throw text.problem(at: value.offset, "\"\(key)\" must be a whole number, found \(Self.describe(value))")
        }
        return number
    }

    /// A value as a message names it: a number as written (too large, or not whole), else its type.
    private static func describe(_ value: JSONNode) -> String {
        guard case .number(let digits) = value.kind else { return value.typeName }
        return DisplayText.truncated(digits, to: 60)
    }

    /// The elements of the array member `key` (empty when absent).
    public func array(_ key: String) throws(TrackerError) -> [JSONNode] {
        guard let value = optionalNode(key) else { return [] }
        guard case .array(let elements) = value.kind else {
            throw text.problem(at: value.offset, "\"\(key)\" must be an array, found \(value.typeName)")
        }
        return elements
    }

    /// A string member parsed by `make`, which returns nil for a value it cannot accept;
    /// the error then says what was expected (a text built only in that case).
    public func parsed<Value>(
        _ key: String, expected: @autoclosure () -> String, _ make: (String) -> Value?
    ) throws(TrackerError) -> Value {
        let value = try requiredNode(key)
        return try parsedValue(value, key, expected: expected(), make)
    }

    /// Like ``parsed(_:expected:_:)`` for a member that may be absent.
    public func optionalParsed<Value>(
        _ key: String, expected: @autoclosure () -> String, _ make: (String) -> Value?
    ) throws(TrackerError) -> Value? {
        guard let value = optionalNode(key) else { return nil }
        return try parsedValue(value, key, expected: expected(), make)
    }

    public func parsedValue<Value>(
        _ value: JSONNode, _ key: String, expected: @autoclosure () -> String, _ make: (String) -> Value?
    ) throws(TrackerError) -> Value {
        let raw = try stringValue(value, key)
        guard let result = make(raw) else {
            throw text.problem(at: value.offset, "invalid \"\(key)\" \(DisplayText.quoted(raw)) (expected \(expected()))")
        }
        return result
    }
}
