import PolicyTrackerCore

/// The language a synthetic item is written in: most in English, one in ten in Korean or
/// Japanese, so search, wide-character layout and UTF-8 handling meet realistic text.
enum Language: UInt8 {
    case english, korean, japanese
}

/// Word lists and sentence patterns in the style of the bundled agenda (trilateral
/// US–Japan–ROK cooperation), in English, Korean and Japanese. Texts are put together from
/// them to lengths drawn around the targets of the benchmark: titles about 60 characters,
/// summaries about 400, notes about 120.
///
/// Patterns are split into pieces once, and every word knows its length, so a text is built
/// by appending, without searching or counting characters again: the generator makes a
/// million notes in a few seconds.
struct Phrasebook: Sendable {
    let verbs: Words
    let objects: Words
    let qualifiers: Words
    let cities: Words
    let sentences: [Pattern]
    /// Put between the sentences of a summary.
    let sentenceSeparator: String

    static let english = Phrasebook(
        verbs: [
            "launch", "expand", "institutionalise", "strengthen", "establish", "deepen", "coordinate", "sustain",
            "align", "build", "create", "resume", "fund", "review", "harmonise", "protect", "develop", "formalise",
            "broaden", "restore",
        ],
        objects: [
            "a trilateral 2+2+2 dialogue", "missile-warning data sharing", "supply-chain resilience planning",
            "joint maritime patrols", "export-control enforcement", "semiconductor research funding",
            "cyber incident response", "humanitarian assistance exercises", "critical-minerals stockpiles",
            "people-to-people exchanges", "energy security cooperation", "intelligence sharing via GSOMIA",
            "ballistic missile defence drills", "development finance in Southeast Asia", "public diplomacy campaigns",
            "sanctions monitoring against North Korea", "quantum technology standards", "pandemic preparedness stocks",
            "space situational awareness", "coast guard coordination", "a standing trilateral secretariat",
            "youth leadership programmes", "clean hydrogen supply chains", "undersea cable protection",
        ],
        qualifiers: [
            "among the three governments", "with regional partners", "at the working level", "before the next summit",
            "under a standing secretariat", "through annual ministerial meetings", "in the Indo-Pacific",
            "with parliamentary oversight", "for the next decade", "across ministries", "with private-sector input",
            "in crisis situations", "despite domestic opposition", "on a predictable schedule",
        ],
        cities: [
            "Tokyo", "Seoul", "Washington", "Camp David", "Busan", "Hiroshima", "Jakarta", "Phnom Penh", "Honolulu",
            "Osaka", "Jeju", "Yokosuka",
        ],
        sentences: [
            "The report argues that the three governments should {verb} {object} {qualifier}.",
            "Officials in {city} first floated the idea, but progress since has been uneven.",
            "Experts note that {object} depends on domestic support in Seoul and Tokyo as much as on Washington.",
            "A standing mechanism would keep {object} going through changes of government in any of the three capitals.",
            "Without sustained funding, {object} risks becoming a one-off gesture rather than a standing practice.",
            "The authors suggest starting {qualifier} and widening the effort once trust has been built.",
            "Earlier attempts faltered when historical disputes flared, so the proposal builds in regular reviews.",
            "Measurable milestones, published each year, would let legislatures and the public follow the work.",
            "Linking {object} to {object} would make both more resilient to political shocks.",
            "Regional partners such as Australia and the Philippines could join later, {qualifier}.",
        ],
        sentenceSeparator: " ")

    static let korean = Phrasebook(
        // Verbal nouns without a final consonant, so the particles of the patterns fit them all.
        verbs: ["강화", "확대", "제도화", "정례화", "재개", "고도화", "정상화"],
        objects: [
            "한미일 정보 공유 체계", "공급망 회복력 계획", "해양 공동 순찰", "수출 통제 집행", "반도체 연구 협력",
            "사이버 사고 대응", "인도적 지원 훈련", "핵심 광물 비축", "인적 교류 프로그램", "에너지 안보 협력",
            "미사일 경보 정보 공유", "대북 제재 감시", "해저 케이블 보호", "3국 협력 사무국",
        ],
        qualifiers: [
            "3국 정부 간", "역내 파트너와 함께", "실무 차원에서", "차기 정상회의 전까지", "상설 사무국을 통해",
            "인도태평양 지역에서", "의회의 감독 아래", "연례 장관회의를 통해",
        ],
        cities: ["도쿄", "서울", "워싱턴", "캠프 데이비드", "부산", "히로시마", "자카르타", "프놈펜"],
        sentences: [
            "보고서는 {qualifier} {object}의 {verb}를 권고한다.",
            "{city}에서 열린 회의에서 세 나라는 {object}에 합의했지만 이행은 더디다.",
            "전문가들은 서울과 도쿄의 국내 여론이 {object}의 지속 가능성을 좌우한다고 본다.",
            "예산과 인력이 뒷받침되지 않으면 {object}의 성과는 일회성에 그칠 수 있다.",
            "정권이 바뀌어도 {object}의 성과가 유지되려면 상설 협의 기구가 필요하다.",
            "저자들은 {qualifier} 작은 사업부터 시작해 신뢰를 쌓은 뒤 범위를 넓히자고 제안한다.",
        ],
        sentenceSeparator: " ")

