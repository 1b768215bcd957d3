import Foundation
import PolicyTrackerCore

/// A synthetic tracker for benchmarks and tests: `count` recommendations with
/// `changesPerItem` status changes each, the same bytes for the same arguments.
///
/// The recommendations are spread over four catalogs and the eight categories of the bundled
/// agenda; one in ten is written in Korean or Japanese; titles run to about 60 characters,
/// summaries to about 400 and notes to about 120. Each recommendation's status changes
/// happened on strictly increasing dates between 1998 and 2024 (most to the day, some only to
/// the month or the year) and were recorded in the same order, up to two months later; the
/// log holds all of them sorted by the time they were recorded.
///
/// Every part is drawn from its own SplitMix64 stream, named by the seed and the part (an
/// item, one of its changes), so the data can be made in parallel and still come out the same.
public struct SyntheticTracker: Sendable {
    public let count: Int
    public let changesPerItem: Int
    public let seed: UInt64

    /// The most changes per recommendation: the shortest history (2016 to 2024) still has
    /// three days for each, so their dates can strictly increase.
    public static let maximumChangesPerItem = 1000
    /// The most recommendations (ids have six digits up to 999,999, and more beyond).
    public static let maximumCount = 10_000_000

    public init(count: Int, changesPerItem: Int, seed: UInt64) throws(TrackerError) {
        guard (1...Self.maximumCount).contains(count) else {
            throw .usage("the number of recommendations must be between 1 and \(Self.maximumCount), not \(count)")
        }
        guard (0...Self.maximumChangesPerItem).contains(changesPerItem) else {
            throw .usage("the number of changes per recommendation must be between 0 and \(Self.maximumChangesPerItem), not \(changesPerItem)")
        }
        self.count = count
        self.changesPerItem = changesPerItem
        self.seed = seed
    }

    /// Writes a tracker of `count` recommendations with `changesPerItem` changes each into
    /// `directory` (`catalog.json` and `changes.jsonl`, as ptrack writes them). The directory
    /// must be missing or empty.
    public static func write(count: Int, changesPerItem: Int, seed: UInt64, to directory: String) throws {
        try SyntheticTracker(count: count, changesPerItem: changesPerItem, seed: seed).generate().writeTracker(to: directory)
    }

    /// Writes the same data for the peers of the comparison into `directory` (created when
    /// missing): `tracker.json` for jq and Python, `taskwarrior.json` for `task import`.
    public static func writePeers(count: Int, changesPerItem: Int, seed: UInt64, to directory: String) throws {
        try SyntheticTracker(count: count, changesPerItem: changesPerItem, seed: seed).generate().writePeers(to: directory)
    }

    /// Generates everything but the texts of the changes (those are made as they are written).
    public func generate() -> Generated {
        Generated(self)
    }

