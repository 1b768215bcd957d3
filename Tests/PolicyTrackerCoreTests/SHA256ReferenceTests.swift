import Foundation
import PolicyTrackerCore
import Testing
import TrackerGenerator

/// The core's SHA-256 (libcrypto) against ``ReferenceSHA256``, the implementation written
/// out from FIPS 180-4 that the core carried before, and against known digests: random
/// messages added in random pieces, stopped at block boundaries, saved as a midstate,
/// written out as hex, read back and resumed, in either implementation.
@Suite struct SHA256ReferenceTests {
    /// Seeds 1 to 20 and one new each run, which a failure names; `PTRACK_SHA256_SEED=N`
    /// runs seed N alone.
    static let seeds: [UInt64] = {
        if let text = ProcessInfo.processInfo.environment["PTRACK_SHA256_SEED"], let seed = UInt64(text) { return [seed] }
        return Array(1...20) + [UInt64.random(in: 1...UInt64.max)]
    }()

    /// SHA-256 of n times `a`, from Python's hashlib: the lengths around the padding's edges.
    static let repeatedA: [Int: String] = [
        55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
        56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
        63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
        64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
        119: "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb",
        120: "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c",
        128: "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e",
    ]

    @Test func bothGiveTheKnownDigests() {
        let vectors = Self.repeatedA.map { (Array(repeating: UInt8(ascii: "a"), count: $0.key), $0.value) } + [
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]
        for (bytes, digest) in vectors {
            #expect(SHA256.hexDigest(bytes) == digest, "\(bytes.count) bytes")
            #expect(ReferenceSHA256.hexDigest(bytes) == digest, "\(bytes.count) bytes")
        }
    }

    /// The midstate's words, as snapshots record them, from `sha256_words` in
    /// Tests/EndToEnd/test_schemas.py (FIPS 180-4 in Python, checked there against hashlib).
    @Test func theMidstateIsTheStandardsStateWords() throws {
        let bytes = (0..<128).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var hash = SHA256()
        hash.update(bytes)
        let midstate = try #require(hash.midstate)
        #expect(midstate.hex == "e5c73ed0831699a037b42c36d7e3d031fcdefdb7049a9639afe075ae38f951a0")
        #expect(midstate.length == 128)
        var reference = ReferenceSHA256()
        reference.update(bytes)
        #expect(reference.midstate?.words == midstate.words)
        #expect(hash.hexDigest() == "54c9eb041badfd7064645067b107661fed6113197ce2dd066ba69618abd3732f")
        var a = SHA256()
        a.update(Array(repeating: UInt8(ascii: "a"), count: 64))
        #expect(a.midstate?.hex == "df5bb81ce81e0626fb45a8944fd40f31b25e6816d6d499c1ab90492900635e66")
    }

    @Test func randomPiecesAndResumptionsMatchTheReference() throws {
        for seed in Self.seeds {
            var random = SplitMix64(seed: seed)
            for trial in 0..<300 {
                let bytes = (0..<random.below(6 * 64 + 1)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let expected = ReferenceSHA256.hexDigest(bytes)
                let label = "seed \(seed) trial \(trial) (rerun with PTRACK_SHA256_SEED=\(seed))"
                #expect(SHA256.hexDigest(bytes) == expected, "\(label): \(bytes.count) bytes whole")
                let (digest, referenceDigest, how) = try Self.hashInPieces(bytes, &random, label)
                #expect(digest == expected, "\(how)")
                #expect(referenceDigest == expected, "\(how)")
            }
        }
    }

    /// Every length of `a` from 0 to 6 blocks, each in random pieces: the digests, one a
    /// line, hash to what Python's hashlib gives for the same lines.
    @Test func everyLengthInPiecesGivesTheKnownDigests() throws {
        for seed in Self.seeds {
            var random = SplitMix64(seed: seed)
            var lines = ""
            for length in 0...(6 * 64) {
                let label = "seed \(seed), \(length) times a (rerun with PTRACK_SHA256_SEED=\(seed))"
                let (digest, referenceDigest, how) = try Self.hashInPieces(Array(repeating: UInt8(ascii: "a"), count: length), &random, label)
                #expect(referenceDigest == digest, "\(how)")
                if let known = Self.repeatedA[length] { #expect(digest == known, "\(how)") }
                lines += digest + "\n"
            }
            #expect(SHA256.hexDigest(Array(lines.utf8)) == "528817efe9110f18b055961b7a3076c63162f38f6a47ab9b81c56ac87193c28e", "seed \(seed)")
        }
    }

    /// `bytes` hashed by both implementations in the same random pieces, each stopped at
    /// some block boundaries, its midstate compared, saved as a snapshot saves it, read back
    /// and resumed: by libcrypto, by the reference from libcrypto's words, or by libcrypto
    /// from the reference's. Gives both digests and the pieces, for a failure's message.
    private static func hashInPieces(
        _ bytes: [UInt8], _ random: inout SplitMix64, _ label: String
    ) throws -> (digest: String, reference: String, how: String) {
        var hash = SHA256()
        var reference = ReferenceSHA256()
        var added = 0
        var cuts: [String] = []
        while added < bytes.count {
            let piece = min(bytes.count - added, random.below(150))
            bytes.withUnsafeBufferPointer { all in
                let part = UnsafeBufferPointer(rebasing: all[added..<added + piece])
                hash.update(part)
                reference.update(part)
            }
            added += piece
            cuts.append("\(added)")
            guard added % 64 == 0 else {
                #expect(hash.midstate == nil, "\(label): a midstate part-way through a block, at \(added)")
                continue
            }
            let midstate = try #require(hash.midstate, "\(label): no midstate at \(added)")
            #expect(midstate.words == reference.midstate?.words, "\(label): midstates at \(added)")
            #expect(midstate.length == UInt64(added), "\(label): the midstate's length at \(added)")
            guard random.below(2) == 0 else { continue }
            let read = try #require(SHA256.Midstate(hex: midstate.hex, length: UInt64(added)), "\(label)")
            #expect(read == midstate, "\(label): the midstate read back at \(added)")
            switch random.below(3) {
            case 0:
                hash = try #require(SHA256(midstate: read), "\(label)")
                cuts.append("resumed")
            case 1:
                reference = ReferenceSHA256(words: read.words, length: read.length)
                cuts.append("reference resumed")
            default:
                let state = try #require(reference.midstate, "\(label)")
                let hex = state.words.map { String(format: "%08x", $0) }.joined()
                let fromReference = try #require(SHA256.Midstate(hex: hex, length: state.length), "\(label)")
                hash = try #require(SHA256(midstate: fromReference), "\(label)")
                cuts.append("resumed from the reference")
            }
        }
        let how = "\(label): \(bytes.count) bytes in pieces ending at [\(cuts.joined(separator: ", "))]"
        return (hash.hexDigest(), reference.hexDigest(), how)
    }

    /// A hash copied part-way goes on independently of the original; equal hashes compare equal.
    @Test func copiesAreValues() {
        var a = SHA256()
        a.update(Array("abc".utf8))
        var b = a
        #expect(a == b)
        b.update(Array("d".utf8))
        #expect(a != b)
        #expect(a.hexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        a.update(Array("d".utf8))
        #expect(a == b && a.hexDigest() == SHA256.hexDigest(Array("abcd".utf8)))
    }
}
