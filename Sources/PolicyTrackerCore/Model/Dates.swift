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
        var text = text
        guard text.withUTF8(Self.isValid) else { return nil }
        self.text = text
    }

    /// Checks `YYYY`, `YYYY-MM` or `YYYY-MM-DD` byte by byte: years from 1, real months and days.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 4 || bytes.count == 7 || bytes.count == 10,
              let year = number(bytes, 0, 4), year >= 1 else { return false }
        if bytes.count == 4 { return true }
        guard bytes[4] == UInt8(ascii: "-"), let month = number(bytes, 5, 2), (1...12).contains(month) else { return false }
        if bytes.count == 7 { return true }
        guard bytes[7] == UInt8(ascii: "-"), let day = number(bytes, 8, 2) else { return false }
        return (1...daysIn(month: month, year: year)).contains(day)
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

    static func daysIn(month: Int, year: Int) -> Int {
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
        var text = text
        guard text.withUTF8(Self.isValid) else { return nil }
        self.text = text
    }

    /// Checks `YYYY-MM-DDTHH:MM:SSZ` byte by byte.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z"),
              PolicyDate.isValid(UnsafeBufferPointer(rebasing: bytes[0..<10])),
              let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2)
        else { return false }
        return hour < 24 && minute < 60 && second < 61
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

/// The value of the `count` ASCII digits at `start`, or nil when any is not a digit.
func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
    var value = 0
    for index in start..<start + count {
        let digit = Int(bytes[index]) - 48
        guard digit >= 0 && digit <= 9 else { return nil }
        value = value * 10 + digit
    }
    return value
}
