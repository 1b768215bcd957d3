import PolicyTrackerCore
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(TrackerError) -> JSONNode {
        try SourceText(path: "f.json", bytes: Array(text.utf8)).parseDocument()
    }

    private func problem(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [0, 1, 2, 255, 256, 257, 1000, 4099])
    func prettyArrayWritesWhatPrettyWritesOfTheArray(count: Int) throws {
        let items = try Bundled.state().sortedItems
        let elements = (0..<count).map { items[$0 % items.count] }
        for escaping in [JSONWriter.Escaping.required, .terminal] {
            #expect(JSONWriter.prettyArray(elements, escaping: escaping, ItemOutput.json)
                == JSONWriter.pretty(.array(elements.map(ItemOutput.json)), escaping: escaping))
        }
    }

    @Test func parsesNestedValues() throws {
        let node = try parse(#"{"a": [1, -2.5e3, true, null, "x\u00e9\ud83d\ude00"], "b": {}}"#)
        guard case .object(let members) = node.kind, case .array(let elements) = members[0].value.kind else {
            Issue.record("expected an object holding an array")
            return
        }
        #expect(members.map(\.key) == ["a", "b"])
        #expect(elements.count == 5)
        if case .string(let text) = elements[4].kind { #expect(text == "xé😀") } else { Issue.record("not a string") }
        if case .number(let raw) = elements[1].kind { #expect(raw == "-2.5e3") } else { Issue.record("not a number") }
    }

    @Test func locatesSyntaxErrors() {
        #expect(problem("{\n  \"a\": 1,\n}") == "f.json:2:9: trailing comma before '}'")
        #expect(problem("[1, 2") == "f.json:1:6: expected ',' or ']', found the end of the input")
        #expect(problem("{\"a\": 1, \"a\": 2}") == "f.json:1:10: duplicate key \"a\"")
        #expect(problem("{\"a\" 1}") == "f.json:1:6: expected ':' after the member name, found '1'")
        #expect(problem("[01]") == "f.json:1:2: numbers may not have leading zeros")
        #expect(problem("\"a\nb\"") == "f.json:1:3: a raw line break inside a string (write it as an escape)")
        #expect(problem("[\"\\ud800\"]") == "f.json:1:3: lone high surrogate \\uD800 without its low half")
        #expect(problem("{} x") == "f.json:1:4: unexpected 'x' after the end of the JSON value")
        #expect(problem("") == "f.json:1:1: expected a JSON value, found the end of the input")
    }

    @Test func findsDuplicateKeysInLargeObjects() {
        let members = (0..<100).map { "\"k\($0)\": 1" }.joined(separator: ",")
        let text = "{" + members + ",\"k42\": 2}"
        #expect(problem(text) == "f.json:1:\(text.count - 8): duplicate key \"k42\"")
    }

    @Test func countsColumnsInCharactersNotBytes() {
        #expect(problem("[\"한국\", x]") == "f.json:1:8: expected a JSON value, found 'x'")
    }

    @Test func refusesInvalidUTF8() {
        var bytes = Array("[\"ab".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"]".utf8)
        #expect(throws: TrackerError.badData(path: "f.json", line: 1, column: 5, message: "invalid UTF-8 in a string")) {
            try SourceText(path: "f.json", bytes: bytes).parseDocument()
        }
    }

    /// Every lead byte with second bytes at the edges of the valid ranges: a string is
    /// accepted exactly when the standard library finds its bytes well-formed UTF-8.
    @Test func checksUTF8AsTheStandardLibraryDoes() {
        for lead in UInt8(0x80)...0xFF {
            for second: UInt8 in [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0] {
                for tail: [UInt8] in [[], [0x80], [0xBF, 0xBF], [0x80, 0x41]] {
                    let content = [lead, second] + tail
                    let result = Result { try SourceText(path: "f.json", bytes: [0x22] + content + [0x22]).parseDocument() }
                    let valid = String(validating: content, as: UTF8.self) != nil
                    #expect((try? result.get()) != nil || !valid, "\(content)")
                    #expect((try? result.get()) == nil || valid, "\(content)")
                }
            }
        }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(problem(deep)?.contains("nesting deeper than") == true)
    }

    /// A member found by a scan: where its name and value lie, top level only, the last of
    /// duplicates; a document the parser refuses is refused by the scan too (duplicate keys
    /// aside), with the same message at the same place.
    @Test func findsAMemberWithoutBuildingTheDocument() throws {
        func member(_ text: String) throws -> String? {
            let bytes = Array(text.utf8)
            guard let found = try JSONParser.member("p", of: bytes) else { return nil }
            #expect(bytes[found.nameOffset] == UInt8(ascii: "\""))
            return String(decoding: bytes[found.value], as: UTF8.self)
        }
        #expect(try member(#"{"a": [1, {"p": 2}], "p": {"x": "y\"z"} , "b": null}"#) == #"{"x": "y\"z"}"#)
        #expect(try member(#"{"p": 1, "p": [true, false]}"#) == "[true, false]")
        #expect(try member(#"{"a": {"p": 1}}"#) == nil)
        #expect(try member(#"[{"p": 1}]"#) == nil)
        #expect(try member("\u{FEFF}{\"p\": -1.5e3}") == "-1.5e3")
        #expect(try member(#"{"\u0070": "escaped name"}"#) == #""escaped name""#)
        let broken = [
            "{\n  \"a\": 1,\n}", "[1, 2", "{\"a\" 1}", "[01]", "\"a\nb\"", "[\"\\ud800\"]", "{} x", "", "{\"p\": 1} {",
            String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1),
        ]
        for text in broken {
            let bytes = Array(text.utf8)
            let scanned = Result { () throws(JSONParser.Failure) in try JSONParser.member("p", of: bytes) }
            let parsed = Result { () throws(JSONParser.Failure) in try JSONParser.parseDocument(bytes) }
            guard case .failure(let scan) = scanned, case .failure(let parse) = parsed else {
                Issue.record("\(text.debugDescription) was not refused")
                continue
            }
            #expect(scan.offset == parse.offset && scan.message == parse.message, "\(text.debugDescription)")
        }
    }

    @Test func writerMatchesPythonsSortedOutput() {
        let value = JSONValue.object([
            "b": .array([.int(1), .string("é\"\n\u{01}")]), "a": .object([:]), "c": .array([]), "d": .null,
        ])
        #expect(JSONWriter.pretty(value) == "{\n  \"a\": {},\n  \"b\": [\n    1,\n    \"é\\\"\\n\\u0001\"\n  ],\n  \"c\": [],\n  \"d\": null\n}\n")
        #expect(JSONWriter.compact(value) == "{\"a\":{},\"b\":[1,\"é\\\"\\n\\u0001\"],\"c\":[],\"d\":null}")
    }

    @Test func writtenTextParsesBackToTheSameText() throws {
        let original = "tab\there \u{7F} \u{202E}rtl \\ / \"q\" 한국어 日本語"
        let node = try parse(JSONWriter.compact(.string(original)))
        if case .string(let text) = node.kind { #expect(text == original) } else { Issue.record("not a string") }
    }

    @Test func terminalEscapingHidesNothingAndKeepsTheText() throws {
        let original = "\u{1B}]0;t\u{07} \u{7F}\u{9B}\u{202E}\u{200B}\u{FEFF}\u{2028} é 한국어 👩\u{200D}💻"
        let written = JSONWriter.pretty(.string(original), escaping: .terminal)
        #expect(written == "\"\\u001b]0;t\\u0007 \\u007f\\u009b\\u202e\\u200b\\ufeff\\u2028 é 한국어 👩\\u200d💻\"\n")
        #expect(JSONWriter.pretty(.string("plain é"), escaping: .terminal) == JSONWriter.pretty(.string("plain é")))
        let node = try parse(written)
        if case .string(let text) = node.kind { #expect(text == original) } else { Issue.record("not a string") }
    }
}
