import PolicyTrackerCore
import Testing

/// `ChangeLogFormat.decode` and `CatalogFormat.decode` read valid files straight into values
/// and parse a tree only to describe a problem. The tree path is the reference: on valid
/// and broken input alike, the direct path must give exactly its values and its errors.
@Suite struct DirectDecodingTests {
    /// One line of each kind of change, with and without the optional members.
    static let changeLines: [String] = [
        Fixture.change("c1", "a", .status(.implemented), happened: "2024-02-29", note: "done", source: "src"),
        Fixture.change("c2", "a", .watch(true), note: "한국어 日本語 \"quoted\" \\ tab\t"),
        Fixture.change("c3", "a", .review),
        Fixture.change("c4", "a", .edit(
            RecommendationPatch(title: "New", actors: [.rok, .us], source: Citation(source: "src", quote: "q")),
            previous: RecommendationPatch(title: "Old", summary: "", actors: [.japan]))),
        Fixture.change("c5", "new", .add(Fixture.recommendation("new", summary: "S", quote: "Q", watched: true))),
        Fixture.change("c6", "a", .revert(changeId: "c1")),
        Fixture.change("c11", "a", .edit(
            RecommendationPatch(links: [Link(.supersedes, "b"), Link(.advances, "c")]), previous: RecommendationPatch(links: []))),
        Fixture.change("c12", "new", .add(Fixture.recommendation("new", links: [Link(.advances, "a"), Link(.advances, "b")]))),
    ].map(ChangeLogFormat.encodeLine) + [
        // Members in another order, white space, nulls for absent members, escapes.
        #" { "status" : "stalled" , "kind":"status","schemaVersion":1, "id":"a","changeId":"c7","happened":"2023-05","recorded":"2024-01-01T00:00:00Z","note":null,"source":null }"#,
        #"{"changeId":"c8","happened":"2023","id":"a","kind":"revert","recorded":"2024-01-01T00:00:00Z","reverts":"c\u0031","schemaVersion":1,"note":"\ud83d\ude00\n\/"}"# + "\r",
        #"{"changeId":"c9","happened":"2023","id":"a","kind":"edit","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"fields":{"actors":[],"horizon":null},"previous":{"actors":null,"source":null}}"#,
        #"{"changeId":"c10","happened":"2023","id":"x","kind":"add","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"recommendation":{"id":"x","catalog":"main","title":"T","category":"c","horizon":"ongoing","source":{"id":"s","quote":null},"actors":null,"watched":null,"summary":null,"lastReviewed":"2020"}}"#,
    ]

    /// What the tree path makes of a one-line log.
    private func reference(_ text: SourceText) -> Result<[Change], TrackerError> {
        let node: JSONNode
        do {
            node = try JSONParser.parseDocument(text.bytes, in: 0..<text.bytes.count - 1)
        } catch {
            return .failure(text.problem(at: error.offset, error.message))
        }
        do {
            return .success([try ChangeLogFormat.decodeChange(node, text)])
        } catch {
            return .failure(error)
        }
    }

    private func decoded(_ text: SourceText) -> Result<[Change], TrackerError> {
        do {
            return .success(try ChangeLogFormat.decode(text).changes)
        } catch {
            return .failure(error)
        }
    }

    private func logText(_ line: [UInt8]) -> SourceText {
        SourceText(path: "changes.jsonl", bytes: line + [0x0A])
    }

    @Test(arguments: changeLines)
    func validLinesDecodeAsTheTreeDecodesThem(_ line: String) throws {
        let text = logText(Array(line.utf8))
        let changes = try ChangeLogFormat.decode(text).changes
        #expect(changes.count == 1)
        #expect(.success(changes) == reference(text))
    }

