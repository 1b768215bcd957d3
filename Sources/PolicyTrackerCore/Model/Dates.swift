import Foundation

/// A calendar date as precise as its evidence: a year (`2019`), a month (`2022-05`) or a
/// day (`2023-08-18`), in ISO 8601 form.
///
/// Dates compare as their text, so a less precise date sorts before every more precise
/// date inside it: `2022` < `2022-05` < `2022-05-01`. That makes "as of" read naturally:
/// something known only to have happened in 2022 counts from the start of 2022.
public struct PolicyDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The date as written: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public let text: String

    /// What the valid forms look like, for error messages.
    public static let expectedForm = "YYYY, YYYY-MM or YYYY-MM-DD"

    /// Accepts a valid calendar date in one of the three forms, or returns nil.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4,
              let year = asciiNumber(parts[0]), year >= 1
        else { return nil }
        let numbers = parts.dropFirst().map { part in part.count == 2 ? asciiNumber(part) : nil }
        guard !numbers.contains(nil) else { return nil }
        if let month = numbers.first.flatMap({ $0 }) {
            guard (1...12).contains(month) else { return nil }
            if numbers.count == 2, let day = numbers[1] {
                guard (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
            }
        }
        self.text = text
    }

    /// The day of `date` in UTC.
    public init(day date: Date) {
        self.text = String(Timestamp(date).text.prefix(10))
    }

    public var description: String { text }

    /// True when only the year, or the year and month, are known.
    public var isPartial: Bool { text.count < 10 }

    public static func < (lhs: PolicyDate, rhs: PolicyDate) -> Bool { lhs.text < rhs.text }

    /// True when this date, read as its first day, falls on or before the end of `limit`
    /// (so `2022-05-20` is on or before `2022-05` and `2022`, and `2022` is on or before `2022-01-01`).
    public func isOnOrBefore(_ limit: PolicyDate) -> Bool { self <= limit || text.hasPrefix(limit.text) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A moment in UTC, to the second, written `YYYY-MM-DDTHH:MM:SSZ`: when a change was recorded.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let text: String

    public static let expectedForm = "YYYY-MM-DDTHH:MM:SSZ"

    /// Accepts exactly the form `YYYY-MM-DDTHH:MM:SSZ` with a valid date and time.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z"),
              PolicyDate(String(text.prefix(10))) != nil, !PolicyDate(String(text.prefix(10)))!.isPartial
        else { return nil }
        let clock = text.dropFirst(11).dropLast().split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hour = asciiNumber(clock[0]), let minute = asciiNumber(clock[1]), let second = asciiNumber(clock[2]),
              hour < 24, minute < 60, second < 61
        else { return nil }
        self.text = text
    }

    /// The UTC time of `date`, to the second.
    public init(_ date: Date) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        self.text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ",
            parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// The calendar day of this moment.
    public var day: PolicyDate { PolicyDate(String(text.prefix(10)))! }

    public var description: String { text }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.text < rhs.text }
}

/// The value of `text` when it is made of ASCII digits only (no sign, no other digits).
private func asciiNumber(_ text: Substring) -> Int? {
    guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
    return Int(text)
}
