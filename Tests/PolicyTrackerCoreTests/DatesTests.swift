import Foundation
import PolicyTrackerCore
import Testing

@Suite struct DatesTests {
    // MARK: PolicyDate validation

    @Test(arguments: ["2019", "2022-05", "2023-08-18", "0001", "9999-12-31", "2024-02-29", "2000-02-29", "2023-04-30", "2023-01-31"])
    func acceptsValidDates(_ text: String) throws {
        let date = try #require(PolicyDate(text))
        #expect(date.text == text)
        #expect(date.description == text)
    }

    @Test(arguments: [
        "", "0000", "202", "20222", "2022-", "2022-5", "2022-005", "2022-00", "2022-13", "2022-05-1", "2022-05-001",
        "2022-05-00", "2022-05-32", "2023-04-31", "2023-02-29", "1900-02-29", "2100-02-29", "2022-05-01-01",
        "2022/05/01", "2022-05-01T00:00:00Z", " 2022", "2022 ", "2022-05-01\n",
    ])
    func refusesInvalidDates(_ text: String) {
        #expect(PolicyDate(text) == nil)
    }

    @Test(arguments: [
        "\u{FF12}\u{FF10}\u{FF12}\u{FF12}",          // fullwidth 2022
        "\u{0662}\u{0660}\u{0662}\u{0662}",          // Arabic-Indic 2022
        "2022-\u{0660}\u{0665}",                     // Arabic-Indic month
        "2022-05-\u{0966}\u{0967}",                  // Devanagari day
        "2022-0\u{FF15}",                            // one fullwidth digit
    ])
    func refusesNonASCIIDigits(_ text: String) {
        #expect(PolicyDate(text) == nil)
    }

    @Test(arguments: ["+202", "+2022", "2022-+5", "2022-05-+1", "2022-+5-01"])
    func refusesSignedNumbers(_ text: String) {
        #expect(PolicyDate(text) == nil)
    }

    @Test func februaryTwentyNinthOnlyInLeapYears() {
        #expect(PolicyDate("2024-02-29") != nil)
        #expect(PolicyDate("2000-02-29") != nil)
        #expect(PolicyDate("2023-02-29") == nil)
        #expect(PolicyDate("1900-02-29") == nil)
        #expect(PolicyDate("2024-02-30") == nil)
        #expect(PolicyDate("2023-02-28") != nil)
    }

    @Test func partialDatesKnowTheyArePartial() {
        #expect(day("2022").isPartial)
        #expect(day("2022-05").isPartial)
        #expect(!day("2022-05-01").isPartial)
    }

    // MARK: Ordering

    @Test func partialDatesSortBeforeThePreciseDatesInsideThem() {
        let shuffled = ["2022-05-01", "2023", "2022", "2021-12-31", "2022-05", "2022-04-30", "2022-12"].map(day)
        #expect(shuffled.sorted().map(\.text) == ["2021-12-31", "2022", "2022-04-30", "2022-05", "2022-05-01", "2022-12", "2023"])
        #expect(day("2022") < day("2022-01"))
        #expect(day("2022-01") < day("2022-01-01"))
        #expect(!(day("2022-01-01") < day("2022")))
    }

    // MARK: isOnOrBefore

    @Test func preciseDateIsOnOrBeforeTheMonthAndYearHoldingIt() {
        #expect(day("2022-05-20").isOnOrBefore(day("2022-05")))
        #expect(day("2022-05-20").isOnOrBefore(day("2022")))
        #expect(day("2022-05").isOnOrBefore(day("2022")))
        #expect(day("2022-05-20").isOnOrBefore(day("2022-05-20")))
    }

    @Test func partialDateCountsFromItsFirstDay() {
        #expect(day("2022").isOnOrBefore(day("2022-01-01")))
        #expect(day("2022-05").isOnOrBefore(day("2022-05-01")))
        #expect(day("2022").isOnOrBefore(day("2022-07")))
        #expect(!day("2022-06").isOnOrBefore(day("2022-05-31")))
        #expect(!day("2023").isOnOrBefore(day("2022-12-31")))
    }

    @Test func laterDatesAreNotOnOrBefore() {
        #expect(!day("2022-05-21").isOnOrBefore(day("2022-05-20")))
        #expect(!day("2022-06-01").isOnOrBefore(day("2022-05")))
        #expect(!day("2023-01-01").isOnOrBefore(day("2022")))
        #expect(day("2021-12-31").isOnOrBefore(day("2022")))
        #expect(day("2021").isOnOrBefore(day("2022-01-01")))
    }

    // MARK: Timestamp

    @Test(arguments: ["2024-01-31T12:00:00Z", "2000-02-29T23:59:59Z", "2016-12-31T23:59:60Z", "0001-01-01T00:00:00Z"])
    func acceptsValidTimestamps(_ text: String) throws {
        #expect(try #require(Timestamp(text)).text == text)
    }

    @Test(arguments: [
        "", "2024-01-31", "2024-01-31T12:00:00", "2024-01-31 12:00:00Z", "2024-01-31T12:00:00z",
        "2024-01-31T12:00:00+00:00", "2024-01-31T12:00Z", "2024-01-31T24:00:00Z", "2024-01-31T23:60:00Z",
        "2024-01-31T23:59:61Z", "2023-02-29T00:00:00Z", "2024-01T00:00:00Z", "2024-01-31T1:00:000Z",
        "2024-01-31T12:00:00.5Z", "2024-01-31T\u{FF11}2:00:00Z",
    ])
    func refusesInvalidTimestamps(_ text: String) {
        #expect(Timestamp(text) == nil)
    }

    @Test(arguments: ["2024-01-31T+1:00:00Z", "2024-01-31T12:+1:00Z", "2024-01-31T12:00:+1Z", "+202-01-31T12:00:00Z"])
    func refusesSignedClockFields(_ text: String) {
        #expect(Timestamp(text) == nil)
    }

    @Test func formatsADateInUTCToTheSecond() {
        #expect(Timestamp(Date(timeIntervalSince1970: 0)).text == "1970-01-01T00:00:00Z")
        #expect(Timestamp(Date(timeIntervalSince1970: 1_706_702_400)).text == "2024-01-31T12:00:00Z")
        #expect(Timestamp(Date(timeIntervalSince1970: 1_706_702_400.999)).text == "2024-01-31T12:00:00Z")
        #expect(Timestamp(Date(timeIntervalSince1970: 951_868_799)).text == "2000-02-29T23:59:59Z")
        #expect(Timestamp(Date(timeIntervalSince1970: -0.5)).text == "1969-12-31T23:59:59Z")
    }

    @Test func formattedTimestampsParseBack() {
        let stamp = Timestamp(Date(timeIntervalSince1970: 1_234_567_890))
        #expect(stamp.text == "2009-02-13T23:31:30Z")
        #expect(Timestamp(stamp.text) == stamp)
    }

    @Test func dayOfATimestampAndOfADate() {
        #expect(time("2024-01-31T23:59:59Z").day == day("2024-01-31"))
        #expect(!time("2024-01-31T23:59:59Z").day.isPartial)
        #expect(PolicyDate(day: Date(timeIntervalSince1970: 1_706_745_599)).text == "2024-01-31")
        #expect(PolicyDate(day: Date(timeIntervalSince1970: 1_706_745_600)).text == "2024-02-01")
    }

    @Test func timestampsOrderChronologically() {
        #expect(time("2024-01-31T12:00:00Z") < time("2024-01-31T12:00:01Z"))
        #expect(time("2023-12-31T23:59:59Z") < time("2024-01-01T00:00:00Z"))
    }
}
