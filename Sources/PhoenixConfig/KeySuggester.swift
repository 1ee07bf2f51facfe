/// "did you mean" for unknown keys: the closest allowed key by edit distance, if close enough.
enum KeySuggester {
    static func suggestion(for key: String, among candidates: some Collection<String>) -> String? {
        let lowered = key.lowercased()
        let limit = max(2, key.count / 3)
        let scored = candidates.map { ($0, distance(lowered, $0)) }.filter { $0.1 <= limit }
        if let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) { return best.0 }
        // A shortened name (`data_restore` for `data_restoration`) is far by edits but obvious:
        // all but its last two characters begin the candidate.
        guard lowered.count >= 6 else { return nil }
        return candidates.filter { $0.commonPrefix(with: lowered).count >= lowered.count - 2 }.min()
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

private extension String {
    func commonPrefix(with other: String) -> Substring {
        let count = zip(self, other).prefix { $0 == $1 }.count
        return prefix(count)
    }
}
