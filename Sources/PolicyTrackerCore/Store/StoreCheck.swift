/// `ptrack check` over the files: the whole log replayed over `catalog.json`, the rules run,
/// and each finding placed at the line it is about.
extension TrackerStore {
    /// A finding with the file and line of what it is about.
    public struct LocatedFinding: Equatable, Sendable {
        public var finding: CheckFinding
        public var path: String
        public var line: Int

        /// `path:line`, as editors and compilers write it.
        public var location: String { "\(path):\(line)" }
    }

    /// What `check` found, each finding located, and the silenced ones.
    public struct CheckOutcome: Sendable {
        public var findings: [LocatedFinding]
        public var silenced: [LocatedFinding]
        /// How many items the rules went over.
        public var itemCount: Int

        /// How many findings that count are errors, and how many warnings.
        public var errors: Int { findings.filter { $0.finding.severity == .error }.count }
        public var warnings: Int { findings.count - errors }
    }

    /// Runs the rules of `settings` over the items `only` names (every item when nil), with
    /// the texts of sources kept in `sources/` (see ``sourceText(_:)``) unless `settings`
    /// says otherwise.
    public func check(_ settings: Checker.Settings, only: Set<String>? = nil) throws(TrackerError) -> CheckOutcome {
        guard let catalogBytes = try FileSystem.read(catalogPath) else { throw TrackerError.notATracker(path: directory) }
        let catalogText = SourceText(path: catalogPath, bytes: catalogBytes)
        let catalog = try CatalogFormat.decode(catalogText)
        let log = try readLog(from: 0, firstLine: 1)
        let state = try Replay.state(catalog: catalog, changes: log.decoded.changes, locate: log.locate, locateLink: linkLocator(log))
        let result = Checker.run(state: state, history: log.decoded.changes, settings: settings, only: only)
        let lines = CheckLines(catalog: catalogText, log: log.text, history: log.decoded.changes)
        return CheckOutcome(
            findings: result.findings.map(lines.locate), silenced: result.silenced.map(lines.locate),
            itemCount: only.map { $0.filter { state.items[$0] != nil }.count } ?? state.items.count)
    }
}

// MARK: Check settings

extension TrackerStore {
    /// `check.json`: the rules silenced for single items.
    public var checkSettingsPath: String { path(TrackerFiles.checkSettings) }

    /// The silences `check.json` records; none when there is no such file.
    public func silences() throws(TrackerError) -> [CheckSilence] {
        guard let bytes = try FileSystem.read(checkSettingsPath) else { return [] }
        return try SilenceFile.decode(SourceText(path: checkSettingsPath, bytes: bytes))
    }

    /// Changes the silences under the writers' lock: `check.json` is read again there (a file
    /// that does not parse is an error and stays as it is), `change` works out the new list,
    /// and the file is replaced atomically. Returns the new list.
    @discardableResult
    public func updateSilences(
        _ change: ([CheckSilence]) throws(TrackerError) -> [CheckSilence]
    ) throws(TrackerError) -> [CheckSilence] {
        try withWriteLock { _ throws(TrackerError) in
            let updated = try change(try silences())
            try FileSystem.replaceAtomically(checkSettingsPath, with: Array(SilenceFile.encode(updated).utf8))
            return updated
        }
    }

    /// The text of the listed source `id` kept as `sources/<id>.txt` in the data directory,
    /// or nil when there is none (or the id could name a path elsewhere).
    public func sourceText(_ id: String) -> String? {
        Self.sourceText(id, in: path(TrackerFiles.sourceTexts))
    }

    /// Every source text kept in `sources/`, by source id: the directory listed once, and
    /// only the files there read (none when it is absent).
    public func sourceTexts() -> [String: String] {
        let directory = path(TrackerFiles.sourceTexts)
        let ids = ((try? FileSystem.contents(directory)) ?? []).compactMap { name in
            name.hasSuffix(".txt") ? String(name.dropLast(4)) : nil
        }
        return Dictionary(uniqueKeysWithValues: ids.compactMap { id in Self.sourceText(id, in: directory).map { (id, $0) } })
    }

    /// The text of the listed source `id` kept as `<id>.txt` in `directory`, or nil when
    /// there is none (or the id could name a path elsewhere).
    public static func sourceText(_ id: String, in directory: String) -> String? {
        guard Slug.isValid(id), let bytes = try? FileSystem.read(directory + "/" + id + ".txt") else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Where each recommendation and each change is written: a recommendation's `id` line in
/// `catalog.json` (or the line of the change that added it), a change's line in the log.
private struct CheckLines {
    let catalogPath: String
    let logPath: String
    let recommendationLines: [String: Int]
    let changeLines: [Int]
    let addedAt: [String: Int]

    init(catalog: SourceText, log: SourceText, history: [Change]) {
        catalogPath = catalog.path
        logPath = log.path
        var recommendationLines: [String: Int] = [:]
        for node in (try? catalog.parseDocument())?.member("recommendations")?.elements ?? [] {
            if let id = node.member("id"), case .string(let text) = id.kind {
                recommendationLines[text] = catalog.position(of: id.offset).line
            }
        }
        self.recommendationLines = recommendationLines
        var changeLines: [Int] = []
        var line = 1
        var scanned = 0
        for range in ChangeLogFormat.lineRanges(of: log) {
            line += log.bytes[scanned..<range.lowerBound].lazy.filter { $0 == 0x0A }.count
            scanned = range.lowerBound
            changeLines.append(line)
        }
        self.changeLines = changeLines
        var addedAt: [String: Int] = [:]
        for (index, change) in history.enumerated() where change.kind.isAddition { addedAt[change.recommendationId] = index }
        self.addedAt = addedAt
    }

    func locate(_ finding: CheckFinding) -> TrackerStore.LocatedFinding {
        switch finding.site {
        case .change(let index, _):
            return .init(finding: finding, path: logPath, line: changeLines.indices.contains(index) ? changeLines[index] : 1)
        case .recommendation:
            if let line = recommendationLines[finding.item] { return .init(finding: finding, path: catalogPath, line: line) }
            let line = addedAt[finding.item].flatMap { changeLines.indices.contains($0) ? changeLines[$0] : nil } ?? 1
            return .init(finding: finding, path: logPath, line: line)
        }
    }
}
