import FoundationEssentials
import PhoenixDomain
import Testing

/// Wall-clock schedules across daylight saving changes.
///
/// Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST, 2026-10-25 03:00 CEST → 02:00 CET.
/// America/New_York: 2026-03-08 02:00 EST → 03:00 EDT, 2026-11-01 02:00 EDT → 01:00 EST.
@Suite struct CronDaylightSavingTests {
    @Test func nightlyJobInTheSkippedHourRunsOnceAtTheEndOfTheGapInBerlin() throws {
        let berlin = try CronFixture.zone("Europe/Berlin")
        let fires = try CronFixture.fires("30 2 * * *", in: berlin, after: "2026-03-28T00:00:00+01:00", through: "2026-03-31T00:00:00+02:00")
        #expect(fires == ["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"])
    }

    @Test func nightlyJobInTheRepeatedHourRunsOnceInBerlin() throws {
        let berlin = try CronFixture.zone("Europe/Berlin")
        let fires = try CronFixture.fires("30 2 * * *", in: berlin, after: "2026-10-24T00:00:00+02:00", through: "2026-10-27T00:00:00+01:00")
        #expect(fires == ["2026-10-24T02:30:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"])
        // Asked between the two occurrences, the next run is the following night.
        #expect(try CronFixture.next("30 2 * * *", in: berlin, after: "2026-10-25T02:45:00+02:00") == "2026-10-26T02:30:00+01:00")
        #expect(try CronFixture.next("30 2 * * *", in: berlin, after: "2026-10-25T02:00:00+01:00") == "2026-10-26T02:30:00+01:00")
    }

    @Test func nightlyJobInTheSkippedHourRunsOnceAtTheEndOfTheGapInNewYork() throws {
        let newYork = try CronFixture.zone("America/New_York")
        let fires = try CronFixture.fires("30 2 * * *", in: newYork, after: "2026-03-07T00:00:00-05:00", through: "2026-03-10T00:00:00-04:00")
        #expect(fires == ["2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"])
    }

