import PhoenixDomain
import Testing

/// The day-of-month/day-of-week rule, in April 2026 (1 April is a Wednesday, 13 April a Monday).
@Suite struct CronDayRuleTests {
    @Test func bothDayFieldsRestrictedMatchEitherField() throws {
        #expect(try CronFixture.aprilDays(dayOfMonth: "13", dayOfWeek: "FRI") == [3, 10, 13, 17, 24])
    }

    @Test func firstWeekOrMondaysIsTheClassicSurprise() throws {
        // Not "the first Monday": cron ORs the fields, so days 1–7 and every Monday.
        #expect(try CronFixture.aprilDays(dayOfMonth: "1-7", dayOfWeek: "MON") == [1, 2, 3, 4, 5, 6, 7, 13, 20, 27])
    }

    @Test func onlyWeekdayRestrictedAppliesTheWeekday() throws {
        #expect(try CronFixture.aprilDays(dayOfMonth: "*", dayOfWeek: "FRI") == [3, 10, 17, 24])
    }

    @Test func onlyDayOfMonthRestrictedAppliesTheDay() throws {
        #expect(try CronFixture.aprilDays(dayOfMonth: "13", dayOfWeek: "*") == [13])
    }

    @Test func starredStepDayOfMonthCountsAsUnrestrictedAsInVixieCron() throws {
        // ISC cron sets DOM_STAR when the field starts with "*", so "*/2" with a weekday means
        // both must match: odd days that are Mondays.
        #expect(try CronFixture.aprilDays(dayOfMonth: "*/2", dayOfWeek: "MON") == [13, 27])
    }

    @Test func starredStepWeekdayCountsAsUnrestrictedToo() throws {
        // "*/3" is SUN, WED, SAT; with day 1-10 both must match.
        #expect(try CronFixture.aprilDays(dayOfMonth: "1-10", dayOfWeek: "*/3") == [1, 4, 5, 8])
    }

    @Test func monthFieldStillAppliesWhenDaysAreOred() throws {
        #expect(try CronFixture.aprilDays(dayOfMonth: "13", dayOfWeek: "FRI", month: "MAY") == [])
    }
}
