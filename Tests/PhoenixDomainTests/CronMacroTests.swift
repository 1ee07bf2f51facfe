import FoundationEssentials
import PhoenixDomain
import Testing

@Suite struct CronMacroTests {
    @Test(arguments: [
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
        ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
    ])
    func macroFiresLikeItsExpansion(macro: String, expansion: String) throws {
        let window = ("2026-12-01T00:00:00Z", "2027-02-15T00:00:00Z")
        let fromMacro = try CronFixture.fires(macro, after: window.0, through: window.1)
        #expect(!fromMacro.isEmpty)
        #expect(fromMacro == (try CronFixture.fires(expansion, after: window.0, through: window.1)))
        #expect(try CronSchedule(parsing: macro).expression == macro)
    }

    @Test(arguments: [
        ("@yearly", "2027-01-01T00:00:00Z"),
        ("@monthly", "2026-07-01T00:00:00Z"),
        ("@weekly", "2026-06-21T00:00:00Z"),
        ("@daily", "2026-06-18T00:00:00Z"),
        ("@hourly", "2026-06-17T11:00:00Z"),
    ])
    func macroNextFireFromWednesdayMorning(macro: String, expected: String) throws {
        // 17 June 2026 is a Wednesday.
        #expect(try CronFixture.next(macro, after: "2026-06-17T10:20:00Z") == expected)
    }

    @Test func macrosAreCaseInsensitiveAndStoredInLowerCase() throws {
        let schedule = try CronSchedule(parsing: " @Daily ")
        #expect(schedule.expression == "@daily")
        #expect(schedule.description == "@daily (UTC)")
    }

    @Test func dailyMacroRunsAtLocalMidnight() throws {
        let tokyo = try CronFixture.zone("Asia/Tokyo")
        #expect(try CronFixture.next("@daily", in: tokyo, after: "2026-06-17T10:20:00Z") == "2026-06-18T00:00:00+09:00")
    }
}
