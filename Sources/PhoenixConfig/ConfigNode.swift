import PhoenixDomain
import Yams

/// A node of the YAML tree with its key path, reading typed values and recording every problem
/// (with path and line) instead of stopping at the first.
struct ConfigNode {
    let node: Node
    let path: String
    let log: DiagnosticLog
    let environment: [String: String]

    var line: Int? { node.mark?.line }

    func error(_ message: String) {
        log.error(path, line: line, message)
    }

    func warning(_ message: String) {
        log.warning(path, line: line, message)
    }

    func child(_ key: String, _ value: Node) -> ConfigNode {
        ConfigNode(node: value, path: path.isEmpty ? key : "\(path).\(key)", log: log, environment: environment)
    }

    // MARK: - Containers

    /// The mapping's entries in file order, after refusing keys not in `allowed` (with a
    /// suggestion). Nil, with an error, when the node is not a mapping.
    func entries(allowed: Set<String>? = nil) -> [(key: String, value: ConfigNode)]? {
        guard case .mapping(let mapping) = node else {
            error("expected a mapping, found \(kindName)")
            return nil
        }
        var result: [(String, ConfigNode)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, !key.isEmpty else {
                log.error(path, line: keyNode.mark?.line ?? line, "keys must be names, not lists, mappings or empty values")
                continue
            }
            let entry = child(key, value)
            if key == "<<" {
                log.error(entry.path, line: keyNode.mark?.line ?? entry.line, "YAML merge keys (<<) are not supported: write the keys out")
                continue
            }
            if let allowed, !allowed.contains(key) {
                var message = "unknown key \"\(key)\""
                if let suggestion = KeySuggester.suggestion(for: key, among: allowed) { message += "; did you mean \"\(suggestion)\"?" }
                log.error(entry.path, line: keyNode.mark?.line ?? entry.line, message)
                continue
            }
            result.append((key, entry))
        }
        return result
    }

    /// A mapping as a dictionary of its allowed keys; see `entries(allowed:)`.
    func fields(allowed: Set<String>) -> [String: ConfigNode]? {
        entries(allowed: allowed).map { Dictionary($0.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }) }
    }

    /// The items of a sequence, with paths `key[0]`, `key[1]`.
    func items() -> [ConfigNode]? {
        guard case .sequence(let sequence) = node else {
            error("expected a list, found \(kindName)")
            return nil
        }
        return sequence.enumerated().map { index, value in
            ConfigNode(node: value, path: "\(path)[\(index)]", log: log, environment: environment)
        }
    }

    // MARK: - Scalars

    /// The scalar's text with `${NAME}` replaced from the environment (`$${` for a literal `${`).
    /// A null (`key:`, `~`, `null`) is an error: a required key left empty is still missing.
    func string() -> String? {
        guard case .scalar(let scalar) = node else {
            error("expected a value, found \(kindName)")
            return nil
        }
        if node.tag.rawValue == Tag.Name.null.rawValue {
            error("has no value")
            return nil
        }
        return substitute(scalar.string)
    }

    /// How a value is quoted in an error: its text, or, when it came from the environment, only
    /// where it came from, so a secret put in the wrong key is never printed.
    func shown(_ text: String) -> String {
        if case .scalar(let scalar) = node, scalar.string.contains("${") { return "the value of \(scalar.string)" }
        return "\"\(text)\""
    }

    func int(in range: ClosedRange<Int> = 0...Int.max) -> Int? {
        guard let text = string() else { return nil }
        guard let value = Int(text) else {
            error("\(shown(text)) is not a whole number")
            return nil
        }
        guard range.contains(value) else {
            error("\(value) is out of range \(range.lowerBound)...\(range.upperBound == Int.max ? "" : "\(range.upperBound)")")
            return nil
        }
        return value
    }

    func bool() -> Bool? {
        guard let text = string() else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("\(shown(text)) is not true or false")
            return nil
        }
    }

    /// A duration within `range` (server timeouts: a typo like `107639d` must not pass).
    func duration(in range: ClosedRange<Duration>) -> Duration? {
        guard let value = duration() else { return nil }
        guard range.contains(value) else {
            error("must be between \(DurationText.format(range.lowerBound)) and \(DurationText.format(range.upperBound))")
            return nil
        }
        return value
    }

    func duration() -> Duration? {
        guard let text = string() else { return nil }
        guard let value = DurationText.parse(text) else {
            error("\(shown(text)) is not a duration (use e.g. 30s, 15m, 6h)")
            return nil
        }
        guard value > .zero else {
            error("must be longer than zero")
            return nil
        }
        return value
    }

    /// One of the raw values of `E`, with the allowed values listed on error.
    func oneOf<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> E? where E.RawValue == String {
        guard let text = string() else { return nil }
        if let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        error("\(shown(text)) is not one of \(allowed)")
        return nil
    }

    private var kindName: String {
        switch node {
        case .scalar: "a value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private func substitute(_ text: String) -> String? {
        guard text.contains("$") else { return text }
        var result = ""
        var rest = Substring(text)
        var isValid = true
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("${") {
                result += "${"
                rest = after.dropFirst(2)
            } else if after.hasPrefix("{") {
                guard let close = after.firstIndex(of: "}") else {
                    error("unterminated ${ (write $${ for a literal ${)")
                    return nil
                }
                let name = String(after[after.index(after: after.startIndex)..<close])
                if !Self.isVariableName(name) {
                    error("\"${\(name)}\" is not an environment variable reference (names are letters, digits and _)")
                    isValid = false
                } else if let value = environment[name] {
                    result += value
                } else {
                    error("environment variable \(name) is not set")
                    isValid = false
                }
                rest = after[after.index(after: close)...]
            } else {
                result += "$"
                rest = after
            }
        }
        result += rest
        return isValid ? result : nil
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