    static let japanese = Phrasebook(
        verbs: ["を強化する", "を拡大する", "を制度化する", "を定例化する", "を再開する", "を推進する", "を構築する"],
        objects: [
            "日米韓の情報共有体制", "サプライチェーン強靱化計画", "共同海上パトロール", "輸出管理の執行", "半導体研究協力",
            "サイバー事案対応", "人道支援訓練", "重要鉱物の備蓄", "人的交流プログラム", "エネルギー安全保障協力",
            "ミサイル警戒情報の共有", "対北朝鮮制裁の監視", "海底ケーブルの防護", "三か国協力事務局",
        ],
        qualifiers: [
            "三か国政府間で", "地域のパートナーと共に", "実務レベルで", "次回首脳会談までに", "常設事務局を通じて",
            "インド太平洋地域で", "議会の監督の下で", "年次閣僚会合を通じて",
        ],
        cities: ["東京", "ソウル", "ワシントン", "キャンプ・デービッド", "釜山", "広島", "ジャカルタ", "プノンペン"],
        sentences: [
            "報告書は、{qualifier}{object}{verb}ことを提言している。",
            "{city}で開かれた会合で三か国は{object}に合意したが、実施は遅れている。",
            "専門家は、ソウルと東京の世論が{object}の持続性を左右すると指摘する。",
            "予算と人員の裏付けがなければ、{object}は一過性の取り組みに終わりかねない。",
            "政権交代があっても{object}を続けるには、常設の協議機関が必要だ。",
            "著者らは、{qualifier}小さな事業から始め、信頼を築いてから範囲を広げるよう求めている。",
        ],
        sentenceSeparator: "")

    static func of(_ language: Language) -> Phrasebook {
        switch language {
        case .english: english
        case .korean: korean
        case .japanese: japanese
        }
    }

    init(verbs: [String], objects: [String], qualifiers: [String], cities: [String], sentences: [String], sentenceSeparator: String) {
        self.verbs = Words(verbs)
        self.objects = Words(objects)
        self.qualifiers = Words(qualifiers)
        self.cities = Words(cities)
        self.sentences = sentences.map(Pattern.init)
        self.sentenceSeparator = sentenceSeparator
    }

    // MARK: Lengths

    /// A target length in characters, drawn around `mean` (±`spread`): the mean of two
    /// draws, so lengths cluster around the mean, as real texts do.
    static func targetLength(_ mean: Int, _ spread: Int, _ random: inout SplitMix64) -> Int {
        (random.inRange(mean - spread...mean + spread) + random.inRange(mean - spread...mean + spread)) / 2
    }

    // MARK: Texts

    /// A summary of about 400 characters: sentences drawn from the patterns, none twice in a row.
    func summary(_ random: inout SplitMix64) -> String {
        let target = Self.targetLength(400, 150, &random)
        var text = Text()
        var previous = -1
        while text.length < target - 40 {
            if text.length > 0 { text.add(sentenceSeparator) }
            previous = Self.differentIndex(sentences.count, from: previous, &random)
            fill(sentences[previous], into: &text, &random)
        }
        return text.string
    }

    /// One more sentence for a note that came out short.
    func sentence(into text: inout Text, _ random: inout SplitMix64) {
        text.add(sentenceSeparator)
        fill(sentences[random.below(sentences.count)], into: &text, &random)
    }

    func fill(_ pattern: Pattern, into text: inout Text, _ random: inout SplitMix64) {
        for piece in pattern.pieces {
            switch piece {
            case .text(let string, let length): text.add(string, length: length)
            case .verb: verbs.pick(into: &text, &random)
            case .object: objects.pick(into: &text, &random)
            case .qualifier: qualifiers.pick(into: &text, &random)
            case .city: cities.pick(into: &text, &random)
            }
        }
    }

