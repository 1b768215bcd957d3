import PolicyTrackerCore
import Testing
import TrackerGenerator

/// Import and export: the CSV reader, the cell escaping, and round trips of generated
/// trackers through both lossless forms.
@Suite struct InterchangeTests {
    private let now = time("2026-01-02T03:04:05Z")

    // MARK: CSV

    @Test func csvReadsQuotesLineBreaksAndAByteOrderMark() throws {
        let text = "\u{FEFF}a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\n,last"
        let table = try CSVTable.parse(SourceText(path: "t.csv", bytes: Array(text.utf8)))
        #expect(table.rows.map { $0.map(\.text) } == [["a", "b"], ["x, \"y\"", "two\nlines"], ["", "last"]])
        #expect(table.rows[1][1].offset == 19)
    }

    @Test func csvNamesWhereItsQuotingBreaks() {
        let cases: [(String, Int, Int)] = [("a,b\n\"open,c", 2, 1), ("a\nx\"y", 2, 2), ("a\n\"q\"z", 2, 4)]
        for (text, line, column) in cases {
            let error = thrown { _ = try CSVTable.parse(SourceText(path: "t.csv", bytes: Array(text.utf8))) }
            guard case let .badData(_, foundLine, foundColumn, _)? = error else {
                Issue.record("\(text.debugDescription) was accepted")
                continue
            }
            #expect(foundLine == line && foundColumn == column, "\(text.debugDescription)")
        }
    }

    @Test func csvRefusesTextThatIsNotUTF8AndSkipsEmptyRows() throws {
        let latin1: [UInt8] = Array("id,title\nok,Caf".utf8) + [0xE9] + Array("\n".utf8)
        let error = thrown { _ = try CSVTable.parse(SourceText(path: "l.csv", bytes: latin1)) }
        #expect(error?.description == "l.csv:2:7: not UTF-8 text (save the file as \"CSV UTF-8\")")
        let table = try CSVTable.parse(SourceText(path: "e.csv", bytes: Array("a,b,\n,,\nx,y,\n\"\",\n".utf8)))
        #expect(table.rows.map { $0.map(\.text) } == [["a", "b", ""], ["x", "y", ""], ["", ""]])
    }

    @Test func anEditCellThatIsNotJSONSaysWhy() {
        let csv = "record,id,changeId,kind,happened,recorded,fields,previous\nchange,dtt,e1,edit,2024,2024-01-01T00:00:00Z,\"{\"\"title\"\": \"\"T\"\",}\",{}\n"
        let error = thrown { _ = try ImportDocument.read(SourceText(path: "e.csv", bytes: Array(csv.utf8)), format: .csv, defaults: RowDefaults(), now: now) }
        guard case .several(let problems)? = error else { Issue.record("accepted"); return }
        #expect(problems.count == 1)
        #expect(problems.first?.description.hasPrefix("e.csv:2:46: row 2: \"fields\" is not JSON: ") == true, "\(problems)")
    }

    @Test func spreadsheetHabitsAreRead() throws {
        let csv = "id,title,category,horizon,actors,\nhotline,Hotline,security,Short Term,\"United States, South Korea\",\n,,,,,\n"
            + "desk,Desk,security,ongoing,United States,\n"
        let document = try ImportDocument.read(SourceText(path: "s.csv", bytes: Array(csv.utf8)), format: .csv,
                                               defaults: RowDefaults(catalog: "s", source: "x"), now: now)
        #expect(document.recommendations.map(\.value.actors) == [["United States", "South Korea"].map(Actor.init), [Actor("United States")]])
        // The import finds the values in the catalog's vocabulary.
        let tracker = try BundledAgenda.catalog()
        var into = tracker
        into.catalogs.append(Catalog(id: "s", title: "S", description: "", version: "", source: "", isDefault: false, vocabulary: bundled))
        let plan = try ImportPlan.make(document, into: into, history: [], now: Timestamp("2024-01-01T00:00:00Z")!)
        let added = try #require(plan.catalog).recommendations.filter { $0.catalog == "s" }
        #expect(added.map(\.actors) == [[.us, .rok], [.us]])
        #expect(added.map(\.horizon) == [.shortTerm, .ongoing])
    }

