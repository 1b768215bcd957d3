import PolicyTrackerCore
import Testing

/// The editor's note file: what it opens with, and what is kept of it.
@Suite struct NoteTemplateTests {
    private func item() throws -> Item {
        try #require(try Fixture.state(ids: ["a"]).items["a"])
    }

    @Test func templateStartsWithTheNoteAndCommentsOnTheChange() throws {
        let text = NoteTemplate.text(for: try item(), status: .partial, note: "so far")
        #expect(text.hasPrefix("so far\n# Note for a: not-started → partial\n# Title of a\n"))
        #expect(NoteTemplate.note(from: text) == "so far")
        #expect(NoteTemplate.text(for: try item(), status: nil, note: nil).hasPrefix("\n# Note for a: reviewed, still not-started\n"))
    }

    @Test func commentsAndOuterBlankLinesGoInnerOnesStay() {
        #expect(NoteTemplate.note(from: "\n\nfirst  \n\n# skipped\nsecond\t\r\n\n") == "first\n\nsecond")
        #expect(NoteTemplate.note(from: "  indented\n") == "  indented")
        #expect(NoteTemplate.note(from: " #not a comment\n") == " #not a comment")
    }

    @Test func nothingLeftCancels() {
        #expect(NoteTemplate.note(from: "") == nil)
        #expect(NoteTemplate.note(from: "\n   \n# only\n#comments\n") == nil)
    }
}
