import FoundationEssentials
import FoundationInternationalization
import PhoenixDomain
import Testing

/// `fireTimes` compared with a slow reference that visits every minute, for generated expressions
/// around daylight saving changes.
@Suite struct CronReferenceTests {
    /// Windows of four days around offset changes, and one quiet window.
    static let windows: [(zone: String, start: String)] = [
        ("Europe/Berlin", "2026-03-27T12:00:00Z"),
        ("Europe/Berlin", "2026-10-23T12:00:00Z"),
        ("America/New_York", "2026-03-06T12:00:00Z"),
        ("America/New_York", "2026-10-30T12:00:00Z"),
        ("Australia/Lord_Howe", "2026-10-02T00:00:00Z"),
        ("Australia/Lord_Howe", "2026-04-02T12:00:00Z"),
        ("America/Santiago", "2026-09-04T12:00:00Z"),
        ("Pacific/Apia", "2011-12-28T00:00:00Z"),
        ("UTC", "2026-02-27T00:00:00Z"),
    ]

    @Test(arguments: 0..<windows.count)
    func generatedSchedulesAgreeWithAMinuteByMinuteReference(window: Int) throws {
        let zone = try CronFixture.zone(Self.windows[window].zone)
        let start = Int(try CronFixture.instant(Self.windows[window].start).timeIntervalSince1970)
        let minutes = 4 * 1440
        // Wall time (local seconds read as UTC) of every minute in the window.
        let walls = (0...minutes).map { start + $0 * 60 + zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(start + $0 * 60))) }
        var generator = SplitMix(seed: UInt64(window) &+ 0x5EED)
        for _ in 0..<40 {
            let spec = ReferenceSpec(generator: &generator)
            let expected = spec.fires(walls: walls, start: start)
                .filter { $0 > start + 1440 * 60 && $0 <= start + 3 * 1440 * 60 }
                .map { CronFixture.local(Date(timeIntervalSince1970: Double($0)), in: zone) }
            let schedule = try CronSchedule(parsing: spec.expression, timeZone: zone)
            let actual = schedule.fireTimes(
                after: Date(timeIntervalSince1970: Double(start + 1440 * 60)),
                through: Date(timeIntervalSince1970: Double(start + 3 * 1440 * 60))
            ).map { CronFixture.local($0, in: zone) }
            #expect(actual == expected, "\(spec.expression) in \(zone.identifier)")
        }
    }
}

/// A generated expression and the value sets it stands for.
private struct ReferenceSpec {
    var expression = ""
    var sets: [Set<Int>] = []
    var starred: [Bool] = []

    init(generator: inout SplitMix) {
        let bounds = [0...59, 0...23, 1...31, 1...12, 0...6]
        var fields: [String] = []
        for (index, range) in bounds.enumerated() {
            let roll = generator.next(100)
            let starChance = [15, 25, 70, 90, 75][index]
            if roll < starChance {
                fields.append("*")
                sets.append(Set(range))
                starred.append(true)
            } else if roll < starChance + 10 {
                let step = 1 + generator.next(min(index == 1 ? 8 : 20, range.count))
                fields.append("*/\(step)")
                sets.append(Set(stride(from: range.lowerBound, through: range.upperBound, by: step)))
                starred.append(true)
            } else {
                // Hours near the changes (0–3) are the interesting ones.
                let values = (0...generator.next(3)).map { _ in
                    index == 1 && generator.next(2) == 0 ? generator.next(4) : range.lowerBound + generator.next(range.count)
                }
                fields.append(values.map(String.init).joined(separator: ","))
                sets.append(Set(values))
                starred.append(false)
            }
        }
        expression = fields.joined(separator: " ")
    }

    /// Whether a wall time matches, with cron's day rule.
    func matches(wall: Int) -> Bool {
        let dayNumber = Int((Double(wall) / 86_400).rounded(.down))
        let (year, month, day) = Self.civil(dayNumber)
        _ = year
        let second = wall - dayNumber * 86_400
        let weekday = ((dayNumber % 7) + 11) % 7
        guard sets[0].contains(second / 60 % 60), sets[1].contains(second / 3600), sets[3].contains(month) else { return false }
        if starred[2] || starred[4] { return sets[2].contains(day) && sets[4].contains(weekday) }
        return sets[2].contains(day) || sets[4].contains(weekday)
    }

    /// The fire instants, from the documented rules applied to every minute of the window.
    func fires(walls: [Int], start: Int) -> [Int] {
        let instants = walls.indices.map { start + $0 * 60 }
        let intervalLike = starred[1]
        var result: Set<Int> = []
        var seen: Set<Int> = []
        for (index, wall) in walls.enumerated() where matches(wall: wall) {
            // A fixed-hour job runs at the first occurrence of a wall time only.
            if intervalLike || seen.insert(wall).inserted { result.insert(instants[index]) }
        }
        if !intervalLike {
            // Wall minutes skipped by a jump forward run at the first instant after the jump.
            for index in walls.indices.dropFirst() where walls[index] - walls[index - 1] > 60 {
                let skipped = stride(from: walls[index - 1] + 60, to: walls[index], by: 60)
                if skipped.contains(where: matches(wall:)) { result.insert(instants[index]) }
            }
        }
        return result.sorted()
    }

    /// Year, month and day of a day number (days since 1970-01-01).
    static func civil(_ number: Int) -> (Int, Int, Int) {
        let shifted = number + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * monthFromMarch + 2) / 5 + 1)
    }
}

/// A small deterministic generator, so a failure names a reproducible expression.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    /// A value in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
