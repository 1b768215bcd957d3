import Glibc
import Testing
import PolicyTrackerCore

/// ptrack's width of every code point against the C library's `wcwidth` in a UTF-8 locale,
/// which ncurses places characters by: they must agree but for the groups listed here.
@Suite struct WidthTableTests {
    /// Code points where ptrack and `wcwidth` deliberately differ, and what ptrack does so
    /// that the browser's columns still hold.
    struct Difference: Sendable {
        let name: String
        let ptrack: Int
        let library: Int32
        let contains: @Sendable (UInt32) -> Bool
    }

    static let differences: [Difference] = [
        // `wcwidth` refuses them (-1); ptrack counts 0, and `sanitized` shows them as ^X or
        // <U+XXXX> before anything is measured or drawn.
        Difference(name: "C0 and C1 controls and DEL", ptrack: 0, library: -1) { $0 < 0x20 || (0x7F...0x9F).contains($0) },
        // `wcwidth` refuses them (-1); `sanitized` shows them as <U+2028> and <U+2029>.
        Difference(name: "line and paragraph separators", ptrack: 1, library: -1) { $0 == 0x2028 || $0 == 0x2029 },
        // `wcwidth` counts them 1; ptrack counts 0, so that one joined with what follows in
        // a grapheme cluster measures as that (`"\u{0600}1"` is one column), and
        // `sanitized` shows them as <U+600>: ncurses would draw the mark and drop the rest.
        Difference(name: "prepended concatenation marks", ptrack: 0, library: 1) {
            DisplayText.isPrependedConcatenationMark(Unicode.Scalar($0)!)
        },
        // `wcwidth` refuses them (-1); ptrack counts 1, and the browser draws "?" (one
        // column) for any cell whose character `wcwidth` does not measure as ptrack does.
        Difference(name: "unassigned in Unicode \(UnicodeTables.version), noncharacters included", ptrack: 1, library: -1) {
            within($0, UnicodeTables.unassignedRanges)
        },
    ]

    static func within(_ value: UInt32, _ ranges: [UInt32]) -> Bool {
        DisplayText.contains(value, in: ranges)
    }

    /// `wcwidth` of every scalar in C.UTF-8, measured on this thread only (other tests run
    /// at the same time and keep their locale).
    static func libraryWidths() throws -> [Int32] {
        // Glibc's module map leaves `wcwidth` out (it is an X/Open extension): look it up.
        let symbol = try #require(dlsym(nil, "wcwidth"), "the C library has no wcwidth")
        let wcwidth = unsafeBitCast(symbol, to: (@convention(c) (wchar_t) -> Int32).self)
        let utf8 = try #require(newlocale(LC_CTYPE_MASK, "C.UTF-8", nil), "the C.UTF-8 locale is missing")
        defer { freelocale(utf8) }
        let previous = uselocale(utf8)
        defer { uselocale(previous) }
        return (0...0x10FFFF as ClosedRange<UInt32>).map { value in
            (0xD800...0xDFFF).contains(value) ? 0 : wcwidth(wchar_t(bitPattern: value))
        }
    }

    private static func describe(_ value: UInt32, ptrack: Int, library: Int32) -> String {
        let scalar = Unicode.Scalar(value)!
        let name = scalar.properties.name ?? scalar.properties.nameAlias ?? "(no name)"
        return String(format: "U+%04X", value) + " \(name): ptrack \(ptrack), wcwidth \(library)"
    }

    @Test func everyCodePointMatchesTheCLibraryOrIsListed() throws {
        let library = try Self.libraryWidths()
        var unexpected: [String] = []
        var unexpectedCount = 0
        var listed = Array(repeating: 0, count: Self.differences.count)
        for value in 0...UInt32(0x10FFFF) where !(0xD800...0xDFFF).contains(value) {
            let ours = DisplayText.width(of: Unicode.Scalar(value)!)
            let theirs = library[Int(value)]
            guard ours != Int(theirs) else { continue }
            if let group = Self.differences.firstIndex(where: { $0.contains(value) }),
               Self.differences[group].ptrack == ours, Self.differences[group].library == theirs {
                listed[group] += 1
                continue
            }
            unexpectedCount += 1
            if unexpected.count < 10 { unexpected.append(Self.describe(value, ptrack: ours, library: theirs)) }
        }
        #expect(unexpectedCount == 0, """
            \(unexpectedCount) code points where ptrack's width (Unicode \(DisplayText.unicodeVersion)) \
            differs from wcwidth and no listed difference explains it; the first:
            \(unexpected.joined(separator: "\n"))
            Run scripts/generate-width-tables.py again, or list the difference in WidthTableTests \
            and docs/architecture.md with what the browser does about it.
            """)
        // Each listed difference still happens; a group nothing falls in any more goes.
        for (group, count) in zip(Self.differences, listed) {
            #expect(count > 0, "no code point differs as \"\(group.name)\" says")
        }
    }

    @Test func theListedControlsSeparatorsAndMarksAreShownEscaped() {
        let marks = Array(0x0600...0x0605) + [0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD] as [UInt32]
        for value in Array(0..<0x20) + Array(0x7F...0x9F) + [0x2028, 0x2029] + marks as [UInt32] {
            #expect(DisplayText.needsEscape(Unicode.Scalar(value)!), "U+\(String(value, radix: 16))")
        }
    }

    @Test func theTablesAreSortedPairs() {
        for table in [DisplayText.zeroWidthRanges, DisplayText.wideRanges, UnicodeTables.unassignedRanges] {
            #expect(table.count % 2 == 0)
            #expect(zip(table, table.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect(DisplayText.unicodeVersion == UnicodeTables.version)
    }

    /// The code points the width table missed before it was generated, which shifted the
    /// rows that held them.
    @Test(arguments: [0x2329, 0x232A, 0xFE10, 0xFE19, 0xFE50, 0xFE6B, 0x1F200, 0x4DC0, 0x3248, 0x1F004] as [UInt32])
    func formerlyMissedWideCharactersTakeTwoColumns(_ value: UInt32) {
        let character = Character(Unicode.Scalar(value)!)
        #expect(DisplayText.width(of: character) == 2)
        #expect(DisplayText.width("a" + String(character) + "b") == 4)
        #expect(DisplayText.padded(String(character), to: 3) == String(character) + " ")
    }

    @Test func formerlyMissedRangesAreWideThroughout() {
        for value in Array(0xFE10...0xFE19) + Array(0xFE50...0xFE6B) as [UInt32] {
            // U+FE53 and U+FE67 are unassigned: the browser draws them as "?".
            let expected = Self.within(value, UnicodeTables.unassignedRanges) ? 1 : 2
            #expect(DisplayText.width(of: Unicode.Scalar(value)!) == expected, "U+\(String(value, radix: 16, uppercase: true))")
        }
    }
}