    /// The id of the `index`-th recommendation (from 0): `rec-000001`, `rec-000002`, ….
    public static func recommendationId(_ index: Int) -> String {
        var bytes = Array("rec-".utf8)
        CivilDate.appendDigits(index + 1, max(6, String(index + 1).count), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension SyntheticTracker {
    /// A generated tracker in memory: the recommendations, and for every change its dates and
    /// status; notes and sources are drawn again, from the change's own stream, when written.
    public final class Generated: Sendable {
        public let tracker: SyntheticTracker
        public let recommendations: [Recommendation]
        let languages: [Language]
        /// Per change, at `item * changesPerItem + k`: the day it happened (days since 1970).
        let days: [Int32]
        let precisions: [CivilDate.Precision]
        /// When it was recorded, in seconds since 1970.
        let recorded: [Int]
        let statuses: [Status]

        init(_ tracker: SyntheticTracker) {
            self.tracker = tracker
            let count = tracker.count, perItem = tracker.changesPerItem
            let itemChunks = Parallel.map(chunks(count, size: 2048)) { range in
                range.map { Self.makeRecommendation(tracker.seed, $0) }
            }
            recommendations = itemChunks.flatMap { $0.map(\.0) }
            languages = itemChunks.flatMap { $0.map(\.1) }
            let scheduleChunks = Parallel.map(chunks(count, size: 4096)) { range in
                var schedule = Schedule()
                schedule.reserve(range.count * perItem)
                for item in range { Self.makeSchedule(tracker.seed, item, perItem, into: &schedule) }
                return schedule
            }
            days = scheduleChunks.flatMap(\.days)
            precisions = scheduleChunks.flatMap(\.precisions)
            recorded = scheduleChunks.flatMap(\.recorded)
            statuses = scheduleChunks.flatMap(\.statuses)
        }

        public var changeCount: Int { days.count }

        // MARK: Recommendations

        static func makeRecommendation(_ seed: UInt64, _ index: Int) -> (Recommendation, Language) {
            let language = language(seed, index)
            var random = SplitMix64(seed: seed, Stream.recommendation.rawValue, UInt64(index))
            let catalog = random.weighted(Fixtures.catalogWeights)
            let category = random.pick(Fixtures.categories)
            let horizon = random.weighted(Array(zip(Fixtures.horizons, [20, 35, 25, 20])))
            let actors: [Actor] = random.percent(55) ? Fixtures.actors : Fixtures.actors.filter { _ in random.percent(50) }
            let title: String, summary: String
            switch language {
            case .english: title = Phrasebook.englishTitle(&random)
            case .korean: title = Phrasebook.koreanTitle(&random)
            case .japanese: title = Phrasebook.japaneseTitle(&random)
            }
            summary = Phrasebook.of(language).summary(&random)
            let source = random.percent(85) ? Fixtures.sourceOfCatalog[catalog]! : random.pick(Fixtures.sources).id
            let quote = language == .english && random.percent(40) ? Phrasebook.englishQuote(&random) : nil
            let recommendation = Recommendation(
                id: SyntheticTracker.recommendationId(index), catalog: catalog, title: title, summary: summary,
                category: category, horizon: horizon, actors: actors.isEmpty ? [random.pick(Fixtures.actors)] : actors,
                source: Citation(source: source, quote: quote), watched: random.percent(3))
            return (recommendation, language)
        }

        /// One item in each block of ten (at a random place in it) is Korean or Japanese.
        static func language(_ seed: UInt64, _ index: Int) -> Language {
            var random = SplitMix64(seed: seed, Stream.language.rawValue, UInt64(index / 10))
            guard random.below(10) == index % 10 else { return .english }
            return random.percent(50) ? .korean : .japanese
        }

        // MARK: Changes

        struct Schedule {
            var days: [Int32] = []
            var precisions: [CivilDate.Precision] = []
            var recorded: [Int] = []
            var statuses: [Status] = []

            mutating func reserve(_ capacity: Int) {
                days.reserveCapacity(capacity)
                precisions.reserveCapacity(capacity)
                recorded.reserveCapacity(capacity)
                statuses.reserveCapacity(capacity)
            }
        }

        /// The dates and statuses of one item's changes: the history starts on a day between
        /// 1998 and 2015 and runs to 2024; each change falls in its own stretch of that span,
        /// so the days strictly increase, and its `happened` text sorts after the previous one.
        static func makeSchedule(_ seed: UInt64, _ item: Int, _ perItem: Int, into schedule: inout Schedule) {
            guard perItem > 0 else { return }
            var random = SplitMix64(seed: seed, Stream.schedule.rawValue, UInt64(item))
            let start = Fixtures.firstDay + random.below(Fixtures.latestStart - Fixtures.firstDay + 1)
            let stretch = (Fixtures.lastDay - start + 1) / perItem
            var status = Status.notStarted
            var previousText = ""
            var previousRecorded = 0
            for k in 0..<perItem {
                let day = start + k * stretch + random.below(stretch)
                let roll = random.below(100)
                var precision: CivilDate.Precision = roll < 80 ? .day : roll < 95 ? .month : .year
                var text = CivilDate.text(day, precision)
                if text <= previousText {
                    precision = .day
                    text = CivilDate.text(day, .day)
                }
                previousText = text
                let delay = random.below(60) * 86_400 + random.below(86_400)
                let recorded = max(day * 86_400 + delay, previousRecorded + 1 + random.below(3600))
                previousRecorded = recorded
                status = random.weighted(Fixtures.transitions[status]!)
                schedule.days.append(Int32(day))
                schedule.precisions.append(precision)
                schedule.recorded.append(recorded)
                schedule.statuses.append(status)
            }
        }

        /// The `k`-th change (from 0) of the `item`-th recommendation.
        public func change(item: Int, _ k: Int) -> Change {
            let index = item * tracker.changesPerItem + k
            var random = SplitMix64(seed: tracker.seed, Stream.change.rawValue, UInt64(item), UInt64(k))
            let status = statuses[index]
            let day = Int(days[index])
            let (year, month, _) = CivilDate.date(day)
            let precision = precisions[index]
            var note: String?
            if random.percent(92) {
                switch languages[item] {
                case .english: note = Phrasebook.englishNote(year: year, status: status, &random)
                case .korean: note = Phrasebook.koreanNote(year: year, month: precision == .year ? nil : month, status: status, &random)
                case .japanese: note = Phrasebook.japaneseNote(year: year, month: precision == .year ? nil : month, status: status, &random)
                }
            }
            let roll = random.below(100)
            let source: String? = roll < 70 ? random.pick(Fixtures.sources).id
                : roll < 85 ? "https://example.org/trilateral/\(year)/\(recommendations[item].id)-\(k + 1)" : nil
            let recordedSeconds = recorded[index]
            return Change(
                changeId: CivilDate.timestamp(recordedSeconds, compact: true) + "-" + changeIdSuffix(index),
                recommendationId: recommendations[item].id, kind: .status(status),
                happened: PolicyDate(CivilDate.text(day, precision))!, recorded: Timestamp(CivilDate.timestamp(recordedSeconds))!,
                note: note, source: source)
        }

        /// Twelve hexadecimal digits, different for every change of the tracker: the change's
        /// index through a bijection of 48-bit numbers (an odd multiplier, then a mask from the seed).
        func changeIdSuffix(_ index: Int) -> String {
            var random = SplitMix64(seed: tracker.seed, Stream.changeId.rawValue)
            let mask: UInt64 = 0xFFFF_FFFF_FFFF
            let value = ((UInt64(index) &* 0x5DEE_CE66_D1CE_4E5B) ^ random.next()) & mask
            return hex(value, digits: 12)
        }

        /// Every change's index (`item * changesPerItem + k`), in the order the log holds them:
        /// by the time recorded, then by index.
        public func logOrder() -> [Int] {
            let base = Fixtures.firstDay * 86_400
            var keys = recorded.enumerated().map { index, seconds in UInt64(seconds - base) << 34 | UInt64(index) }
            keys.sort()
            return keys.map { Int($0 & (1 << 34 - 1)) }
        }
    }
}

/// `value` in lowercase hexadecimal, left-padded with zeros to `digits`.
func hex(_ value: UInt64, digits: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
}

/// `0..<count` cut into ranges of `size`.
func chunks(_ count: Int, size: Int) -> [Range<Int>] {
    stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
}