    @Test func cellEscapingIsSafeAndReadsBack() {
        #expect(CSVText.escaped("=SUM(A1)") == "\\u{3D}SUM(A1)")
        #expect(CSVText.escaped("a\u{1B}[31m") == "a\\u{1B}[31m")
        #expect(CSVText.escaped("tab\tline\nend") == "tab\tline\nend")
        #expect(CSVText.escaped("\tcrlf\r\n") == "\\u{9}crlf\\u{D}\n")
        #expect(CSVText.escaped("C:\\u{41}") == "C:\\u{5C}u{41}")
        for text in ["+1", "-1", "@SUM(A1)", "\rcmd", "=HYPERLINK(\"http://x.test\",\"y\")"] {
            let cell = CSVText.escaped(text)
            #expect(!"=+-@\t\r".contains(cell.first!), "\(cell)")
            #expect(CSVText.unescaped(cell) == text)
        }
        #expect(CSVText.unescaped("\\u{1F600} \\u{zz} \\u{110000}") == "😀 \\u{zz} \\u{110000}")
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let text = TrackerText.any(&random)
            #expect(CSVText.unescaped(CSVText.escaped(text)) == text, "\(text.debugDescription)")
            #expect(!CSVText.escaped(text).unicodeScalars.contains { DisplayText.needsEscape($0) && !["\t", "\n"].contains($0) })
        }
    }

    // MARK: Round trips

    @Test(arguments: InterchangeFormat.allCases)
    func generatedTrackersRoundTrip(_ format: InterchangeFormat) throws {
        for seed in UInt64(1)...60 {
            var random = SplitMix64(seed: seed)
            let (catalog, changes) = try RandomTracker.make(&random)
            let text = format == .json ? TrackerExport.json(catalog: catalog, changes: changes) : CSVInterchange.write(catalog: catalog, changes: changes)
            let document = try ImportDocument.read(SourceText(path: "x", bytes: Array(text.utf8)), format: format, defaults: RowDefaults(), now: now)
            let empty = CatalogDocument(catalogs: [], sources: [], recommendations: [])
            let plan = try ImportPlan.make(document, into: empty, history: [], now: now)
            let imported = try #require(plan.catalog)
            #expect(sorted(imported) == sorted(catalog), "seed \(seed)")
            #expect(plan.changes == changes, "seed \(seed)")
            let again = try ImportPlan.make(document, into: imported, history: plan.changes, now: now)
            #expect(again.isEmpty && again.summary.changesPresent == changes.count, "seed \(seed)")
            #expect(again.summary.itemsUnchanged == catalog.recommendations.count && again.summary.itemsDiffering.isEmpty, "seed \(seed)")
        }
    }

    @Test func importingIntoATrackerAddsOnlyWhatItLacks() throws {
        let bundled = try Bundled.catalog()
        let history = try Bundled.changes()
        let text = TrackerExport.json(catalog: bundled, changes: history)
        let document = try ImportDocument.read(SourceText(path: "x", bytes: Array(text.utf8)), format: .json, defaults: RowDefaults(), now: now)
        let plan = try ImportPlan.make(document, into: bundled, history: history, now: now)
        #expect(plan.isEmpty)
        #expect(plan.summary.itemsUnchanged == bundled.recommendations.count && plan.summary.changesPresent == history.count)
    }

    private func sorted(_ document: CatalogDocument) -> CatalogDocument {
        CatalogDocument(
            catalogs: document.catalogs.sorted { $0.id < $1.id }, sources: document.sources.sorted { $0.id < $1.id },
            recommendations: document.recommendations.sorted { $0.id < $1.id })
    }

    // MARK: Rejections

    @Test func everyBadRowIsNamed() {
        let csv = """
            id,title,category,horizon,status,happened
            good,A title,security,short-term,,
            Bad Id,A title,security,short-term,,
            third,A title,security,someday,,
            fourth,,security,short-term,implemented,2024
            fifth,A title,security,short-term,done,2024
            sixth,A title,security,short-term,,2024

            """
        let error = thrown {
            _ = try ImportDocument.read(SourceText(path: "s.csv", bytes: Array(csv.utf8)), format: .csv, defaults: RowDefaults(catalog: "c", source: "s"), now: now)
        }
        guard case .several(let problems)? = error else { Issue.record("accepted: \(String(describing: error))"); return }
        #expect(problems.map(\.description) == [
            "s.csv:3:1: row 3: invalid \"id\" \"Bad Id\" (expected \(Slug.expectedForm))",
            "s.csv:5:1: row 5: missing required field \"title\"",
            "s.csv:6:35: row 6: invalid \"status\" \"done\" (expected one of not-started, in-progress, partial, implemented, stalled, reversed)",
            "s.csv:7:36: row 7: \"happened\" is given without a status",
        ])
    }

    @Test func badJSONElementsAreNamedByPath() {
        let json = """
            {"schemaVersion": 1, "catalogs": [{"id": "c", "title": "C"}, {"id": "C!", "title": "D"}],
             "changes": [{"schemaVersion": 1, "changeId": "x", "id": "a", "kind": "status", "happened": "2024",
                          "recorded": "2024-01-01T00:00:00Z", "status": "finished"}]}
            """
        let error = thrown {
            _ = try ImportDocument.read(SourceText(path: "d.json", bytes: Array(json.utf8)), format: .json, defaults: RowDefaults(), now: now)
        }
        guard case .several(let problems)? = error else { Issue.record("accepted"); return }
        #expect(problems.map(\.description) == [
            "d.json:1:69: $.catalogs[1]: invalid \"id\" \"C!\" (expected \(Slug.expectedForm))",
            "d.json:3:61: $.changes[0]: invalid \"status\" \"finished\" (expected one of not-started, in-progress, partial, implemented, stalled, reversed)",
        ])
    }

    @Test func conflictsWithTheTrackerAreProblems() throws {
        let bundled = try Bundled.catalog()
        let history = try Bundled.changes()
        let csv = """
            record,id,catalog,title,category,horizon,source,changeId,kind,happened,recorded,status,reverts
            recommendation,gsomia,camp-david-2023,Moved,security,ongoing,s,,,,,,
            recommendation,new-one,nowhere,New,security,ongoing,s,,,,,,
            change,gsomia,,,,,,agenda-gsomia-1,status,2023,2024-01-31T00:00:00Z,stalled,
            change,dtt,,,,,,r1,revert,2024,2024-01-31T00:00:00Z,,no-such-change
            change,unknown-item,,,,,,s1,status,2024,2024-01-31T00:00:00Z,partial,

            """
        let document = try ImportDocument.read(SourceText(path: "c.csv", bytes: Array(csv.utf8)), format: .csv, defaults: RowDefaults(), now: now)
        let error = thrown { _ = try ImportPlan.make(document, into: bundled, history: history, now: now) }
        guard case .several(let problems)? = error else { Issue.record("accepted"); return }
        let described = problems.map(\.description)
        #expect(described.count == 5, "\(described)")
        #expect(described[0].hasPrefix("c.csv:2:1: row 2: recommendation \"gsomia\" is already in catalog \"ncafp-2021\""))
        #expect(described[1].hasPrefix("c.csv:3:1: row 3: recommendation \"new-one\" names catalog \"nowhere\""))
        #expect(described[2].hasPrefix("c.csv:4:1: row 4: changeId \"agenda-gsomia-1\" is already in the log, recorded differently"))
        #expect(described[3] == "c.csv:5:1: row 5: reverts \"no-such-change\", which no earlier line records")
        #expect(described[4] == "c.csv:6:1: row 6: names recommendation \"unknown-item\", which the catalog does not have")
    }
}

