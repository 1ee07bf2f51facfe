import PhoenixConfig
import PhoenixDomain
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [("30s", 30), ("15m", 900), ("6h", 21_600), ("2d", 172_800), ("1h30m", 5_400)])
    func parsesDurations(text: String, seconds: Int) {
        #expect(DurationText.parse(text) == .seconds(seconds))
    }

    @Test func parsesMilliseconds() {
        #expect(DurationText.parse("500ms") == .milliseconds(500))
    }

    @Test(arguments: ["", "10", "10x", "m", "-5m", "5 m", "1.5h", "99999999999h"])
    func refusesWhatIsNotADuration(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func formatsBackToTheShortestText() {
        #expect(DurationText.format(.seconds(5_400)) == "1h30m")
        #expect(DurationText.format(.milliseconds(1_500)) == "1s500ms")
    }
}