    /// An index below `count` other than `previous`.
    static func differentIndex(_ count: Int, from previous: Int, _ random: inout SplitMix64) -> Int {
        guard previous >= 0 else { return random.below(count) }
        return (previous + 1 + random.below(count - 1)) % count
    }

    // MARK: English

    static let groups = Words([
        "US and Japanese officials", "Japan and the ROK", "All three governments", "The ROK foreign ministry",
        "A US State Department delegation", "Defence ministers of the three countries", "Japan's cabinet office",
        "Working-level negotiators", "Trilateral coordinators", "Parliamentarians from Seoul and Tokyo",
    ])
    static let pastVerbs = Words([
        "discussed", "agreed on", "reviewed", "announced plans for", "debated", "pledged support for",
        "set a timetable for", "published guidance on",
    ])
    static let titleVerbs = Words([
        "Launch", "Expand", "Institutionalise", "Strengthen", "Establish", "Deepen", "Coordinate", "Sustain",
        "Align", "Build", "Create", "Resume", "Fund", "Review", "Harmonise", "Protect", "Develop", "Formalise",
        "Broaden", "Restore",
    ])
    static let outcomes: [Status: Words] = [
        .notStarted: Words(["but no concrete steps have been taken", "though no budget has been allocated yet",
                            "and left the details to a later meeting"]),
        .inProgress: Words(["with working-level talks continuing", "and a first joint exercise followed within months",
                            "and named a task force to carry the work forward"]),
        .partial: Words(["though only two of the three governments have acted", "covering some but not all of the agreed measures",
                         "while funding for the second phase is still pending"]),
        .implemented: Words(["completing the commitment", "and the arrangement now runs as a standing practice",
                             "meeting every benchmark the report set"]),
        .stalled: Words(["but talks stalled over historical disputes", "but follow-up meetings were postponed indefinitely",
                         "but a change of government froze the plan"]),
        .reversed: Words(["but the arrangement was suspended after a diplomatic row", "and earlier gains were rolled back",
                          "before one side withdrew from the agreement"]),
    ]

    /// "Strengthen joint maritime patrols with regional partners", about 60 characters.
    static func englishTitle(_ random: inout SplitMix64) -> String {
        let target = targetLength(60, 18, &random)
        var text = Text()
        titleVerbs.pick(into: &text, &random)
        text.add(" ")
        english.objects.pick(into: &text, &random)
        var used: Set<Int> = []
        while text.length < target - 12, used.count < 3 {
            let index = random.below(english.qualifiers.words.count)
            if used.insert(index).inserted {
                text.add(" ")
                english.qualifiers.add(index, into: &text)
            }
        }
        return text.string
    }

    static func englishNote(year: Int, status: Status, _ random: inout SplitMix64) -> String {
        let target = targetLength(120, 45, &random)
        var text = Text()
        groups.pick(into: &text, &random)
        text.add(" ")
        pastVerbs.pick(into: &text, &random)
        text.add(" ")
        english.objects.pick(into: &text, &random)
        text.add(" at the ")
        english.cities.pick(into: &text, &random)
        text.add(" meeting in \(year)")
        if text.length < target - 30 {
            text.add(", ")
            outcomes[status]!.pick(into: &text, &random)
        }
        text.add(".")
        if text.length < target - 40 { english.sentence(into: &text, &random) }
        return text.string
    }

    static func englishQuote(_ random: inout SplitMix64) -> String {
        var text = Text()
        english.verbs.pick(into: &text, &random)
        text.add(" ")
        english.objects.pick(into: &text, &random)
        text.add(" ")
        english.qualifiers.pick(into: &text, &random)
        return text.string
    }

    // MARK: Korean and Japanese

    static let koreanOutcomes: [Status: String] = [
        .notStarted: "아직 구체적인 조치는 없다.", .inProgress: "후속 실무 협의가 이어지고 있다.",
        .partial: "세 나라 가운데 두 나라만 조치를 취했다.", .implemented: "합의 사항이 모두 이행되었다.",
        .stalled: "역사 문제를 둘러싼 갈등으로 진전이 멈췄다.", .reversed: "외교 갈등 이후 합의가 중단되었다.",
    ]
    static let japaneseOutcomes: [Status: String] = [
        .notStarted: "具体的な措置はまだ取られていない。", .inProgress: "実務協議が続いている。",
        .partial: "三か国のうち二か国だけが措置を講じた。", .implemented: "合意事項はすべて実施された。",
        .stalled: "歴史問題をめぐる対立で進展が止まった。", .reversed: "外交摩擦の後、合意は停止された。",
    ]