extension InterchangeTests {
    @Test func linksOfImportedRowsAreCheckedAgainstTheTrackerAndTheFile() throws {
        let bundled = try Bundled.catalog()
        let history = try Bundled.changes()
        let csv = """
            id,title,category,horizon,links
            first,First,security,ongoing,advances:gsomia;Supersedes:second
            second,Second,security,ongoing,advances:no-such-item
            third,Third,security,ongoing,advances:third

            """
        let document = try ImportDocument.read(SourceText(path: "l.csv", bytes: Array(csv.utf8)), format: .csv,
                                               defaults: RowDefaults(catalog: "summit", source: "s"), now: now)
        #expect(document.recommendations.first?.value.links == [Link(.advances, "gsomia"), Link(.supersedes, "second")])
        let fallback = Catalog(id: "summit", title: "Summit", description: "", version: "", source: "", isDefault: false)
        let error = thrown { _ = try ImportPlan.make(document, into: bundled, history: history, fallback: fallback, now: now) }
        guard case .several(let problems)? = error else { Issue.record("accepted"); return }
        #expect(problems.map(\.description).sorted() == [
            "l.csv:3:1: row 3: advances \"no-such-item\", which the tracker does not have",
            "l.csv:4:1: row 4: \"third\" advances itself",
        ].sorted())
    }
}

