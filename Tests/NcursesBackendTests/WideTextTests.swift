import NcursesBackend
import Testing

@Suite struct WideTextTests {
    private func scalars(_ text: String) -> [UInt32] {
        WideText.characters(of: text).map { UInt32($0) }
    }

    @Test func oneScalarThenTheTerminator() {
        #expect(scalars("a") == [0x61, 0])
        #expect(scalars("日") == [0x65E5, 0])
        #expect(scalars("한") == [0xD55C, 0])
    }

    @Test func everyScalarOfTheClusterIsKept() {
        #expect(scalars("e\u{301}") == [0x65, 0x301, 0])
        #expect(scalars("👍🏽") == [0x1F44D, 0x1F3FD, 0])
    }

    @Test func atMostCCHARWMaxScalars() {
        let text = "a" + String(repeating: "\u{301}", count: 8)
        #expect(scalars(text) == [0x61, 0x301, 0x301, 0x301, 0x301, 0])
    }

    @Test func emptyTextIsASpace() {
        #expect(scalars("") == [0x20, 0])
    }

    @Test(arguments: ["\u{1B}", "\n", "\r", "\u{7}", "\u{7F}", "\u{85}", "\u{9B}"])
    func controlCharactersNeverReachTheTerminal(_ text: String) {
        #expect(scalars(text) == [0xFFFD, 0])
    }

    @Test func emojiPresentationIsDroppedAfterANarrowCharacter() {
        // wcwidth gives ☺ one column with or without U+FE0F; a terminal honouring U+FE0F
        // would draw two.
        #expect(scalars("\u{263A}\u{FE0F}") == [0x263A, 0])
        #expect(scalars("\u{2764}\u{FE0F}") == [0x2764, 0])
        #expect(scalars("\u{1F600}\u{FE0F}") == [0x1F600, 0xFE0F, 0])
    }
}
