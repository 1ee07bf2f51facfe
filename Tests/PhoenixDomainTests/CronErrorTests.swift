import PhoenixDomain
import Testing

@Suite struct CronErrorTests {
    @Test(arguments: [
        ("", "cron expression is empty"),
        (" \t ", "cron expression is empty"),
        ("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4 in \"* * * *\""),
        ("0 0 * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 6 in \"0 0 * * * *\""),
        ("61 * * * *", "minute field \"61\": value 61 is out of range 0-59"),
        ("* 24 * * *", "hour field \"24\": value 24 is out of range 0-23"),
        ("* * 0 * *", "day-of-month field \"0\": value 0 is out of range 1-31"),
        ("* * 1-32 * *", "day-of-month field \"1-32\": value 32 is out of range 1-31"),
        ("* * * 13 *", "month field \"13\": value 13 is out of range 1-12"),
        ("* * * * 8", "day-of-week field \"8\": value 8 is out of range 0-7"),
        ("99999999999999999999 * * * *", "minute field \"99999999999999999999\": value 99999999999999999999 is out of range 0-59"),
        ("30-10 * * * *", "minute field \"30-10\": range 30-10 is reversed"),
        ("* * * * FRI-MON", "day-of-week field \"FRI-MON\": range FRI-MON is reversed"),
        ("*/0 * * * *", "minute field \"*/0\": step 0 is out of range 1-60"),
        ("*/90 * * * *", "minute field \"*/90\": step 90 is out of range 1-60"),
        ("0 */25 * * *", "hour field \"*/25\": step 25 is out of range 1-24"),
        ("0 0 * * */8", "day-of-week field \"*/8\": step 8 is out of range 1-7"),
        ("*/x * * * *", "minute field \"*/x\": step \"x\" is not a number"),
        ("1/2/3 * * * *", "minute field \"1/2/3\": step \"2/3\" is not a number"),
        ("5/ * * * *", "minute field \"5/\": missing step after \"/\""),
        ("1,,2 * * * *", "minute field \"1,,2\": empty list element"),
        ("0 1, * * *", "hour field \"1,\": empty list element"),
        ("1- * * * *", "minute field \"1-\": missing value in range \"1-\""),
        ("-5 * * * *", "minute field \"-5\": missing value in range \"-5\""),
        ("1-2-3 * * * *", "minute field \"1-2-3\": \"2-3\" is not a number"),
        ("*-5 * * * *", "minute field \"*-5\": \"*\" is not a number"),
        ("+5 * * * *", "minute field \"+5\": \"+5\" is not a number"),
        ("a * * * *", "minute field \"a\": \"a\" is not a number"),
        ("JAN * * * *", "minute field \"JAN\": \"JAN\" is not a number"),
        ("* * * FOO *", "month field \"FOO\": \"FOO\" is not a number or month name"),
        ("* * * January *", "month field \"January\": \"January\" is not a number or month name"),
        ("* * * * Sunday", "day-of-week field \"Sunday\": \"Sunday\" is not a number or weekday name"),
        ("* * MON * *", "day-of-month field \"MON\": \"MON\" is not a number"),
        ("@reboot", "unknown macro \"@reboot\": expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"),
        ("@daily 5", "macro \"@daily\" must be the whole expression, found \"@daily 5\""),
    ])
    func invalidExpressionIsRefusedWithAPreciseMessage(expression: String, message: String) {
        #expect(throws: CronError(message)) {
            try CronSchedule(parsing: expression)
        }
    }

    @Test func errorDescriptionIsItsMessage() {
        do {
            _ = try CronSchedule(parsing: "61 * * * *")
            Issue.record("61 was accepted as a minute")
        } catch {
            #expect(error.description == "minute field \"61\": value 61 is out of range 0-59")
            #expect("\(error)" == error.message)
        }
    }
}