    /// "실무 차원에서 해양 공동 순찰 강화 및 …", about 60 characters.
    static func koreanTitle(_ random: inout SplitMix64) -> String {
        let target = targetLength(60, 18, &random)
        var text = Text()
        korean.qualifiers.pick(into: &text, &random)
        while true {
            text.add(" ")
            korean.objects.pick(into: &text, &random)
            text.add(" ")
            korean.verbs.pick(into: &text, &random)
            guard text.length < target - 10 else { return text.string }
            text.add(" 및")
        }
    }

    /// "常設事務局を通じて共同海上パトロールを強化するとともに、…", about 60 characters.
    static func japaneseTitle(_ random: inout SplitMix64) -> String {
        let target = targetLength(60, 18, &random)
        var text = Text()
        japanese.qualifiers.pick(into: &text, &random)
        var joiner = ""
        repeat {
            text.add(joiner)
            japanese.objects.pick(into: &text, &random)
            japanese.verbs.pick(into: &text, &random)
            joiner = joiner.isEmpty ? "とともに、" : "、さらに"
        } while text.length < target - 10
        return text.string
    }

    static func koreanNote(year: Int, month: Int?, status: Status, _ random: inout SplitMix64) -> String {
        let target = targetLength(120, 45, &random)
        var text = Text()
        text.add("\(year)년 " + (month.map { "\($0)월 " } ?? ""))
        korean.cities.pick(into: &text, &random)
        text.add(" 회의에서 ")
        korean.objects.pick(into: &text, &random)
        text.add("의 ")
        korean.verbs.pick(into: &text, &random)
        text.add("가 논의되었다. ")
        text.add(koreanOutcomes[status]!)
        if text.length < target - 30 { korean.sentence(into: &text, &random) }
        return text.string
    }

    static func japaneseNote(year: Int, month: Int?, status: Status, _ random: inout SplitMix64) -> String {
        let target = targetLength(120, 45, &random)
        var text = Text()
        text.add("\(year)年" + (month.map { "\($0)月" } ?? "") + "の")
        japanese.cities.pick(into: &text, &random)
        text.add("会合で")
        japanese.objects.pick(into: &text, &random)
        text.add("について協議した。")
        text.add(japaneseOutcomes[status]!)
        if text.length < target - 30 { japanese.sentence(into: &text, &random) }
        return text.string
    }
}

/// A text being built, with its length in characters (Unicode scalars: the phrasebook has no
/// combining marks, so they are the characters) kept as it grows.
struct Text {
    var string = ""
    var length = 0

    mutating func add(_ piece: String, length: Int) {
        string += piece
        self.length += length
    }

    mutating func add(_ piece: String) {
        add(piece, length: piece.unicodeScalars.count)
    }
}

/// A word list with each word's length.
struct Words: Sendable, ExpressibleByArrayLiteral {
    let words: [String]
    let lengths: [Int]

    init(_ words: [String]) {
        self.words = words
        lengths = words.map(\.unicodeScalars.count)
    }

    init(arrayLiteral words: String...) {
        self.init(words)
    }

    func pick(into text: inout Text, _ random: inout SplitMix64) {
        add(random.below(words.count), into: &text)
    }

    func add(_ index: Int, into text: inout Text) {
        text.add(words[index], length: lengths[index])
    }
}

/// A sentence pattern such as "Experts note that {object} depends on …", split once into
/// literal pieces and slots.
struct Pattern: Sendable {
    enum Piece: Sendable {
        case text(String, Int)
        case verb, object, qualifier, city
    }

    let pieces: [Piece]

    init(_ pattern: String) {
        var pieces: [Piece] = []
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex {
                let literal = String(rest[..<open])
                pieces.append(.text(literal, literal.unicodeScalars.count))
            }
            switch rest[rest.index(after: open)..<close] {
            case "verb": pieces.append(.verb)
            case "object": pieces.append(.object)
            case "qualifier": pieces.append(.qualifier)
            case "city": pieces.append(.city)
            case let slot: preconditionFailure("unknown slot {\(slot)} in a phrasebook pattern")
            }
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest), rest.unicodeScalars.count)) }
        self.pieces = pieces
    }
}
