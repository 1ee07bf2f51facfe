import FoundationEssentials

extension CronSchedule {
    /// How far ahead `nextFire(after:)` looks: one Gregorian cycle, after which dates and weekdays
    /// repeat, so any schedule that can fire at all is found.
    static let searchYears = 400

    /// The instants `nextFire(after:)` works on: the years 1 to 9999, as ISO 8601 writes them.
    /// Earlier instants (`Date.distantPast` is in year 0) count as the start of year 1.
    static let supportedSeconds: ClosedRange<Double> = -62_135_596_800...253_402_300_799

    /// The first fire time strictly after `date`.
    ///
    /// Fire times fall on whole minutes of the wall clock; a fixed-hour job due in a spring-forward
    /// gap fires at the gap's end instead (see the type's notes on daylight saving time).
    /// - Returns: nil when the expression can never fire (e.g. `0 0 30 2 *`), or when `date` lies
    ///   after the year 9999 or is not a number.
    public func nextFire(after date: Date) -> Date? {
        let seconds = max(date.timeIntervalSince1970, Self.supportedSeconds.lowerBound)
        guard canEverFire, Self.supportedSeconds.contains(seconds) else { return nil }
        let earliest = Int(seconds.rounded(.down)) + 1
        let startWall = earliest + timeZone.offset(at: earliest)
        let lastYear = CivilCalendar.day(number: CivilCalendar.floorDivide(startWall, CivilCalendar.secondsPerDay)).year
            + Self.searchYears
        // Walk the spans of constant UTC offset: inside one, wall time and instants map one to one.
        var spanStart = earliest
        while true {
            let offset = timeZone.offset(at: spanStart)
            let spanEnd = timeZone.transition(after: spanStart)
            guard let wall = firstMatch(atOrAfter: spanStart + offset, throughYear: lastYear) else { return nil }
            let instant = wall - offset
            guard let spanEnd, instant >= spanEnd else {
                if isIntervalLike || !hasEarlierOccurrence(ofWall: wall, before: instant) {
                    return Date(timeIntervalSince1970: Double(instant))
                }
                spanStart = instant + 1
                continue
            }
            // A fixed-time job due in a spring-forward gap fires once, when the gap ends.
            if !isIntervalLike, wall < spanEnd + timeZone.offset(at: spanEnd) {
                return Date(timeIntervalSince1970: Double(spanEnd))
            }
            spanStart = spanEnd
        }
    }

    /// All fire times in `(start, end]`, in order, at most `limit` of them.
    /// - Parameters:
    ///   - start: excluded, so passing the last run's time gives what was missed since.
    ///   - end: included.
    ///   - limit: the most times returned; a catch-up usually needs only the last one.
    public func fireTimes(after start: Date, through end: Date, limit: Int = 10_000) -> [Date] {
        var times: [Date] = []
        var cursor = start
        while times.count < limit, let next = nextFire(after: cursor), next <= end {
            times.append(next)
            cursor = next
        }
        return times
    }

    /// Whether wall time `wall` already occurred before `instant`, i.e. `instant` is its second
    /// occurrence in a fall-back overlap.
    ///
    /// It checks the offsets in force during the day before `instant`, which covers every overlap
    /// in the time zone database (the longest are two hours).
    private func hasEarlierOccurrence(ofWall wall: Int, before instant: Int) -> Bool {
        var probe = instant - CivilCalendar.secondsPerDay
        while probe < instant {
            let offset = timeZone.offset(at: probe)
            let candidate = wall - offset
            if candidate < instant, timeZone.offset(at: candidate) == offset { return true }
            guard let next = timeZone.transition(after: probe) else { return false }
            probe = max(next, probe + 1)
        }
        return false
    }
}

extension TimeZone {
    /// The UTC offset in seconds at `instant` (seconds since 1970).
    fileprivate func offset(at instant: Int) -> Int {
        secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
    }

    /// The first whole second after `instant` at which the UTC offset has changed, or nil when it
    /// never changes again.
    ///
    /// Despite its name, `nextDaylightSavingTimeTransition(after:)` reports every offset change, also
    /// changes of standard time (Europe/Moscow 2014, Pacific/Apia skipping 2011-12-30).
    fileprivate func transition(after instant: Int) -> Int? {
        nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(instant)))
            .map { Int($0.timeIntervalSince1970.rounded(.up)) }
    }
}
