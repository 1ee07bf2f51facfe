import FoundationEssentials
import PhoenixDomain
import Testing

@Suite struct CronSyntaxTests {
    @Test(arguments: [
        ("7", [7]),
        ("07", [7]),
        ("*", Array(0...59)),
        ("1,2,30", [1, 2, 30]),
        ("10-13", [10, 11, 12, 13]),
        ("*/20", [0, 20, 40]),
        ("10-30/10", [10, 20, 30]),
        ("50/3", [50, 53, 56, 59]),
        ("5,10-12,*/30", [0, 5, 10, 11, 12, 30]),
        ("*/60", [0]),
        ("0-59/59", [0, 59]),
        ("30,10,30", [10, 30]),
    ])
    func minuteFieldAcceptsNumbersListsRangesAndSteps(field: String, minutes: [Int]) throws {
        #expect(try CronFixture.minutesInFirstHour("\(field) * * * *") == minutes)
    }

    @Test(arguments: [
        ("*/6", [0, 6, 12, 18]),
        ("9-17/4", [9, 13, 17]),
        ("22/1", [22, 23]),
        ("0,12", [0, 12]),
        ("*/24", [0]),
    ])
    func hourFieldAcceptsRangesAndSteps(field: String, hours: [Int]) throws {
        #expect(try CronFixture.hoursOnFirstDay("0 \(field) * * *") == hours)
    }

    @Test func monthNamesAreCaseInsensitiveAndWorkInRanges() throws {
        let fires = try CronFixture.fires("0 0 1 jan,Jul-SEP *", after: "2025-12-31T23:59:59Z", through: "2026-12-31T23:59:59Z")
        #expect(fires == ["2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z", "2026-09-01T00:00:00Z"])
    }

    @Test func monthStepsCountFromJanuary() throws {
        let fires = try CronFixture.fires("0 0 1 */4 *", after: "2025-12-31T23:59:59Z", through: "2026-12-31T23:59:59Z")
        #expect(fires == ["2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z", "2026-09-01T00:00:00Z"])
    }

    @Test(arguments: ["0", "7", "SUN", "sun", "Sun"])
    func sundayIsZeroSevenOrItsName(field: String) throws {
        // 5 April 2026 is a Sunday.
        #expect(try CronFixture.aprilDays(dayOfMonth: "*", dayOfWeek: field) == [5, 12, 19, 26])
    }

    @Test(arguments: [
        ("mon-FRI", [1, 2, 3, 6, 7, 8, 9, 10]),
        ("5-7", [3, 4, 5, 10]),
        ("0-7", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ("MON/2", [1, 3, 6, 8, 10]),
        ("1-7/3", [2, 5, 6, 9]),
        ("SAT,sun", [4, 5]),
    ])
    func weekdayFieldAcceptsNamesRangesAndSteps(field: String, days: [Int]) throws {
        // 1 April 2026 is a Wednesday; only the first ten days are compared.
        let fired = try CronFixture.aprilDays(dayOfMonth: "*", dayOfWeek: field).filter { $0 <= 10 }
        #expect(fired == days)
    }

    @Test func expressionCollapsesWhitespaceAndDescriptionNamesTheZone() throws {
        let schedule = try CronSchedule(parsing: "  */15\t*  * * *\n")
        #expect(schedule.expression == "*/15 * * * *")
        #expect(schedule.description == "*/15 * * * * (UTC)")
        let berlin = try CronSchedule(parsing: "30 2 * * *", timeZone: CronFixture.zone("Europe/Berlin"))
        #expect(berlin.description == "30 2 * * * (Europe/Berlin)")
    }

    @Test func schedulesAreEqualWhenExpressionAndZoneAreEqual() throws {
        let berlin = try CronFixture.zone("Europe/Berlin")
        let a = try CronSchedule(parsing: "0 */6 * * *", timeZone: berlin)
        let b = try CronSchedule(parsing: "0  */6 * * *", timeZone: berlin)
        let utc = try CronSchedule(parsing: "0 */6 * * *")
        #expect(a == b)
        #expect(a != utc)
        #expect(Set([a, b, utc]).count == 2)
    }

    @Test func defaultTimeZoneIsUTC() throws {
        let schedule = try CronSchedule(parsing: "0 0 * * *")
        // Foundation on Linux names TimeZone(identifier: "UTC") "GMT"; the description says UTC.
        #expect(schedule.timeZone == (try CronFixture.zone("UTC")))
        #expect(schedule.timeZone.secondsFromGMT() == 0)
        #expect(schedule.timeZone.nextDaylightSavingTimeTransition(after: try CronFixture.instant("2026-01-01T00:00:00Z")) == nil)
        #expect(schedule.description == "0 0 * * * (UTC)")
        #expect(try CronFixture.next("0 0 * * *", after: "2026-06-01T12:00:00+02:00") == "2026-06-02T00:00:00Z")
    }
}
