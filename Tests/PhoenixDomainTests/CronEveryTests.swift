import FoundationEssentials
import PhoenixDomain
import Testing

@Suite struct CronEveryTests {
    @Test(arguments: [
        (1, "* * * * *"),
        (5, "*/5 * * * *"),
        (15, "*/15 * * * *"),
        (30, "*/30 * * * *"),
        (60, "0 * * * *"),
        (120, "0 */2 * * *"),
        (360, "0 */6 * * *"),
        (720, "0 */12 * * *"),
        (1440, "0 0 * * *"),
    ])
    func intervalMapsToItsCronEquivalent(minutes: Int, expression: String) throws {
        #expect(try CronSchedule.every(minutes: minutes).expression == expression)
    }

    @Test(arguments: [15, 30, 60, 360])
    func equivalentFiresEvenlyThroughAUTCDay(minutes: Int) throws {
        let schedule = try CronSchedule.every(minutes: minutes)
        let times = schedule.fireTimes(
            after: try CronFixture.instant("2026-06-01T00:00:00Z"),
            through: try CronFixture.instant("2026-06-02T00:00:00Z")
        )
        #expect(times.count == 1440 / minutes)
        let gaps = Set(zip(times, times.dropFirst()).map { $1.timeIntervalSince($0) })
        #expect(gaps == [Double(minutes * 60)])
    }

    @Test func equivalentKeepsTheTimeZone() throws {
        let berlin = try CronFixture.zone("Europe/Berlin")
        let schedule = try CronSchedule.every(minutes: 1440, timeZone: berlin)
        #expect(schedule.timeZone == berlin)
        #expect(schedule.nextFire(after: try CronFixture.instant("2026-06-01T12:00:00Z")) == (try CronFixture.instant("2026-06-02T00:00:00+02:00")))
    }

    @Test func intervalWithoutEquivalentIsRefusedWithTheReason() {
        let expected = CronError(
            "an interval of 90 minutes has no cron equivalent: use a divisor of 60 "
                + "(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60) or of 1440 in whole hours "
                + "(120, 180, 240, 360, 480, 720, 1440), or write a schedule"
        )
        #expect(throws: expected) { try CronSchedule.every(minutes: 90) }
    }

    @Test(arguments: [7, 45, 100, 300, 1000, 2880, 10_080])
    func otherIntervalsHaveNoEquivalent(minutes: Int) {
        #expect {
            try CronSchedule.every(minutes: minutes)
        } throws: { error in
            (error as? CronError)?.message.hasPrefix("an interval of \(minutes) minutes has no cron equivalent") == true
        }
    }

    @Test(arguments: [0, -15])
    func nonPositiveIntervalIsRefused(minutes: Int) {
        #expect(throws: CronError("an interval of \(minutes) minutes is not positive")) {
            try CronSchedule.every(minutes: minutes)
        }
    }
}
