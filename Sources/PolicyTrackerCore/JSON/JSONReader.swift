/// Decodes JSON of a known shape straight into model values: no ``JSONNode`` tree, member
/// names matched as bytes, each string made once.
///
/// It gives up at the first thing that is not plainly valid — bad syntax, an unknown or
/// repeated member, a value of the wrong type or form — by throwing ``Mismatch``, which says
/// no more than that. The caller then decodes the same bytes with ``JSONParser`` and
/// ``FieldReader``, which find and describe the problem, so the reader must never accept
/// what they refuse, and must give the same value for what they accept. As there, `null`
/// stands for an absent member.
struct JSONReader {
    /// The reader met something it does not accept.
    struct Mismatch: Error {}

    private var scanner: JSONScanner

    /// `read` applied to the bytes `range` of `bytes`, which must hold one JSON value and
    /// nothing else but white space.
    static func read<Value>(
        _ bytes: [UInt8], in range: Range<Int>, _ read: (inout JSONReader) throws(Mismatch) -> Value
    ) throws(Mismatch) -> Value {
        try bytes.withUnsafeBufferPointer { buffer throws(Mismatch) in try Self.read(buffer, in: range, read) }
    }

    /// The same over bytes in memory the caller keeps alive.
    static func read<Value>(
        _ buffer: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ read: (inout JSONReader) throws(Mismatch) -> Value
    ) throws(Mismatch) -> Value {
        var reader = JSONReader(scanner: JSONScanner(buffer, in: range))
        reader.scanner.skipWhitespace()
        let value = try read(&reader)
        try reader.lexical { try $0.expectEnd() }
        return value
    }

    /// A step of the scanner, its failure turned into a mismatch.
    private mutating func lexical<Value>(_ step: (inout JSONScanner) throws -> Value) throws(Mismatch) -> Value {
        do {
            return try step(&scanner)
        } catch {
            throw Mismatch()
        }
    }

    // MARK: Objects and arrays

    /// Reads an object whose members are all named by cases of `Field`, handing each
    /// member's value to `read`; returns the members present. Nil for `null`.
    @discardableResult
    mutating func members<Field: JSONField>(
        _ read: (Field, inout JSONReader) throws(Mismatch) -> Void
    ) throws(Mismatch) -> FieldSet<Field>? {
        if try null() { return nil }
        guard scanner.next == UInt8(ascii: "{") else { throw Mismatch() }
        var present = FieldSet<Field>()
        if scanner.open(closing: UInt8(ascii: "}")) { return present }
        repeat {
            let name = try lexical { try $0.memberName().text }
            guard let field = lookup(name, in: Field.names), present.insert(field.index) else { throw Mismatch() }
            try lexical { try $0.nameSeparator() }
            try read(field.value, &self)
        } while try lexical({ try $0.endOfItem(closing: UInt8(ascii: "}")) }) == false
        return present
    }

    /// The elements of an array, each read by `read`, which may not find `null`; nil for `null`.
    mutating func array<Element>(
        _ read: (inout JSONReader) throws(Mismatch) -> Element?
    ) throws(Mismatch) -> [Element]? {
        if try null() { return nil }
        guard scanner.next == UInt8(ascii: "[") else { throw Mismatch() }
        var elements: [Element] = []
        if scanner.open(closing: UInt8(ascii: "]")) { return elements }
        repeat {
            scanner.skipWhitespace()
            guard let element = try read(&self) else { throw Mismatch() }
            elements.append(consume element)
        } while try lexical({ try $0.endOfItem(closing: UInt8(ascii: "]")) }) == false
        return elements
    }

    // MARK: Scalars

    /// Consumes `null` when it is next.
    private mutating func null() throws(Mismatch) -> Bool {
        guard scanner.next == UInt8(ascii: "n") else { return false }
        try lexical { try $0.expectWord("null") }
        return true
    }

    /// A string; nil for `null`.
    mutating func string() throws(Mismatch) -> String? {
        if try null() { return nil }
        guard scanner.next == UInt8(ascii: "\"") else { throw Mismatch() }
        let text = try lexical { try $0.scanString() }
        return scanner.string(text)
    }

    /// A string whose UTF-8 bytes `isValid` accepts; nil for `null`.
    mutating func string(where isValid: (UnsafeBufferPointer<UInt8>) -> Bool) throws(Mismatch) -> String? {
        guard var text = try string() else { return nil }
        guard text.withUTF8(isValid) else { throw Mismatch() }
        return text
    }

    /// The value that a string names in `table`, found without making the string; nil for `null`.
    mutating func name<Value>(in table: NameTable<Value>) throws(Mismatch) -> Value? {
        if try null() { return nil }
        guard scanner.next == UInt8(ascii: "\"") else { throw Mismatch() }
        let text = try lexical { try $0.scanString() }
        guard let found = lookup(text, in: table) else { throw Mismatch() }
        return found.value
    }

    /// The entry of `table` named by a scanned string, and its place in the table.
    private func lookup<Value>(_ text: JSONScanner.Text, in table: NameTable<Value>) -> (value: Value, index: Int)? {
        switch text {
        case .raw(let range):
            return table.lookup(scanner.bytes, range)
        case .decoded(var string):
            return string.withUTF8 { table.lookup($0, 0..<$0.count) }
        }
    }