extension InterchangeTests {
    private func replayed(_ catalog: CatalogDocument, _ changes: [Change]) throws -> TrackerState {
        try Replay.state(catalog: catalog, changes: changes, locate: Fixture.locate, locateLink: Fixture.locateLink)
    }

    @Test func aStatusFromASpreadsheetRowIsTheSameChangeWhenImportedLater() throws {
        let csv = "id,title,category,horizon,status,happened\nhotline,Hotline,security,ongoing,partial,2024\n"
        let read = { (now: Timestamp) throws in
            try ImportDocument.read(SourceText(path: "s.csv", bytes: Array(csv.utf8)), format: .csv, defaults: RowDefaults(catalog: "s", source: "x"), now: now)
        }
        let fallback = Catalog(id: "s", title: "S", description: "", version: "", source: "", isDefault: false)
        let empty = CatalogDocument(catalogs: [], sources: [], recommendations: [])
        let first = try ImportPlan.make(try read(now), into: empty, history: [], fallback: fallback, now: now)
        let later = time("2026-02-03T04:05:06Z")
        let again = try ImportPlan.make(try read(later), into: try #require(first.catalog), history: first.changes, fallback: fallback, now: later)
        #expect(again.isEmpty && again.summary.changesPresent == 1)
    }

    @Test func catalogJSONStaysSoundWithoutTheChangesThatAddALinkedItem() throws {
        let bundled = try Bundled.catalog()
        let history = try Bundled.changes()
        let json = """
            {"schemaVersion": 1,
             "recommendations": [{"id": "linker", "catalog": "ncafp-2021", "title": "L", "category": "security", "horizon": "ongoing",
                                  "source": {"id": "s"}, "links": [{"kind": "advances", "id": "newbie"}, {"kind": "advances", "id": "gsomia"}]}],
             "changes": [{"schemaVersion": 1, "changeId": "add-newbie", "id": "newbie", "kind": "add", "happened": "2024",
                          "recorded": "2024-01-01T00:00:00Z", "recommendation": {"id": "newbie", "catalog": "ncafp-2021", "title": "N",
                          "category": "security", "horizon": "ongoing", "source": {"id": "s"}}}]}
            """
        let document = try ImportDocument.read(SourceText(path: "l.json", bytes: Array(json.utf8)), format: .json, defaults: RowDefaults(), now: now)
        let plan = try ImportPlan.make(document, into: bundled, history: history, now: now)
        let catalog = try #require(plan.catalog)
        // Written first, catalog.json is sound on its own: the link to newbie waits for the edit.
        let alone = try replayed(catalog, history)
        #expect(alone.items["linker"]?.recommendation.links == [Link(.advances, "gsomia")])
        #expect(plan.changes.map(\.changeId).first == "add-newbie" && plan.changes.count == 2)
        let whole = try replayed(catalog, history + plan.changes)
        #expect(whole.items["linker"]?.recommendation.links == [Link(.advances, "gsomia"), Link(.advances, "newbie")])
        #expect(plan.summary.changesAdded == 1)
        // Once done, nothing is left to do; interrupted after catalog.json, the rest is done again.
        #expect(try ImportPlan.make(document, into: catalog, history: history + plan.changes, now: now).isEmpty)
        let resumed = try ImportPlan.make(document, into: catalog, history: history, now: now)
        #expect(resumed.catalog == nil && resumed.changes == plan.changes)
    }
}

/// Text of every kind a tracker may hold: CJK and Korean, emoji, quotes, commas, line
/// breaks, tabs, controls, bidirectional overrides, formula starts and escape look-alikes.
enum TrackerText {
    static let pieces = [
        "trilateral", "共同声明", "한미일 정상회의", "日米韓", "😀", "\"quoted\"", ", comma", "line\nbreak", "crlf\r\nend",
        "\ttab", "\u{1B}[31mred", "\u{202E}rtl", "=SUM(A1)", "-dash", "@at", "+plus", "\\u{41}", "back\\slash", "  spaced  ",
        "ünïcödé", "\u{7F}", "\u{85}", "zero\u{200B}width", "",
    ]

