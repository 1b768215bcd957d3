import CLibcrypto

/// SHA-256 (FIPS 180-4), fed in pieces: what a report's provenance records of the data it
/// was built from.
///
/// The hashing is OpenSSL's libcrypto, which uses the CPU's SHA instructions where it has
/// them. The implementation the core carried before is not kept as a fallback: it was
/// slower at every size measured (1.8 GB/s against 0.27 GB/s from 64 KiB up, 0.21 µs
/// against 1.6 µs for a 64-byte message, digest included; see docs/performance.md), and
/// libcrypto is required to build ptrack as ncursesw is (`scripts/require-tools.sh`
/// installs both), so a fallback would be code that never runs. The tests keep it as the
/// reference libcrypto is checked against (`Tests/PolicyTrackerCoreTests/ReferenceSHA256.swift`).
public struct SHA256: Equatable, Sendable {
    private var context = SHA256_CTX()

    public init() {
        SHA256_Init(&context)
    }

    /// A hash resumed from a ``midstate``.
    public init?(midstate: Midstate) {
        guard midstate.words.count == 8, midstate.length % 64 == 0 else { return nil }
        midstate.words.withUnsafeBufferPointer { ptrack_sha256_resume(&context, $0.baseAddress, midstate.length) }
    }

    /// The state after a whole number of 64-byte blocks: enough to go on hashing a message
    /// later from where it stopped, without its first `length` bytes.
    public struct Midstate: Equatable, Sendable {
        public var words: [UInt32]
        public var length: UInt64

        /// The words as 64 hexadecimal digits.
        public var hex: String { words.map(SHA256.hex).joined() }

        /// The midstate whose words `hex` gives; nil unless it is 64 hexadecimal digits.
        public init?(hex: String, length: UInt64) {
            let digits = Array(hex.utf8)
            guard digits.count == 64 else { return nil }
            var words: [UInt32] = []
            for start in stride(from: 0, to: 64, by: 8) {
                guard let word = UInt32(String(decoding: digits[start..<start + 8], as: UTF8.self), radix: 16) else { return nil }
                words.append(word)
            }
            self.words = words
            self.length = length
        }

        init(words: [UInt32], length: UInt64) {
            self.words = words
            self.length = length
        }
    }

    /// The state so far, when what was added is a whole number of blocks.
    public var midstate: Midstate? {
        withUnsafePointer(to: context) { context in
            guard ptrack_sha256_pending(context) == 0 else { return nil }
            return Midstate(words: (0..<8).map { ptrack_sha256_word(context, Int32($0)) }, length: ptrack_sha256_length(context))
        }
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        SHA256_Update(&context, start, bytes.count)
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    /// The digest of everything added, as 64 lowercase hexadecimal digits.
    public func hexDigest() -> String {
        var copy = context
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256_Final(&digest, &copy)
        return String(unsafeUninitializedCapacity: 2 * digest.count) { text in
            for (index, byte) in digest.enumerated() {
                text[2 * index] = Self.digits[Int(byte >> 4)]
                text[2 * index + 1] = Self.digits[Int(byte & 15)]
            }
            return 2 * digest.count
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex(_ word: UInt32) -> String {
        let hex = String(word, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The digest of `bytes`.
    public static func hexDigest(_ bytes: [UInt8]) -> String {
        var hash = SHA256()
        hash.update(bytes)
        return hash.hexDigest()
    }

    public static func == (a: SHA256, b: SHA256) -> Bool {
        withUnsafePointer(to: a.context) { a in withUnsafePointer(to: b.context) { b in ptrack_sha256_same(a, b) != 0 } }
    }
}
