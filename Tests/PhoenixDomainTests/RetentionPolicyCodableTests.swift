import FoundationEssentials
import PhoenixDomain
import Testing

/// The policy's coded form uses the seed's key names and a time zone identifier.
struct RetentionPolicyCodableTests {
    @Test func decodesTheSeedKeysAndANamedTimeZone() throws {
        let json = #"""
            {"keep_last": 96, "keep_daily": 30, "keep_weekly": 8, "keep_monthly": 3,
             "retention_days": 30, "time_zone": "Europe/Berlin"}
            """#

        let policy = try JSONDecoder().decode(RetentionPolicy.self, from: Data(json.utf8))

        let berlin = try RetentionFixture.zone("Europe/Berlin")
        let expected = RetentionPolicy(
            keepLast: 96, keepDaily: 30, keepWeekly: 8, keepMonthly: 3, maxAgeDays: 30, timeZone: berlin
        )
        #expect(policy == expected)
    }

    @Test func defaultsToUTCWhenNoTimeZoneIsGiven() throws {
        let decoder = JSONDecoder()
        let policy = try decoder.decode(RetentionPolicy.self, from: Data(#"{"keep_hourly": 24}"#.utf8))
        let named = try decoder.decode(RetentionPolicy.self, from: Data(#"{"time_zone": "UTC"}"#.utf8))

        // swift-foundation reports the UTC zone as "GMT"; both are offset zero all year.
        #expect(policy.timeZone == RetentionPolicy.defaultTimeZone)
        #expect(policy.timeZone == named.timeZone)
        #expect(policy.timeZone.secondsFromGMT(for: try RetentionFixture.date("2026-06-10T12:00:00Z")) == 0)
        #expect(policy.keepHourly == 24)
        #expect(policy.keepYearly == nil)
    }

    @Test func rejectsAnUnknownTimeZone() {
        let json = #"{"keep_last": 3, "time_zone": "Mars/Olympus_Mons"}"#

        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RetentionPolicy.self, from: Data(json.utf8))
        }
    }

    @Test func roundTripsThroughJSON() throws {
        let newYork = try RetentionFixture.zone("America/New_York")
        let policy = RetentionPolicy(keepLast: 3, keepYearly: -1, maxAgeDays: 400, timeZone: newYork)

        let data = try JSONEncoder().encode(policy)

        #expect(try JSONDecoder().decode(RetentionPolicy.self, from: data) == policy)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""time_zone":"America\/New_York""#) || text.contains(#""time_zone":"America/New_York""#))
    }
}