    static func any(_ random: inout SplitMix64) -> String {
        (0..<random.below(4)).map { _ in pieces[random.below(pieces.count)] }.joined()
    }

    /// Text with a visible character in it.
    static func nonBlank(_ random: inout SplitMix64) -> String {
        any(&random) + "x" + any(&random)
    }
}

/// A random, valid tracker: catalogs, sources, recommendations with every field, and a log
/// with every kind of change.
enum RandomTracker {
    static func make(_ random: inout SplitMix64) throws -> (CatalogDocument, [Change]) {
        let catalogs = (0...random.below(3)).map { index in
            Catalog(id: "cat-\(index)", title: TrackerText.nonBlank(&random), description: TrackerText.any(&random),
                    version: TrackerText.any(&random), source: TrackerText.any(&random), isDefault: random.below(3) == 0,
                    vocabulary: Vocabulary(actors: Actor.allCases.map { Term(id: $0.id) }, horizons: Horizon.allCases.map { Term(id: $0.id) }))
        }
        let sources = (0..<random.below(4)).map { index in
            Source(id: "source \(index) " + TrackerText.nonBlank(&random), title: TrackerText.nonBlank(&random),
                   author: TrackerText.any(&random), publisher: TrackerText.any(&random),
                   date: random.below(2) == 0 ? nil : date(&random), location: TrackerText.any(&random))
        }
        let count = 1 + random.below(8)
        let recommendations = (0..<count).map { index in
            recommendation("item-\(index)", catalogs, links: links(from: index, among: (0..<count).map { "item-\($0)" }, &random), &random)
        }
        var catalog = CatalogDocument(catalogs: catalogs, sources: sources, recommendations: recommendations)
        var changes: [Change] = []
        var ids = recommendations.map(\.id)
        for index in 0..<random.below(16) {
            changes.append(change(index, ids: &ids, catalogs: catalogs, earlier: changes, &random))
        }
        // Each catalog declares every value its items take, those the changes give included.
        let everyAddition = changes.filter { $0.kind.isAddition }
        catalog.declareValues(of: try Replay.state(catalog: catalog, changes: everyAddition, locate: Fixture.locate, locateLink: Fixture.locateLink))
        catalog.declareValues(of: try Replay.state(catalog: catalog, changes: changes, locate: Fixture.locate, locateLink: Fixture.locateLink))
        return (catalog, changes)
    }

