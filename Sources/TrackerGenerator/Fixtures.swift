import PolicyTrackerCore

/// The catalogs and sources every synthetic tracker shares: a few agendas of the kind the
/// bundled one holds, each drawn from one of the sources.
enum Fixtures {
    static let catalogs = [
        Catalog(
            id: "audit-office-2019", title: "Audit Office Follow-up Recommendations (2019)",
            description: "Recommendations of a synthetic audit of trilateral programmes, followed up every year until they are closed.",
            version: "2024.12", source: "audit-office-2019", isDefault: false, vocabulary: vocabulary),
        Catalog(
            id: "camp-david-follow-up-2023", title: "Camp David Follow-up (2023)",
            description: "Commitments drawn from the leaders' statements after the Camp David summit and the meetings that followed it.",
            version: "2024.12", source: "summit-statements-2023", isDefault: false, vocabulary: vocabulary),
        Catalog(
            id: "research-statements-2024", title: "Research Statements on Trilateral Cooperation (2024)",
            description: "Proposals collected from think-tank reports and parliamentary hearings on US–Japan–ROK cooperation.",
            version: "2024.12", source: "think-tank-review-2022", isDefault: false, vocabulary: vocabulary),
        Catalog(
            id: "trilateral-agenda-2021", title: "Synthetic Trilateral Agenda (2021)",
            description: "A large synthetic agenda modelled on the NCAFP practical trilateral agenda, for benchmarks and tests.",
            version: "2024.12", source: "trilateral-commission-2021", isDefault: true, vocabulary: vocabulary),
    ]

    /// The actors, categories and horizons of every catalog: the bundled agenda's.
    static let vocabulary = Vocabulary(
        actors: actors.map { Term(id: $0.id) }, categories: categories.map { Term(id: $0) },
        horizons: horizons.map { Term(id: $0.id) })
    static let actors = ["US", "Japan", "ROK"].map(Actor.init)
    static let horizons = ["short-term", "medium-term", "long-term", "ongoing"].map(Horizon.init)

    /// How often each catalog is chosen for a recommendation.
    static let catalogWeights = [
        ("audit-office-2019", 20), ("camp-david-follow-up-2023", 15), ("research-statements-2024", 25),
        ("trilateral-agenda-2021", 40),
    ]

    static let sources = [
        Source(
            id: "audit-office-2019", title: "Follow-up Audit of Trilateral Cooperation Programmes",
            author: "Office of the Auditor", publisher: "Synthetic Audit Office", date: PolicyDate("2019-06"),
            location: "https://example.org/audit/2019/trilateral"),
        Source(
            id: "ministry-white-paper-2024", title: "Diplomatic White Paper 2024",
            author: "", publisher: "Synthetic Ministry of Foreign Affairs", date: PolicyDate("2024"),
            location: "https://example.org/white-paper/2024"),
        Source(
            id: "parliament-hearing-2020", title: "Hearing on Alliance Burden Sharing",
            author: "Committee on Foreign Affairs", publisher: "Synthetic Parliament", date: PolicyDate("2020-11-17"),
            location: "https://example.org/hearings/2020-11-17"),
        Source(
            id: "summit-statements-2023", title: "The Spirit of Camp David and Commitment to Consult",
            author: "", publisher: "Synthetic Leaders' Office", date: PolicyDate("2023-08-18"),
            location: "https://example.org/summit/2023"),
        Source(
            id: "think-tank-review-2022", title: "Reinvesting in Trilateral Relations: A Review",
            author: "J. Doe and M. Kim", publisher: "Synthetic Policy Institute", date: nil,
            location: "https://example.org/review"),
        Source(
            id: "trilateral-commission-2021", title: "A Practical Trilateral Agenda",
            author: "Synthetic Commission on Foreign Policy", publisher: "Synthetic Commentary", date: PolicyDate("2021-02"),
            location: "https://example.org/commission/2021"),
    ]

    /// The categories of the bundled agenda.
    static let categories = [
        "deterrence", "diplomacy", "economic-security", "global-and-regional", "institutions", "messaging",
        "north-korea-and-economics", "security",
    ]

    /// The source each catalog is drawn from.
    static let sourceOfCatalog = Dictionary(uniqueKeysWithValues: catalogs.map { ($0.id, $0.source) })

    /// The first change is recorded no earlier than this, and histories begin on or after it.
    static let firstDay = CivilDate.dayNumber(year: 1998, month: 1, day: 1)
    /// Histories end on or before this day.
    static let lastDay = CivilDate.dayNumber(year: 2024, month: 12, day: 31)
    /// Histories begin on or before this day, so each spans at least nine years.
    static let latestStart = CivilDate.dayNumber(year: 2015, month: 12, day: 31)
    /// When a recommendation with no changes was entered (for Taskwarrior's `entry`).
    static let catalogRecorded = CivilDate.dayNumber(year: 2024, month: 1, day: 31) * 86_400

    /// How a status tends to move on: a recommendation starts, progresses, stalls, recovers
    /// or slides back, so the final statuses come out in realistic proportions.
    static let transitions: [Status: [(Status, Int)]] = [
        .notStarted: [(.inProgress, 60), (.stalled, 15), (.notStarted, 25)],
        .inProgress: [(.inProgress, 30), (.partial, 35), (.stalled, 15), (.implemented, 12), (.reversed, 8)],
        .partial: [(.partial, 25), (.implemented, 35), (.stalled, 15), (.reversed, 12), (.inProgress, 13)],
        .implemented: [(.implemented, 55), (.reversed, 25), (.partial, 20)],
        .stalled: [(.inProgress, 45), (.stalled, 25), (.reversed, 15), (.notStarted, 15)],
        .reversed: [(.inProgress, 40), (.stalled, 30), (.reversed, 20), (.partial, 10)],
    ]
}
