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
            let key = keyNode.scalar?.string ?? ""
            let entry = child(key, value)
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
    func string() -> String? {
        guard case .scalar(let scalar) = node else {
            error("expected a value, found \(kindName)")
            return nil
        }
        return substitute(scalar.string)
    }

    func int(in range: ClosedRange<Int> = 0...Int.max) -> Int? {
        guard let text = string() else { return nil }
        guard let value = Int(text) else {
            error("\"\(text)\" is not a whole number")
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
            error("\"\(text)\" is not true or false")
            return nil
        }
    }

    func duration() -> Duration? {
        guard let text = string() else { return nil }
        guard let value = DurationText.parse(text) else {
            error("\"\(text)\" is not a duration (use e.g. 30s, 15m, 6h)")
            return nil
        }
        return value
    }

    /// One of the raw values of `E`, with the allowed values listed on error.
    func oneOf<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> E? where E.RawValue == String {
        guard let text = string() else { return nil }
        if let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        error("\"\(text)\" is not one of \(allowed)")
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
            } else if after.hasPrefix("{"), let close = after.firstIndex(of: "}") {
                let name = String(after[after.index(after: after.startIndex)..<close])
                if let value = environment[name] {
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
}
