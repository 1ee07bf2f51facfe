extension CronField {
    /// Parses one field: a comma-separated list of `*`, `v`, `a-b`, `*/n`, `a-b/n` or `a/n` terms.
    ///
    /// Values are decimal numbers or, in the month and day-of-week fields, three-letter names in
    /// any case. `a/n` runs from `a` to the end of the field's span.
    /// - Throws: `CronError` naming the field and quoting its text.
    init(parsing text: Substring, kind: Kind) throws(CronError) {
        func fail(_ reason: String) -> CronError {
            CronError("\(kind.name) field \"\(text)\": \(reason)")
        }
        var bits: UInt64 = 0
        var hasStep = false
        for term in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !term.isEmpty else { throw fail("empty list element") }
            let parsed = try Self.parseTerm(term, kind: kind, fail: fail)
            hasStep = hasStep || term.contains("/")
            for value in stride(from: parsed.range.lowerBound, through: parsed.range.upperBound, by: parsed.step) {
                // Weekday 7 is Sunday, as in Vixie cron.
                let stored = kind == .dayOfWeek && value == 7 ? 0 : value
                bits |= 1 << UInt64(stored)
            }
        }
        self.init(bits: bits, startsWithStar: text.hasPrefix("*"), hasStep: hasStep)
    }

    /// One list term as the values it covers and its step.
    private static func parseTerm(
        _ term: Substring,
        kind: Kind,
        fail: (String) -> CronError
    ) throws(CronError) -> (range: ClosedRange<Int>, step: Int) {
        let parts = term.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        var step = 1
        if parts.count == 2 {
            guard !parts[1].isEmpty else { throw fail("missing step after \"/\"") }
            guard isDecimal(parts[1]) else { throw fail("step \"\(parts[1])\" is not a number") }
            guard let value = Int(parts[1]), value >= 1, value <= kind.maxStep else {
                throw fail("step \(parts[1]) is out of range 1-\(kind.maxStep)")
            }
            step = value
        }
        let base = parts[0]
        if base == "*" {
            return (kind.span, step)
        }
        let ends = base.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        if ends.count == 2 {
            guard !ends[0].isEmpty, !ends[1].isEmpty else { throw fail("missing value in range \"\(base)\"") }
            let start = try value(ends[0], kind: kind, fail: fail)
            let end = try value(ends[1], kind: kind, fail: fail)
            guard start <= end else { throw fail("range \(base) is reversed") }
            return (start...end, step)
        }
        let start = try value(base, kind: kind, fail: fail)
        // `a/n` means a to the end of the span; a bare value is just itself.
        let end = parts.count == 2 ? max(start, kind.span.upperBound) : start
        return (start...end, step)
    }

    /// A number within the field's bounds, or a name the field knows.
    private static func value(_ text: Substring, kind: Kind, fail: (String) -> CronError) throws(CronError) -> Int {
        if let named = kind.names[text.uppercased()] {
            return named
        }
        guard isDecimal(text) else { throw fail("\"\(text)\" is not \(kind.valueDescription)") }
        guard let number = Int(text), kind.bounds.contains(number) else {
            throw fail("value \(text) is out of range \(kind.bounds.lowerBound)-\(kind.bounds.upperBound)")
        }
        return number
    }

    /// Whether `text` is one or more ASCII digits (`Int.init` would also take a sign).
    private static func isDecimal(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
