/// Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian), written
/// out so that dates are made without Foundation's calendars and time zones, and fast.
enum CivilDate {
    /// The day number of a date (Howard Hinnant's `days_from_civil`).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year, month and day of a day number (`civil_from_days`).
    static func date(_ dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// How precisely a `happened` date is written.
    enum Precision: UInt8 {
        case day, month, year
    }

    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    static func text(_ dayNumber: Int, _ precision: Precision) -> String {
        let (year, month, day) = date(dayNumber)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendDigits(year, 4, to: &bytes)
        if precision != .year {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(month, 2, to: &bytes)
        }
        if precision == .day {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(day, 2, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A moment, in seconds since 1970-01-01T00:00:00Z, as `YYYY-MM-DDTHH:MM:SSZ` (`compact`:
    /// `YYYYMMDDTHHMMSSZ`, the form of change ids and of Taskwarrior's dates).
    static func timestamp(_ seconds: Int, compact: Bool = false) -> String {
        let (year, month, day) = date(seconds / 86_400)
        let time = seconds % 86_400
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        appendDigits(year, 4, to: &bytes)
        if !compact { bytes.append(UInt8(ascii: "-")) }
        appendDigits(month, 2, to: &bytes)
        if !compact { bytes.append(UInt8(ascii: "-")) }
        appendDigits(day, 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(time / 3600, 2, to: &bytes)
        if !compact { bytes.append(UInt8(ascii: ":")) }
        appendDigits(time / 60 % 60, 2, to: &bytes)
        if !compact { bytes.append(UInt8(ascii: ":")) }
        appendDigits(time % 60, 2, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    static func appendDigits(_ value: Int, _ width: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
