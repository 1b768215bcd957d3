import Foundation
import PolicyTrackerCore
import Testing

/// SHA-256 against the FIPS 180-4 vectors, and a report's provenance: written in each
/// format, read back, and compared with changed data.
@Suite struct ProvenanceTests {
    private func digest(_ text: String) -> String { SHA256.hexDigest(Array(text.utf8)) }

    @Test func knownVectors() {
        #expect(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(digest(String(repeating: "a", count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func piecesHashLikeTheWhole() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        for cut in [0, 1, 55, 56, 63, 64, 65, 128, 999, 1000] {
            var hash = SHA256()
            hash.update(Array(bytes[..<cut]))
            hash.update(Array(bytes[cut...]))
            #expect(hash.hexDigest() == SHA256.hexDigest(bytes), "cut at \(cut)")
        }
    }

    @Test func aMidstateResumesTheHash() throws {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 13) }
        var hash = SHA256()
        hash.update(Array(bytes[..<130]))
        #expect(hash.midstate == nil)
        hash = SHA256()
        hash.update(Array(bytes[..<192]))
        let midstate = try #require(hash.midstate)
        let read = try #require(SHA256.Midstate(hex: midstate.hex, length: 192))
        #expect(read == midstate)
        var resumed = try #require(SHA256(midstate: read))
        resumed.update(Array(bytes[192...]))
        #expect(resumed.hexDigest() == SHA256.hexDigest(bytes))
        #expect(SHA256(midstate: try #require(SHA256.Midstate(hex: midstate.hex, length: 100))) == nil)
        #expect(SHA256.Midstate(hex: String(midstate.hex.dropLast()), length: 192) == nil)
        #expect(SHA256.Midstate(hex: String(midstate.hex.dropLast()) + "g", length: 192) == nil)
    }

    private let catalog = Array("{\"catalogs\":[]}\n".utf8)
    private let log = Array("{\"a\":1}\n{\"b\":2}\n".utf8)

    private func report() throws -> StatusReport {
        let state = try Bundled.state(asOf: day("2024-01-31"))
        var report = StatusReport(
            items: state.sortedItems, catalogs: state.catalogs, history: try Bundled.changes(), asOf: day("2024-01-31"),
            generated: Fixture.now)
        report.addAppendix(items: state.sortedItems, transitions: Timeline.transitions(try Bundled.changes(), asOf: report.asOf), staleDays: 180)
        report.provenance = Provenance(
            catalogs: state.catalogs, asOf: report.asOf, generated: Fixture.now, filters: "status partial, \"stalled\" & <b>; watched",
            digests: DataDigests(catalog: catalog, log: log))
        return report
    }

    @Test(arguments: ReportFormat.allCases) func everyFormatCarriesItsProvenance(_ format: ReportFormat) throws {
        let report = try report()
        for style in [TextStyle(enabled: false), TextStyle(enabled: true)] where style.isEnabled == false || format == .text {
            var text = ""
            report.write(format, style: style, to: &text)
            #expect(try Provenance.parse(text, path: "r") == report.provenance)
        }
    }

    /// A long report's provenance is read from its last 64 KiB, with the same result and the
    /// same line in errors as from the whole.
    @Test(arguments: ReportFormat.allCases) func aLongReportIsReadFromItsEnd(_ format: ReportFormat) throws {
        var text = ""
        try report().write(format, style: TextStyle(enabled: false), to: &text)
        let long = format == .json ? text : String(repeating: "filler\n", count: 12_000) + text
        #expect(try Provenance.parse(bytes: Array(long.utf8), path: "r") == Provenance.parse(long, path: "r"))
        let broken = long.replacingOccurrences(of: "log-bytes", with: "log-size").replacingOccurrences(of: "logBytes", with: "logSize")
        let whole = thrown { _ = try Provenance.parse(broken, path: "r") }
        #expect(whole != nil && thrown { _ = try Provenance.parse(bytes: Array(broken.utf8), path: "r") } == whole)
    }

    @Test func noProvenanceIsBadDataAtTheEnd() {
        #expect(throws: TrackerError.badData(path: "r", line: 3, column: nil, message: "no provenance found (a report written by `ptrack report` ends with one)")) {
            try Provenance.parse("a\nb\nc\n", path: "r")
        }
    }

    @Test func verdicts() throws {
        let provenance = try #require(try report().provenance)
        #expect(provenance.dataSHA256 == SHA256.hexDigest(catalog + log))
        #expect(provenance.verdict(catalog: catalog, log: log) == .matches)
        #expect(provenance.verdict(catalog: catalog + [32], log: log) == .catalogChanged)
        #expect(provenance.verdict(catalog: catalog, log: log + Array("{}\n{}\n".utf8)) == .appended(changes: 2))
        #expect(provenance.verdict(catalog: catalog, log: Array(log.dropLast(2))) == .logRewritten(nowBytes: log.count - 2))
        #expect(provenance.verdict(catalog: catalog, log: [0] + log.dropFirst()) == .logRewritten(nowBytes: log.count))
    }

    /// The check fed in pieces of any size, cut anywhere (across the report's log length
    /// too), finds what it finds of the files whole.
    @Test func piecesGiveTheVerdictOfTheWhole() throws {
        let provenance = try #require(try report().provenance)
        let cases: [([UInt8], [UInt8])] = [
            (catalog, log), (catalog + [32], log), (catalog, log + Array("{}\n{}\n".utf8)), (catalog, Array(log.dropLast(2))),
            (catalog, [0] + log.dropFirst()), (catalog, []), ([], log),
        ]
        for (catalog, log) in cases {
            let whole = provenance.verdict(catalog: catalog, log: log)
            for size in 1...(catalog.count + log.count + 1) {
                var check = Provenance.Check(provenance)
                for start in stride(from: 0, to: catalog.count, by: size) {
                    catalog.withUnsafeBufferPointer { check.addCatalog(UnsafeBufferPointer(rebasing: $0[start..<min(start + size, catalog.count)])) }
                }
                guard check.endCatalog() else {
                    #expect(whole == .catalogChanged, "pieces of \(size)")
                    continue
                }
                for start in stride(from: 0, to: log.count, by: size) {
                    log.withUnsafeBufferPointer { check.addLog(UnsafeBufferPointer(rebasing: $0[start..<min(start + size, log.count)])) }
                }
                #expect(check.verdict == whole, "pieces of \(size)")
            }
        }
    }

    /// `verify` reads the files a piece at a time, in order; its verdicts on the files.
    @Test func theStoreVerifiesItsFiles() throws {
        try withTemporaryDirectory { directory in
            let store = TrackerStore(directory: directory)
            try store.initialiseIfNeeded()
            let catalog = try #require(fileBytes(store.catalogPath))
            var pieces: [[UInt8]] = []
            #expect(try FileSystem.readInPieces(store.catalogPath, pieceSize: 1000) { pieces.append(Array($0)) })
            #expect(catalog.count > 1000 && pieces.count == (catalog.count + 999) / 1000 && pieces.joined().elementsEqual(catalog))
            let provenance = Provenance(
                catalogs: [], asOf: day("2024-01-31"), generated: Fixture.now, filters: "none", digests: try store.dataDigests())
            #expect(try store.verify(provenance) == .matches)
            try appendToFile(store.changesPath, "{}\n")
            #expect(try store.verify(provenance) == .appended(changes: 1))
            let log = try #require(fileBytes(store.changesPath))
            try writeFile(store.changesPath, String(decoding: log.dropFirst(), as: UTF8.self))
            #expect(try store.verify(provenance) == .logRewritten(nowBytes: log.count - 1))
            try writeFile(store.catalogPath, String(decoding: catalog, as: UTF8.self) + " ")
            #expect(try store.verify(provenance) == .catalogChanged)
            #expect(try FileSystem.readInPieces(directory + "/missing") { _ in } == false)
        }
    }

    @Test func evidenceAndStaleItems() throws {
        let report = try report()
        let entries = try #require(report.evidence)
        #expect(entries.allSatisfy { StatusReport.evidenceStatuses.contains($0.item.status) && !$0.transitions.isEmpty })
        #expect(entries.map(\.item.id) == entries.map(\.item.id).sorted())
        #expect(entries.count == 11)
        let evidence = try #require(entries.first { $0.item.id == "repair-bilateral-ties" })
        #expect(evidence.transitions.map(\.to) == [.partial])
        #expect(report.stale.isEmpty)
    }

    @Test func withoutTransitionsTheReportHasNoEvidence() throws {
        var report = try report()
        report.addAppendix(items: report.items, transitions: nil, staleDays: 180)
        #expect(report.evidence != nil)
        report.evidence = nil
        let headings: [ReportFormat: String] = [.text: "\nEvidence\n", .markdown: "## Evidence", .json: "\"evidence\"", .html: "id=\"evidence\""]
        for (format, heading) in headings {
            var text = ""
            report.write(format, style: TextStyle(enabled: false), to: &text)
            #expect(!text.contains(heading), "\(format)")
        }
    }

    @Test func filterSummary() {
        var filter = ItemFilter()
        #expect(filter.summary == "none")
        filter.statuses = [.stalled, .partial]
        filter.category = "security"
        filter.watchedOnly = true
        #expect(filter.summary == "status partial, stalled; category security; watched")
    }
}
