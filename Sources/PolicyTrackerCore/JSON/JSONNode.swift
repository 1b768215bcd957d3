/// A JSON value read from a file, remembering the byte offset it started at so that
/// every later complaint about it can name its line and column.
public struct JSONNode: Sendable {
    /// The kinds of JSON value, with their contents.
    public enum Kind: Sendable {
        case null
        case bool(Bool)
        /// A number, kept as written so that integers never pass through floating point.
        case number(String)
        case string(String)
        case array([JSONNode])
        /// Members in the order written; the parser has already refused duplicate keys.
        case object([Member])
    }

    /// One `"key": value` pair of an object.
    public struct Member: Sendable {
        public var key: String
        public var keyOffset: Int
        public var value: JSONNode
    }

    public var kind: Kind
    /// Byte offset of the value's first byte in the parsed buffer.
    public var offset: Int

    /// A short name of the value's type, for messages such as "expected a string, found an array".
    public var typeName: String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value of the member `key`, when this is an object that has it.
    public func member(_ key: String) -> JSONNode? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The elements, when this is an array; else none.
    public var elements: [JSONNode] {
        guard case .array(let elements) = kind else { return [] }
        return elements
    }
}

/// A JSON value to be written. Objects are written with their keys sorted, so the
/// order members are given in does not matter.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    /// A fraction, written with four decimals (shares and ratios).
    case fraction(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// `.string(text)` or `.null` when `text` is nil.
    public static func optional(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }
}
