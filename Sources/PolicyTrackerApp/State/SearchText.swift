/// The searchable text of a run of items, lower-cased UTF-8 in one contiguous buffer.
struct SearchText: Equatable, Sendable {
    /// Ends every field. 0xFF never occurs in UTF-8, so neither a field nor a query holds it
    /// and no match can run from one field into the next.
    static let separator: UInt8 = 0xFF

    /// Every item's fields, each followed by ``separator``, then ``ByteSearch/padding`` bytes.
    private(set) var bytes: [UInt8] = []
    /// Item `n` is `bytes[starts[n]..<starts[n + 1]]`.
    private(set) var starts = [0]

    /// Lays out `items`, each given as its fields.
    init(_ items: some Sequence<[String]>) {
        for fields in items {
            for field in fields {
                appendLowercased(field)
                bytes.append(Self.separator)
            }
            starts.append(bytes.count)
        }
        bytes.append(contentsOf: repeatElement(Self.separator, count: ByteSearch.padding))
    }

    /// How many items the text holds.
    var count: Int { starts.count - 1 }

    /// Appends `field.lowercased()`, making a new string only when it must: ASCII text, most
    /// of it, is lowered byte by byte as `lowercased()` does, and caseless text kept as is.
    private mutating func appendLowercased(_ field: String) {
        let start = bytes.count
        bytes.append(contentsOf: field.utf8)
        let isASCII = bytes.withUnsafeMutableBufferPointer { bytes in
            let appended = UnsafeMutableBufferPointer(rebasing: bytes[start...])
            // Branch-free loops, which the compiler vectorizes.
            guard appended.reduce(0, |) < 0x80 else { return false }
            for index in appended.indices { appended[index] |= appended[index] &- 0x41 < 26 ? 0x20 : 0 }
            return true
        }
        if !isASCII, !Self.isCaseless(field) { bytes.replaceSubrange(start..., with: field.lowercased().utf8) }
    }

    /// True when `lowercased()` leaves `field` as it is because it has no ASCII capital and
    /// its other characters are all Korean, Japanese or Chinese (scripts without case).
    private static func isCaseless(_ field: String) -> Bool {
        field.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x41...0x5A: false
            case 0..<0x80, 0x3000...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3: true
            default: false
            }
        }
    }
}
