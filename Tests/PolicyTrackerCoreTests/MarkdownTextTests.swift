import PolicyTrackerCore
import Testing

@Suite struct MarkdownTextTests {
    @Test func plainTextIsLeftAsItIs() {
        for text in ["Seoul applied.", "Camp David (2023)", "2+2+2 dialogue", "Yoon's settlement: 50%", "what? yes!", "2023-01"] {
            #expect(Markdown.escaped(text) == text)
        }
    }

    @Test func markupCharactersAreEscaped() {
        #expect(Markdown.escaped("a *b* _c_ `d` ~~e~~") == "a \\*b\\* \\_c\\_ \\`d\\` \\~\\~e\\~\\~")
        #expect(Markdown.escaped("[link](javascript:alert(1))") == "\\[link\\](javascript:alert(1))")
        #expect(Markdown.escaped("![img](x)") == "!\\[img\\](x)")
        #expect(Markdown.escaped("<b>x</b> <http://x.test>") == "\\<b\\>x\\</b\\> \\<http://x.test\\>")
        #expect(Markdown.escaped("|pipe| C# \\back\\slash") == "\\|pipe\\| C\\# \\\\back\\\\slash")
    }

    @Test func characterReferencesStayText() {
        #expect(Markdown.escaped("&#x202E;evil") == "\\&\\#x202E;evil")
        #expect(Markdown.escaped("&amp; AT&T") == "\\&amp; AT\\&T")
    }

    @Test func lineStartsMakeNoBlock() {
        #expect(Markdown.escaped("# heading") == "\\# heading")
        #expect(Markdown.escaped("- item") == "\\- item")
        #expect(Markdown.escaped("+ item") == "\\+ item")
        #expect(Markdown.escaped("---") == "\\---")
        #expect(Markdown.escaped("1. item") == "1\\. item")
        #expect(Markdown.escaped("12) item") == "12\\) item")
        #expect(Markdown.escaped("> quote") == "\\> quote")
        #expect(Markdown.escaped("  - item") == "  \\- item")
        // Inside a line they start nothing.
        #expect(Markdown.escaped("a - b + c 1. d") == "a - b + c 1. d")
    }

    @Test func controlsAndLineBreaksAreShownAsOnATerminal() {
        #expect(Markdown.escaped("one\ntwo\u{202E}") == "one two\\<U+202E\\>")
    }

    @Test func codeSpansFenceTheirBackticksAndEscapePipes() {
        #expect(Markdown.code("j") == "`j`")
        #expect(Markdown.code("|") == "`\\|`")
        #expect(Markdown.code("`") == "`` ` ``")
        #expect(Markdown.code("a``b") == "```a``b```")
    }
}
