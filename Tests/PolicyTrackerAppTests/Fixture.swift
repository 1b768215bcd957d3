import PolicyTrackerApp
import PolicyTrackerCore

// The browser's state for tests: the bundled agenda (optionally with extra changes appended
// to its log), data directory "/data", today 2024-02-01. Tests change it only through
// `Update.update` with messages, as the runtime does.

enum Fixture {
    static let today = PolicyDate("2024-02-01")!
    static let recorded = Timestamp("2024-01-31T12:00:00Z")!
    static let narrow = Size(width: 80, height: 24)
    static let wide = Size(width: 140, height: 40)

    /// The bundled catalog and change log, decoded as the store decodes them.
    static func bundled() throws -> (catalog: CatalogDocument, changes: [Change]) {
        let catalog = try CatalogFormat.decode(SourceText(path: "catalog.json", bytes: BundledAgenda.catalogBytes))
        let changes = try ChangeLogFormat.decode(SourceText(path: "changes.jsonl", bytes: BundledAgenda.changesBytes)).changes
        return (catalog, changes)
    }

    /// The tracker after the bundled log plus `extra` changes.
    static func tracker(extra: [Change] = []) throws -> (TrackerState, [Change]) {
        let (catalog, changes) = try bundled()
        let history = changes + extra
        let tracker = try Replay.state(
            catalog: catalog, changes: history,
            locate: { index, _, message in .badData(path: "changes.jsonl", line: index + 1, column: nil, message: message) },
            locateLink: { _, _, message in .badData(path: "catalog.json", line: nil, column: nil, message: message) })
        return (tracker, history)
    }

    /// A browser on the bundled agenda (plus `extra` changes) at `size`.
    static func state(size: Size = narrow, extra: [Change] = []) throws -> AppState {
        let (tracker, history) = try tracker(extra: extra)
        return AppState(tracker: tracker, history: history, dataDirectory: "/data", size: size, today: today)
    }

    // MARK: Hand-made changes

    static func add(_ id: String, title: String, summary: String = "", category: String = "security",
                    quote: String? = nil, watched: Bool = false, note: String? = nil) -> Change {
        let recommendation = Recommendation(
            id: id, catalog: "ncafp-2021", title: title, summary: summary, category: category, horizon: .shortTerm,
            actors: [.japan, .rok], source: Citation(source: "kwon-2021", quote: quote), watched: watched)
        return Change(changeId: "test-\(id)-add", recommendationId: id, kind: .add(recommendation),
                      happened: PolicyDate("2024-01-20")!, recorded: recorded, note: note)
    }

    static func mark(_ id: String, _ status: Status, happened: String = "2024-01-25", note: String? = nil, source: String? = nil) -> Change {
        Change(changeId: "test-\(id)-\(status.rawValue)", recommendationId: id, kind: .status(status),
               happened: PolicyDate(happened)!, recorded: recorded, note: note, source: source)
    }

    /// An item with a Japanese and Korean title, an emoji and a combining mark, watched, with
    /// a status change noted in Japanese.
    static var cjkChanges: [Change] {
        [add("cjk-cooperation", title: "日米韓の安全保障協力を強化する 한미일 안보 협력 강화 🤝 café",
             summary: "日本と韓国は北朝鮮のミサイル警戒データを共有し、米国を交えた三か国の枠組みで毎年の首脳会談と共同訓練を定例化する。한국과 일본은 미사일 경보 정보를 실시간으로 공유한다.",
             quote: "三か国の協力", watched: true),
         mark("cjk-cooperation", .partial, note: "2023年12月に警戒データの共有が始まった。실시간 공유 개시.")]
    }

