extension CronField {
    /// The five positions of a cron expression, with their bounds and names.
    enum Kind: Int, Sendable, CaseIterable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        /// The name used in error messages.
        var name: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// The values a field may spell; day-of-week accepts 7 as a second Sunday.
        var bounds: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// The values `*` and an open-ended `a/n` cover: day-of-week runs SUN to SAT, without the 7.
        var span: ClosedRange<Int> {
            self == .dayOfWeek ? 0...6 : bounds
        }

        /// The largest step allowed: the number of values in the span. `*/60` in the minute field is
        /// hourly; `*/90` is refused, since cron would read it as "minute 0 of every hour".
        var maxStep: Int {
            span.count
        }

        /// The three-letter names this field accepts, upper case, with their values.
        var names: [String: Int] {
            switch self {
            case .month:
                ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                 "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
            case .dayOfWeek:
                ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
            default:
                [:]
            }
        }

        /// What a value must be, for the "is not a number" message.
        var valueDescription: String {
            switch self {
            case .month: "a number or month name"
            case .dayOfWeek: "a number or weekday name"
            default: "a number"
            }
        }
    }
}