    /// A string that `make` accepts, as `make` returns it; nil for `null`.
    mutating func string<Value>(_ make: (String) -> Value?) throws(Mismatch) -> Value? {
        guard let text = try string() else { return nil }
        guard let value = make(text) else { throw Mismatch() }
        return value
    }

    /// A string with something other than white space in it; nil for `null`.
    mutating func nonEmptyString() throws(Mismatch) -> String? {
        try string { FieldReader.isBlank($0) ? nil : $0 }
    }

    /// `true` or `false`; nil for `null`.
    mutating func bool() throws(Mismatch) -> Bool? {
        if try null() { return nil }
        let value = scanner.next == UInt8(ascii: "t")
        guard value || scanner.next == UInt8(ascii: "f") else { throw Mismatch() }
        try lexical { try $0.expectWord(value ? "true" : "false") }
        return value
    }

    /// A whole number without fraction or exponent that fits an `Int`; nil for `null`.
    mutating func int() throws(Mismatch) -> Int? {
        if try null() { return nil }
        guard let first = scanner.next, first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { throw Mismatch() }
        let digits = try lexical { try $0.scanNumber() }
        guard let number = Int(scanner.string(.raw(digits))) else { throw Mismatch() }
        return number
    }
}

/// The member names of an object that ``JSONReader`` decodes: the cases' raw values.
protocol JSONField: CaseIterable, Equatable, Sendable, RawRepresentable<String> {
    /// The names, looked up as bytes; declare it as `static let names = NameTable<Self>()`.
    static var names: NameTable<Self> { get }
}

/// Names of at most 16 bytes, looked up by their UTF-8 bytes without making a string:
/// each name is kept as its length and two 64-bit words, so a lookup compares numbers.
struct NameTable<Value: Equatable & Sendable>: Sendable {
    private typealias Key = (count: Int, head: UInt64, tail: UInt64)

    private let keys: [Key]
    private let values: [Value]
    /// Every name, in the table's order.
    let all: [String]

    init(_ pairs: [(String, Value)]) {
        keys = pairs.map { name, _ in
            let bytes = Array(name.utf8)
            return bytes.withUnsafeBufferPointer { Self.key($0, 0..<bytes.count)! }
        }
        values = pairs.map(\.1)
        all = pairs.map(\.0)
    }

    /// The value named by the bytes `range` of `bytes`, and its position in the table.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (value: Value, index: Int)? {
        guard let key = Self.key(bytes, range),
              let index = keys.firstIndex(where: { $0.head == key.head && $0.tail == key.tail && $0.count == key.count })
        else { return nil }
        return (values[index], index)
    }

    /// The position of `value` in the table.
    func index(of value: Value) -> Int {
        values.firstIndex(of: value)!
    }

    /// The bytes `range` of `bytes` packed into numbers, little end first; nil for more than 16.
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Key? {
        guard range.count <= 16, let base = bytes.baseAddress else { return nil }
        guard range.lowerBound + 16 <= bytes.count else { return slowKey(UnsafeBufferPointer(rebasing: bytes[range])) }
        // Two whole words, then the bytes past the name masked away.
        let start = UnsafeRawPointer(base + range.lowerBound)
        let head = UInt64(littleEndian: start.loadUnaligned(as: UInt64.self))
        let tail = UInt64(littleEndian: start.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        return (range.count, head & mask(keeping: range.count), tail & mask(keeping: range.count - 8))
    }

    /// A mask of the low `count` bytes of a word (all of them from 8, none below 1).
    private static func mask(keeping count: Int) -> UInt64 {
        count >= 8 ? ~0 : count <= 0 ? 0 : (1 << (UInt64(count) * 8)) - 1
    }

    /// ``key(_:_:)`` byte by byte, for a name too near the end of its buffer to load words.
    private static func slowKey(_ name: UnsafeBufferPointer<UInt8>) -> Key {
        var key: Key = (name.count, 0, 0)
        for (position, byte) in name.enumerated() {
            if position < 8 {
                key.head |= UInt64(byte) << (position * 8)
            } else {
                key.tail |= UInt64(byte) << ((position - 8) * 8)
            }
        }
        return key
    }
}

extension NameTable where Value: CaseIterable & RawRepresentable<String> {
    /// A table of every case, named by its raw value.
    init() {
        self.init(Value.allCases.map { ($0.rawValue, $0) })
    }
}

/// A set of the members of an object, such as those present (`null` or not).
struct FieldSet<Field: JSONField>: Sendable {
    private var bits: UInt64 = 0

    init() {}

    init(_ fields: some Sequence<Field>) {
        for field in fields { _ = insert(Field.names.index(of: field)) }
    }

    /// Adds the field at `index` of its ``NameTable``; false when it was already there.
    mutating func insert(_ index: Int) -> Bool {
        let bit: UInt64 = 1 << index
        defer { bits |= bit }
        return bits & bit == 0
    }

    /// Whether every field of this set is in `other`.
    func isSubset(of other: FieldSet) -> Bool {
        bits & ~other.bits == 0
    }
}
