import FoundationEssentials
import PhoenixDomain
import Testing

@Suite struct CronNextFireTests {
    @Test func nextFireIsStrictlyAfterTheGivenInstant() throws {
        #expect(try CronFixture.next("0 * * * *", after: "2026-05-05T10:00:00Z") == "2026-05-05T11:00:00Z")
        #expect(try CronFixture.next("0 * * * *", after: "2026-05-05T09:59:59.500Z") == "2026-05-05T10:00:00Z")
        #expect(try CronFixture.next("*/15 * * * *", after: "2026-05-05T10:07:00Z") == "2026-05-05T10:15:00Z")
    }

    @Test func nextFireCrossesMonthAndYearEnds() throws {
        #expect(try CronFixture.next("0 0 1 * *", after: "2026-01-31T23:59:59Z") == "2026-02-01T00:00:00Z")
        #expect(try CronFixture.next("0 0 1 1 *", after: "2026-12-31T23:59:30Z") == "2027-01-01T00:00:00Z")
        #expect(try CronFixture.next("59 23 31 12 *", after: "2026-12-31T23:59:00Z") == "2027-12-31T23:59:00Z")
        #expect(try CronFixture.next("0 0 * * MON", after: "2026-12-30T12:00:00Z") == "2027-01-04T00:00:00Z")
    }

    @Test func thirtyFirstSkipsShortMonths() throws {
        let fires = try CronFixture.fires("0 12 31 * *", after: "2025-12-31T23:59:59Z", through: "2026-12-31T23:59:59Z")
        #expect(fires.map { $0.prefix(7) } == ["2026-01", "2026-03", "2026-05", "2026-07", "2026-08", "2026-10", "2026-12"])
    }

    @Test func twentyNinthOfFebruaryWaitsForALeapYear() throws {
        #expect(try CronFixture.next("0 0 29 2 *", after: "2026-01-01T00:00:00Z") == "2028-02-29T00:00:00Z")
        #expect(try CronFixture.next("0 0 29 2 *", after: "2028-02-29T00:00:00Z") == "2032-02-29T00:00:00Z")
        // 2100 is not a leap year: eight years between two 29 Februaries.
        #expect(try CronFixture.next("0 0 29 2 *", after: "2096-02-29T00:00:00Z") == "2104-02-29T00:00:00Z")
        #expect(try CronFixture.next("0 0 29 2 *", after: "1999-03-01T00:00:00Z") == "2000-02-29T00:00:00Z")
    }

    @Test func lastDayOfFebruaryDependsOnTheYear() throws {
        let fires = try CronFixture.fires("0 0 28,29 2 *", after: "2027-01-01T00:00:00Z", through: "2028-12-31T00:00:00Z")
        #expect(fires == ["2027-02-28T00:00:00Z", "2028-02-28T00:00:00Z", "2028-02-29T00:00:00Z"])
    }

    @Test(arguments: ["0 0 30 2 *", "0 0 31 2 *", "0 0 31 4,6,9,11 *", "0 0 30,31 FEB *"])
    func impossibleDateNeverFires(expression: String) throws {
        let schedule = try CronSchedule(parsing: expression)
        #expect(schedule.nextFire(after: try CronFixture.instant("2026-01-01T00:00:00Z")) == nil)
        let decade = (try CronFixture.instant("2026-01-01T00:00:00Z"), try CronFixture.instant("2036-01-01T00:00:00Z"))
        #expect(schedule.fireTimes(after: decade.0, through: decade.1).isEmpty)
    }

    @Test func impossibleDayWithAWeekdayStillFiresOnThatWeekday() throws {
        // Both day fields are restricted, so Mondays in February qualify.
        #expect(try CronFixture.next("0 0 30 2 MON", after: "2026-01-01T00:00:00Z") == "2026-02-02T00:00:00Z")
    }

    @Test func rareMatchMoreThanFiveYearsAwayIsFound() throws {
        // "*/7" in the weekday field starts with "*", so both fields apply: 29 February on a Sunday.
        #expect(try CronFixture.next("0 0 29 2 */7", after: "2026-01-01T00:00:00Z") == "2032-02-29T00:00:00Z")
    }

    @Test func instantsBefore1970Work() throws {
        #expect(try CronFixture.next("0 * * * *", after: "1969-12-31T23:30:00Z") == "1970-01-01T00:00:00Z")
        #expect(try CronFixture.next("0 0 29 2 *", after: "1950-01-01T00:00:00Z") == "1952-02-29T00:00:00Z")
    }

    @Test func extremeInstantsAnswerWithoutTrapping() throws {
        let schedule = try CronSchedule(parsing: "0 0 * * *", timeZone: CronFixture.zone("Europe/Berlin"))
        #expect(schedule.nextFire(after: .distantFuture) != nil)
        // Before year 1 counts as its start, so "since ever" still has a first run.
        #expect(schedule.nextFire(after: .distantPast) != nil)
        #expect(schedule.nextFire(after: Date(timeIntervalSince1970: -.infinity)) == schedule.nextFire(after: .distantPast))
        #expect(schedule.nextFire(after: Date(timeIntervalSince1970: 1e300)) == nil)
        #expect(schedule.nextFire(after: Date(timeIntervalSince1970: .nan)) == nil)
    }

    @Test func fireTimesExcludeStartIncludeEndAndStopAtTheLimit() throws {
        let window = ("2026-05-05T10:00:00Z", "2026-05-05T11:00:00Z")
        #expect(try CronFixture.fires("*/30 * * * *", after: window.0, through: window.1) == ["2026-05-05T10:30:00Z", "2026-05-05T11:00:00Z"])
        #expect(try CronFixture.fires("* * * * *", after: window.0, through: window.1, limit: 3) == [
            "2026-05-05T10:01:00Z", "2026-05-05T10:02:00Z", "2026-05-05T10:03:00Z",
        ])
        #expect(try CronFixture.fires("* * * * *", after: window.0, through: window.1, limit: 0).isEmpty)
        #expect(try CronFixture.fires("* * * * *", after: window.1, through: window.0).isEmpty)
    }

    @Test func zoneWithoutDaylightSavingUsesItsFixedOffset() throws {
        let kolkata = try CronFixture.zone("Asia/Kolkata")
        let schedule = try CronSchedule(parsing: "0 0 * * *", timeZone: kolkata)
        #expect(schedule.nextFire(after: try CronFixture.instant("2026-06-01T12:00:00Z")) == (try CronFixture.instant("2026-06-01T18:30:00Z")))
    }

    @Test func aYearOfQuarterHoursInBerlinIsComputedQuickly() throws {
        // 365 days × 96, less the 4 of the missing spring hour, plus the 4 of the repeated autumn hour.
        let schedule = try CronSchedule(parsing: "*/15 * * * *", timeZone: CronFixture.zone("Europe/Berlin"))
        let start = try CronFixture.instant("2025-12-31T23:59:59+01:00")
        let end = try CronFixture.instant("2026-12-31T23:59:59+01:00")
        let clock = ContinuousClock()
        var count = 0
        let elapsed = clock.measure { count = schedule.fireTimes(after: start, through: end, limit: 100_000).count }
        #expect(count == 35_040)
        #expect(elapsed < .seconds(20), "field-wise search, not a minute-by-minute scan")
    }
}