    /// Up to two links from item `index` to others of `ids`.
    private static func links(from index: Int, among ids: [String], _ random: inout SplitMix64) -> [Link] {
        let others = ids.enumerated().filter { $0.offset != index }.map(\.element)
        guard !others.isEmpty else { return [] }
        let links = (0..<random.below(3)).map { _ in Link(LinkKind.allCases[random.below(2)], others[random.below(others.count)]) }
        return Array(Set(links)).sorted()
    }

    private static func recommendation(_ id: String, _ catalogs: [Catalog], links: [Link] = [], _ random: inout SplitMix64) -> Recommendation {
        Recommendation(
            id: id, catalog: catalogs[random.below(catalogs.count)].id, title: TrackerText.nonBlank(&random),
            summary: TrackerText.any(&random), category: TrackerText.nonBlank(&random),
            horizon: Horizon.allCases[random.below(Horizon.allCases.count)], actors: Actor.allCases.filter { _ in random.below(2) == 0 },
            source: Citation(source: TrackerText.nonBlank(&random), quote: random.below(2) == 0 ? nil : TrackerText.any(&random)),
            links: links, watched: random.below(2) == 0, lastReviewed: random.below(3) == 0 ? date(&random) : nil)
    }

    private static func change(
        _ index: Int, ids: inout [String], catalogs: [Catalog], earlier: [Change], _ random: inout SplitMix64
    ) -> Change {
        let subject = ids[random.below(ids.count)]
        var id = subject
        let kind: Change.Kind
        switch random.below(6) {
        case 0: kind = .status(Status.allCases[random.below(Status.allCases.count)])
        case 1: kind = .watch(random.below(2) == 0)
        case 2: kind = .review
        case 3:
            var fields = patch(&random)
            if random.below(3) == 0 { fields.links = links(from: -1, among: ids.filter { $0 != subject }, &random) }
            kind = .edit(fields, previous: patch(&random))
        case 4:
            id = "added-\(index)"
            ids.append(id)
            kind = .add(recommendation(id, catalogs, links: links(from: -1, among: ids.filter { $0 != id }, &random), &random))
        default:
            guard let target = earlier.randomElement(using: &random) else { return change(index, ids: &ids, catalogs: catalogs, earlier: [], &random) }
            id = target.recommendationId
            kind = .revert(changeId: target.changeId)
        }
        return Change(
            changeId: "change-\(index)-\(random.below(1000))", recommendationId: id, kind: kind, happened: date(&random),
            recorded: Timestamp("202\(random.below(6))-0\(1 + random.below(9))-1\(random.below(10))T1\(random.below(10)):0\(random.below(10)):00Z")!,
            note: random.below(2) == 0 ? nil : TrackerText.any(&random), source: random.below(2) == 0 ? nil : TrackerText.any(&random),
            follows: notesWhatItFollows(kind) ? [nil, [], earlier.suffix(2).map(\.changeId)].randomElement(using: &random)! : nil)
    }

    /// Whether a change of this kind may say what it follows (statuses and reviews).
    private static func notesWhatItFollows(_ kind: Change.Kind) -> Bool {
        switch kind {
        case .status, .review: true
        default: false
        }
    }

    private static func patch(_ random: inout SplitMix64) -> RecommendationPatch {
        RecommendationPatch(
            title: random.below(2) == 0 ? TrackerText.nonBlank(&random) : nil, summary: random.below(2) == 0 ? TrackerText.any(&random) : nil,
            category: random.below(3) == 0 ? TrackerText.nonBlank(&random) : nil,
            horizon: random.below(3) == 0 ? Horizon.allCases[random.below(Horizon.allCases.count)] : nil,
            actors: random.below(3) == 0 ? Actor.allCases.filter { _ in random.below(2) == 0 } : nil,
            source: random.below(3) == 0 ? Citation(source: TrackerText.nonBlank(&random)) : nil)
    }

    private static func date(_ random: inout SplitMix64) -> PolicyDate {
        ["2021", "2022-05", "2023-02-28", "2024-02-29", "1998-10-08"].map { PolicyDate($0)! }[random.below(5)]
    }
}

extension SplitMix64: RandomNumberGenerator {}