    @Test func everyKindOfChangeSurvivesARoundTrip() throws {
        let log = Self.changeLines.prefix(8).joined(separator: "\n")
        let changes = try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: Array(log.utf8))).changes
        #expect(changes.map(ChangeLogFormat.encodeLine) == Array(Self.changeLines.prefix(8)))
    }

    /// Lines with one byte deleted, inserted or replaced: whatever the tree path says about
    /// each, the direct path says the same.
    @Test(arguments: changeLines)
    func brokenLinesFailAsTheTreeFailsThem(_ line: String) {
        var random = Mutations(seed: UInt64(line.utf8.count))
        for _ in 0..<1000 {
            let text = logText(random.mutated(Array(line.utf8)))
            #expect(decoded(text) == reference(text), "\(String(decoding: text.bytes, as: UTF8.self))")
        }
    }

    /// Lines with one member removed, renamed or given another value, at any depth.
    @Test(arguments: changeLines)
    func linesWithWrongMembersFailAsTheTreeFailsThem(_ line: String) throws {
        let root = try SourceText(path: "changes.jsonl", bytes: Array(line.utf8)).parseDocument()
        for variant in MemberEdits.variants(of: MemberEdits.value(of: root)) {
            let text = logText(Array(JSONWriter.compact(variant).utf8))
            #expect(decoded(text) == reference(text), "\(String(decoding: text.bytes, as: UTF8.self))")
        }
    }

    @Test func memberNamesAtTheVeryEndOfTheBufferAreFound() throws {
        // The last member name lies within 16 bytes of the end, where names are read byte by byte.
        let line = #"{"changeId":"c1","happened":"2024","kind":"review","recorded":"2024-01-01T00:00:00Z","schemaVersion":1,"id":"a"}"#
        let changes = try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: Array(line.utf8))).changes
        #expect(changes == [Fixture.change("c1", "a", .review, happened: "2024")])
    }

    // MARK: catalog.json

    static let catalogTexts: [String] = [
        CatalogFormat.encode(Fixture.catalog([
            Fixture.recommendation("a", summary: "Ça \"va\" 한국", quote: "q"),
            Fixture.recommendation("b", catalog: "extra", actors: [.rok], links: [Link(.supersedes, "a"), Link(.advances, "c")], watched: true),
        ])),
        "\u{FEFF}" + #"{"schemaVersion":1,"recommendations":null,"sources":[{"id":"s","title":"T","date":"2021-02","author":null,"where":"\u0041"}],"catalogs":[{"id":"m","title":"M","default":true,"description":null}]}"#,
        #"{"schemaVersion": 1}"#,
    ]

    private func catalogResult(_ body: () throws(TrackerError) -> CatalogDocument) -> Result<CatalogDocument, TrackerError> {
        do {
            return .success(try body())
        } catch {
            return .failure(error)
        }
    }

    private func catalogResults(_ bytes: [UInt8]) -> (direct: Result<CatalogDocument, TrackerError>, tree: Result<CatalogDocument, TrackerError>) {
        let text = SourceText(path: "catalog.json", bytes: bytes)
        return (
            catalogResult { () throws(TrackerError) in try CatalogFormat.decode(text) },
            catalogResult { () throws(TrackerError) in try CatalogFormat.decode(try text.parseDocument(), in: text) })
    }

    @Test(arguments: catalogTexts)
    func validCatalogsDecodeAsTheTreeDecodesThem(_ catalog: String) throws {
        let results = catalogResults(Array(catalog.utf8))
        #expect((try? results.direct.get()) != nil)
        #expect(results.direct == results.tree)
    }

    @Test(arguments: catalogTexts)
    func catalogsWithWrongMembersFailAsTheTreeFailsThem(_ catalog: String) throws {
        let root = try SourceText(path: "catalog.json", bytes: Array(catalog.utf8)).parseDocument()
        for variant in MemberEdits.variants(of: MemberEdits.value(of: root)) {
            let text = JSONWriter.pretty(variant)
            let results = catalogResults(Array(text.utf8))
            #expect(results.direct == results.tree, "\(text)")
        }
    }

    @Test(arguments: catalogTexts)
    func brokenCatalogsFailAsTheTreeFailsThem(_ catalog: String) {
        var random = Mutations(seed: UInt64(catalog.utf8.count))
        for _ in 0..<1000 {
            let bytes = random.mutated(Array(catalog.utf8))
            let results = catalogResults(bytes)
            #expect(results.direct == results.tree, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}

/// Edits of a JSON value at the level of its members: each member and element removed,
/// renamed, or replaced by values of every type and of the forms ptrack's fields take.
enum MemberEdits {
    static let replacements: [JSONValue] = [
        .null, .bool(true), .int(0), .int(1), .int(2), .int(-1), .fraction(1.5), .array([]), .object([:]),
        .string(""), .string(" \u{A0}"), .string("x"), .string("c 1"), .string("a--b"), .string("A"),
        .string("US"), .string("ROK"), .string("ongoing"), .string("implemented"), .string("review"), .string("edit"),
        .string("2023"), .string("2023-02-30"), .string("2024-01-01T00:00:00Z"), .string("main"),
        .array([.string("US"), .string("US")]), .array([.string("Japan")]), .array([.null]),
        .object(["id": .string("src")]), .object(["title": .string("T")]),
        .string("advances"), .object(["kind": .string("advances"), "id": .string("a")]),
        .array([.object(["kind": .string("advances"), "id": .string("a")]), .object(["id": .string("a"), "kind": .string("advances")])]),
    ]

    static func value(of node: JSONNode) -> JSONValue {
        switch node.kind {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .number(let digits): .int(Int(digits)!)
        case .string(let text): .string(text)
        case .array(let elements): .array(elements.map(value))
        case .object(let members): .object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, value(of: $0.value)) }))
        }
    }

    /// Every variant of `value` with one edit.
    static func variants(of value: JSONValue) -> [JSONValue] {
        switch value {
        case .object(let members):
            members.flatMap { key, member -> [JSONValue] in
                var without = members
                without[key] = nil
                var renamed = without
                renamed[key + "s"] = member
                let edited = (replacements + variants(of: member)).map { replacement -> JSONValue in
                    var edited = members
                    edited[key] = replacement
                    return .object(edited)
                }
                return [.object(without), .object(renamed)] + edited
            }
        case .array(let elements):
            elements.indices.flatMap { index -> [JSONValue] in
                var without = elements
                without.remove(at: index)
                return [.array(without)] + (replacements + variants(of: elements[index])).map { replacement -> JSONValue in
                    var edited = elements
                    edited[index] = replacement
                    return .array(edited)
                }
            }
        default:
            []
        }
    }
}

/// Single-byte edits of a text, from a fixed seed, biased towards the bytes JSON cares about.
struct Mutations {
    private var state: UInt64
    private static let interesting = Array(#""\{}[]:,-0123456789eE.+ ntrfu/"#.utf8) + [0x09, 0x0D, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]

    init(seed: UInt64) {
        state = seed
    }

    private mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    /// `bytes` with one byte deleted, inserted or replaced (never by a line break).
    mutating func mutated(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        let position = next(bytes.count)
        let byte = Self.interesting[next(Self.interesting.count)]
        switch next(3) {
        case 0: result.remove(at: position)
        case 1: result.insert(byte, at: position)
        default: result[position] = byte
        }
        return result
    }
}
