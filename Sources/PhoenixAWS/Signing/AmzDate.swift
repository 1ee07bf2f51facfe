import FoundationEssentials

/// A signing time as SigV4 writes it: `20260102T030405Z` (ISO 8601 basic, UTC, whole seconds).
///
/// Computed by hand rather than with a formatter: no calendar or time zone lookup (which
/// FoundationEssentials alone cannot do), and nothing locale-dependent can creep in.
struct AmzDate: Sendable {
    /// `yyyyMMdd'T'HHmmss'Z'`, for `x-amz-date` and the string to sign.
    let stamp: String

    /// `yyyyMMdd`, the first part of the credential scope.
    var day: String { String(stamp.prefix(8)) }

    /// The UTC time of `date`, fractions of a second dropped as botocore's `strftime` does.
    /// - Throws: `.invalidRequest` for a year outside 1970...9999.
    init(_ date: Date) throws(AWSError) {
        let total = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let seconds = Int(total - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        guard (1970...9999).contains(year) else { throw AWSError(.invalidRequest, "the signing date is out of range") }
        stamp = Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + "T"
            + Self.pad(seconds / 3600, 2) + Self.pad(seconds / 60 % 60, 2) + Self.pad(seconds % 60, 2) + "Z"
    }

    /// Year, month, day of a count of days since 1970-01-01 in the proleptic Gregorian calendar
    /// (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
