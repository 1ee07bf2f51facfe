extension CronSchedule {
    /// Whether the job follows elapsed time rather than a time of day: its hour field is `*` or
    /// has a step. Such a job fires in both copies of a repeated hour and skips a missing one.
    var isIntervalLike: Bool {
        hours.startsWithStar || hours.hasStep
    }

    /// Whether any date can match at all, so `0 0 30 2 *` can answer nil without a search.
    ///
    /// Only the day-of-month can make a schedule impossible: every weekday occurs in every month,
    /// and over the 400-year Gregorian cycle every date falls on every weekday.
    var canEverFire: Bool {
        if !daysOfMonth.startsWithStar && !weekdays.startsWithStar { return true }
        // 2000 is a leap year, so February offers its 29th.
        return (1...12).contains { month in
            months.contains(month) && daysOfMonth.first <= CivilCalendar.daysIn(month: month, year: 2000)
        }
    }

    /// Whether the day fields accept day `dayOfMonth` of its month, which is day `dayNumber` since 1970.
    ///
    /// The classic rule, from ISC cron's `find_jobs`: when either field starts with `*` both must
    /// match (the starred one usually matches everything); otherwise either may.
    func matchesDay(_ dayOfMonth: Int, dayNumber: Int) -> Bool {
        let weekday = CivilCalendar.weekday(dayNumber: dayNumber)
        if daysOfMonth.startsWithStar || weekdays.startsWithStar {
            return daysOfMonth.contains(dayOfMonth) && weekdays.contains(weekday)
        }
        return daysOfMonth.contains(dayOfMonth) || weekdays.contains(weekday)
    }

    /// The first matching wall-clock minute at or after `wall`, in wall seconds (local time read as
    /// if it were UTC), or nil when there is none up to the end of `lastYear`.
    ///
    /// It steps field by field (the next allowed month, then day, hour and minute), so a search
    /// costs a few dozen steps even when the answer is years away.
    func firstMatch(atOrAfter wall: Int, throughYear lastYear: Int) -> Int? {
        let start = CivilCalendar.floorDivide(wall + 59, 60) * 60
        let startDay = CivilCalendar.floorDivide(start, CivilCalendar.secondsPerDay)
        var date = CivilCalendar.day(number: startDay)
        let secondOfDay = start - startDay * CivilCalendar.secondsPerDay
        var hour = secondOfDay / 3600
        var minute = secondOfDay % 3600 / 60
        while date.year <= lastYear {
            guard months.contains(date.month) else {
                if let month = months.next(atOrAfter: date.month) {
                    date.month = month
                } else {
                    date.year += 1
                    date.month = months.first
                }
                (date.day, hour, minute) = (1, 0, 0)
                continue
            }
            guard let day = nextDay(atOrAfter: date) else {
                date.month += 1
                if date.month > 12 { (date.year, date.month) = (date.year + 1, 1) }
                (date.day, hour, minute) = (1, 0, 0)
                continue
            }
            if day != date.day { (date.day, hour, minute) = (day, 0, 0) }
            guard let nextHour = hours.next(atOrAfter: hour) else {
                (date.day, hour, minute) = (date.day + 1, 0, 0)
                continue
            }
            if nextHour != hour { (hour, minute) = (nextHour, 0) }
            guard let nextMinute = minutes.next(atOrAfter: minute) else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            return CivilCalendar.dayNumber(of: date) * CivilCalendar.secondsPerDay + hour * 3600 + nextMinute * 60
        }
        return nil
    }

    /// The first day of `date`'s month, from `date.day` on, that the day fields accept.
    private func nextDay(atOrAfter date: CivilCalendar.Day) -> Int? {
        let length = CivilCalendar.daysIn(month: date.month, year: date.year)
        guard date.day <= length else { return nil }
        let firstNumber = CivilCalendar.dayNumber(of: date)
        for day in date.day...length where matchesDay(day, dayNumber: firstNumber + day - date.day) {
            return day
        }
        return nil
    }
}
