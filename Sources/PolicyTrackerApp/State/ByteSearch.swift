/// Substring search in lower-cased UTF-8 text.
enum ByteSearch {
    /// Text holding a search's buffers must have this many bytes after the last range searched.
    static let padding = 16

    /// Where `needle` (not empty) first occurs in `text[start..<end]`.
    ///
    /// Sixteen positions at a time, it compares the needle's first and last bytes at once,
    /// then checks the whole needle only where both agree: a rare event for real text.
    /// Reads up to 15 bytes past `end`, which ``padding`` keeps inside `text`.
    static func firstMatch(of needle: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let length = needle.count
        let firstByte = SIMD16<UInt8>(repeating: needle[0]), lastByte = SIMD16<UInt8>(repeating: needle[length - 1])
        let raw = UnsafeRawPointer(text.baseAddress!)
        var position = start
        while position <= end - length {
            let heads = raw.loadUnaligned(fromByteOffset: position, as: SIMD16<UInt8>.self)
            let tails = raw.loadUnaligned(fromByteOffset: position + length - 1, as: SIMD16<UInt8>.self)
            let both = (heads .== firstByte) .& (tails .== lastByte)
            if any(both) {
                for lane in 0..<min(16, end - length - position + 1) where both[lane] {
                    let at = position + lane
                    if (1..<max(1, length - 1)).allSatisfy({ text[at + $0] == needle[$0] }) { return at }
                }
            }
            position += 16
        }
        return nil
    }
}
