/// One parsed field of a cron expression: the set of values it allows.
///
/// The set is a bit mask (bit `v` set when `v` matches), so finding the next allowed value is one
/// shift and a count of trailing zeros.
struct CronField: Sendable, Hashable {
    /// Bit `v` is set when the value `v` matches. Weekday 7 is stored as 0 (Sunday).
    let bits: UInt64

    /// Whether the field text starts with `*` (`*` or `*/n`).
    ///
    /// Vixie cron decides the day-of-month/day-of-week rule on this flag, not on the values
    /// (`DOM_STAR`/`DOW_STAR` in ISC cron's entry.c), so `*/2` counts as unrestricted there.
    let startsWithStar: Bool

    /// Whether any term of the field has a step (`*/n`, `a-b/n`, `a/n`).
    let hasStep: Bool

    /// Whether `value` is in the set.
    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0
    }

    /// The smallest value in the set that is at least `value`, or nil when there is none.
    func next(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let rest = bits >> UInt64(max(value, 0))
        guard rest != 0 else { return nil }
        return max(value, 0) + rest.trailingZeroBitCount
    }

    /// The smallest value in the set; the parser never produces an empty set.
    var first: Int {
        bits.trailingZeroBitCount
    }
}
