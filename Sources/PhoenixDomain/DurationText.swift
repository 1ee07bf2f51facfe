/// Durations as operators write them: `500ms`, `30s`, `15m`, `6h`, `2d`, `1h30m`.
public enum DurationText {
    /// Parses `text`; nil when it is not a duration (a bare number has no unit and is refused).
    public static func parse(_ text: String) -> Duration? {
        var total = Duration.zero
        var number = 0
        var hasDigits = false
        var parts = 0
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let digit = character.wholeNumberValue, character.isASCII {
                let (times, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(digit)
                guard !overflow1, !overflow2, sum < 1_000_000_000 else { return nil }
                number = sum
                hasDigits = true
                index = text.index(after: index)
                continue
            }
            guard hasDigits else { return nil }
            let rest = text[index...]
            let unit: Duration
            if rest.hasPrefix("ms") { unit = .milliseconds(1); index = text.index(index, offsetBy: 2) }
            else if character == "s" { unit = .seconds(1); index = text.index(after: index) }
            else if character == "m" { unit = .seconds(60); index = text.index(after: index) }
            else if character == "h" { unit = .seconds(3600); index = text.index(after: index) }
            else if character == "d" { unit = .seconds(86_400); index = text.index(after: index) }
            else { return nil }
            total += unit * number
            number = 0
            hasDigits = false
            parts += 1
        }
        return hasDigits || parts == 0 ? nil : total
    }

    /// The shortest text that parses back to `duration` (`90s` → `1m30s`).
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        let milliseconds = attoseconds / 1_000_000_000_000_000
        if milliseconds > 0 { text += "\(milliseconds)ms" }
        return text.isEmpty ? "0s" : text
    }
}