    @Test func nightlyJobsRunOnceOnTheFallBackDayInNewYork() throws {
        let newYork = try CronFixture.zone("America/New_York")
        // 02:30 occurs once on 2026-11-01; 01:30 occurs twice and runs at the first.
        #expect(try CronFixture.fires("30 2 * * *", in: newYork, after: "2026-11-01T00:00:00-04:00", through: "2026-11-02T00:00:00-05:00")
            == ["2026-11-01T02:30:00-05:00"])
        #expect(try CronFixture.fires("30 1 * * *", in: newYork, after: "2026-11-01T00:00:00-04:00", through: "2026-11-02T00:00:00-05:00")
            == ["2026-11-01T01:30:00-04:00"])
    }

    @Test func severalSkippedTimesOfAFixedHourCollapseIntoOneRun() throws {
        let berlin = try CronFixture.zone("Europe/Berlin")
        #expect(try CronFixture.fires("15,45 2 * * *", in: berlin, after: "2026-03-29T00:00:00+01:00", through: "2026-03-29T23:59:00+02:00")
            == ["2026-03-29T03:00:00+02:00"])
        #expect(try CronFixture.fires("* 2 * * *", in: berlin, after: "2026-03-29T00:00:00+01:00", through: "2026-03-29T23:59:00+02:00")
            == ["2026-03-29T03:00:00+02:00"])
        // A run due at 03:00 anyway is not doubled.
        #expect(try CronFixture.fires("0 2,3 * * *", in: berlin, after: "2026-03-29T00:00:00+01:00", through: "2026-03-29T23:59:00+02:00")
            == ["2026-03-29T03:00:00+02:00"])
    }

    @Test func everyMinuteOfAFixedRepeatedHourRunsOnlyInItsFirstPass() throws {
        let berlin = try CronFixture.zone("Europe/Berlin")
        let fires = try CronFixture.fires("* 2 * * *", in: berlin, after: "2026-10-25T00:00:00+02:00", through: "2026-10-25T23:59:00+01:00")
        #expect(fires.count == 60)
        #expect(fires.first == "2026-10-25T02:00:00+02:00")
        #expect(fires.last == "2026-10-25T02:59:00+02:00")
    }

    @Test(arguments: [
        ("Europe/Berlin", "2026-03-28T23:59:59+01:00", "2026-03-29T23:59:59+02:00", 23),
        ("Europe/Berlin", "2026-10-24T23:59:59+02:00", "2026-10-25T23:59:59+01:00", 25),
        ("Europe/Berlin", "2026-06-14T23:59:59+02:00", "2026-06-15T23:59:59+02:00", 24),
        ("America/New_York", "2026-03-07T23:59:59-05:00", "2026-03-08T23:59:59-04:00", 23),
        ("America/New_York", "2026-10-31T23:59:59-04:00", "2026-11-01T23:59:59-05:00", 25),
    ])
    func intervalJobsFollowTheHoursTheDayReallyHas(zone: String, dayStart: String, dayEnd: String, hours: Int) throws {
        let timeZone = try CronFixture.zone(zone)
        for (expression, perHour) in [("0 * * * *", 1), ("0 */1 * * *", 1), ("*/15 * * * *", 4), ("*/30 * * * *", 2)] {
            let fires = try CronFixture.fires(expression, in: timeZone, after: dayStart, through: dayEnd)
            #expect(fires.count == hours * perHour, "\(expression) in \(zone)")
            #expect(Set(fires).count == fires.count)
        }
    }

    @Test func hourlyJobRunsInBothRepeatedHours() throws {
        let berlin = try CronFixture.zone("Europe/Berlin")
        #expect(try CronFixture.fires("0 * * * *", in: berlin, after: "2026-10-25T01:30:00+02:00", through: "2026-10-25T03:30:00+01:00") == [
            "2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00",
        ])
        let newYork = try CronFixture.zone("America/New_York")
        #expect(try CronFixture.fires("30 * * * *", in: newYork, after: "2026-11-01T00:45:00-04:00", through: "2026-11-01T02:45:00-05:00") == [
            "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-01T02:30:00-05:00",
        ])
    }

    @Test func intervalJobSkipsTheMissingHour() throws {
        let berlin = try CronFixture.zone("Europe/Berlin")
        // Fifteen real minutes pass between 01:45 CET and 03:00 CEST.
        #expect(try CronFixture.next("*/15 * * * *", in: berlin, after: "2026-03-29T01:45:00+01:00") == "2026-03-29T03:00:00+02:00")
        #expect(try CronFixture.next("30 * * * *", in: berlin, after: "2026-03-29T01:30:00+01:00") == "2026-03-29T03:30:00+02:00")
        let newYork = try CronFixture.zone("America/New_York")
        #expect(try CronFixture.next("30 */1 * * *", in: newYork, after: "2026-03-08T01:30:00-05:00") == "2026-03-08T03:30:00-04:00")
    }

    @Test func sixHourlyJobIsUnaffectedWhenItsHoursExist() throws {
        let berlin = try CronFixture.zone("Europe/Berlin")
        #expect(try CronFixture.fires("0 */6 * * *", in: berlin, after: "2026-10-24T23:59:59+02:00", through: "2026-10-25T23:59:59+01:00") == [
            "2026-10-25T00:00:00+02:00", "2026-10-25T06:00:00+01:00", "2026-10-25T12:00:00+01:00", "2026-10-25T18:00:00+01:00",
        ])
    }

    @Test func midnightSkippedBySantiagoSpringForwardRunsAtOne() throws {
        // America/Santiago: 2026-09-06 00:00 -04 → 01:00 -03.
        let santiago = try CronFixture.zone("America/Santiago")
        #expect(try CronFixture.next("@daily", in: santiago, after: "2026-09-05T12:00:00-04:00") == "2026-09-06T01:00:00-03:00")
    }

    @Test func halfHourGapOnLordHoweIsHandled() throws {
        // Australia/Lord_Howe: 2026-10-04 02:00 +10:30 → 02:30 +11:00.
        let lordHowe = try CronFixture.zone("Australia/Lord_Howe")
        #expect(try CronFixture.next("15 2 * * *", in: lordHowe, after: "2026-10-03T12:00:00+10:30") == "2026-10-04T02:30:00+11:00")
        #expect(try CronFixture.next("15 * * * *", in: lordHowe, after: "2026-10-04T01:30:00+10:30") == "2026-10-04T03:15:00+11:00")
    }

    @Test func dayRemovedFromTheCalendarRunsItsFixedJobAtTheNextMidnight() throws {
        // Pacific/Apia skipped 2011-12-30 when it moved west of the date line (-10 → +14).
        let apia = try CronFixture.zone("Pacific/Apia")
        #expect(try CronFixture.fires("0 12 * * *", in: apia, after: "2011-12-29T00:00:00-10:00", through: "2011-12-31T23:00:00+14:00") == [
            "2011-12-29T12:00:00-10:00", "2011-12-31T00:00:00+14:00", "2011-12-31T12:00:00+14:00",
        ])
    }
}
