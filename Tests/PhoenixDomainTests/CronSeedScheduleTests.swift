import FoundationEssentials
import PhoenixDomain
import Testing

/// The schedules written in the seed document, in its default UTC.
@Suite struct CronSeedScheduleTests {
    @Test func redisEveryQuarterHourFiresNinetySixTimesADay() throws {
        let fires = try CronFixture.fires("*/15 * * * *", after: "2026-11-26T00:00:00Z", through: "2026-11-27T00:00:00Z")
        #expect(fires.count == 96)
        #expect(fires.prefix(2) == ["2026-11-26T00:15:00Z", "2026-11-26T00:30:00Z"])
        #expect(fires.last == "2026-11-27T00:00:00Z")
    }

    @Test func hourlyStepOfOneFiresLikeEveryHour() throws {
        let window = ("2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z")
        let stepped = try CronFixture.fires("0 */1 * * *", after: window.0, through: window.1)
        #expect(stepped.count == 7 * 24)
        #expect(stepped == (try CronFixture.fires("0 * * * *", after: window.0, through: window.1)))
        #expect(try CronFixture.next("0 */1 * * *", after: "2026-11-26T10:00:00Z") == "2026-11-26T11:00:00Z")
    }

    @Test func sixHourlyFiresAtMidnightSixNoonAndEighteen() throws {
        let fires = try CronFixture.fires("0 */6 * * *", after: "2026-11-26T00:00:00Z", through: "2026-11-27T00:00:00Z")
        #expect(fires == ["2026-11-26T06:00:00Z", "2026-11-26T12:00:00Z", "2026-11-26T18:00:00Z", "2026-11-27T00:00:00Z"])
    }

    @Test func seedIntervalsMatchTheirCronEquivalents() throws {
        // DATA_TIERS: redis 15, agent state 30, metrics 60 minutes.
        #expect(try CronSchedule.every(minutes: 15) == CronSchedule(parsing: "*/15 * * * *"))
        #expect(try CronSchedule.every(minutes: 30) == CronSchedule(parsing: "*/30 * * * *"))
        #expect(try CronSchedule.every(minutes: 60) == CronSchedule(parsing: "0 * * * *"))
    }
}