    /// Made-up categories beyond the bundled agenda's eight, forty in all: Korean and
    /// Japanese names, a very long one, and two with terminal escapes or an override.
    static let extraCategories = [
        "agriculture", "arctic-affairs", "aviation-safety", "biodiversity", "climate-finance", "critical-minerals",
        "cyber-resilience", "data-governance", "development-aid", "disaster-relief", "energy-transition",
        "export-controls", "fisheries", "food-security", "gender-equality", "global-health", "humanitarian-corridors",
        "infrastructure-investment", "labour-mobility", "maritime-domain-awareness-and-information-sharing-at-sea",
        "nuclear-safety", "ocean-plastics", "pandemic-preparedness", "quantum-technology", "semiconductors",
        "space-debris", "trade-facilitation", "urban-resilience", "기후 협력", "日本との防災協力",
        "\u{1B}[31mred-team\u{1B}[0m", "water\u{202E}security",
    ]

    /// One made-up item in each of ``extraCategories``, the later ones marked partial.
    static var manyCategoryChanges: [Change] {
        extraCategories.enumerated().flatMap { index, category in
            let id = "made-up-\(index + 1)"
            return [add(id, title: "A made-up recommendation on \(category)", category: category)]
                + (index % 3 == 0 ? [mark(id, .partial)] : [])
        }
    }

    /// An item whose title, summary, quote and note carry terminal escapes, a carriage
    /// return, a bidirectional override, C1 controls and stacked combining marks.
    static var hostileChanges: [Change] {
        [add("hostile-text", title: "Evil \u{1B}[31mred\u{1B}[0m\rover \u{202E}desrever\u{202C} e\u{301}\u{302}\u{303}nd",
             summary: "Bell\u{07} and \u{1B}]0;title\u{07} and C1\u{9B}2J and tab\there", quote: "\u{2066}isolate\u{2069}\u{1B}[2J",
             note: "added\u{1B}[1A"),
         mark("hostile-text", .reversed, note: "Note with \u{1B}[31mcolor\u{1B}[0m\u{0D}and \u{202E}override", source: "\u{1B}]8;;http://evil\u{07}link")]
    }
}

// MARK: Driving the update

extension AppState {
    /// Sends each message in turn; returns every effect asked for.
    @discardableResult
    mutating func send(_ messages: Message...) -> [Effect] {
        messages.flatMap { Update.update(&self, $0) }
    }

    /// Presses each key in turn.
    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] {
        keys.flatMap { Update.update(&self, .input(.key($0))) }
    }

    /// Types `text` one character at a time.
    @discardableResult
    mutating func type(_ text: String) -> [Effect] {
        text.flatMap { Update.update(&self, .input(.key(.character($0)))) }
    }

    mutating func resize(_ size: Size) {
        Update.update(&self, .input(.resize(size)))
    }

    /// The form being filled in, if one is open.
    var form: Form? {
        if case .form(let form) = mode { return form }
        return nil
    }

    /// Types `text` into the form's field `name`, moving there with Tab.
    mutating func fill(_ name: FormField.Name, _ text: String) {
        for _ in 0..<(form?.fields.count ?? 0) where form?.focused.name != name { press(.tab) }
        press(.control("u"))
        type(text)
    }

    /// The ids of the rows the search matches, in list order.
    var matchedIds: [String] { searchMatches.compactMap { rows[$0].itemId } }

    /// Selects `id` as a user would: `/`, the id, Enter, then `n` while another item that
    /// mentions the id is selected.
    mutating func find(_ id: String) {
        press(.character("/"))
        type(id)
        press(.enter)
        for _ in 0..<searchMatches.count where selectedId != id { press(key("n")) }
    }
}

/// `.character(c)`, shorter.
func key(_ character: Character) -> Key { .character(character) }

/// The bundled agenda's actors and horizons, by the names its tests use.
extension Actor {
    static let us = Actor("US"), japan = Actor("Japan"), rok = Actor("ROK")
}

extension Horizon {
    static let shortTerm = Horizon("short-term"), mediumTerm = Horizon("medium-term")
    static let longTerm = Horizon("long-term"), ongoing = Horizon("ongoing")
}
