/// One problem found in a configuration file: where (key path and line) and what.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The key path, e.g. `recovery_steps[2].timeout`; empty for the document itself.
    public var path: String
    /// The 1-based line, when known.
    public var line: Int?
    public var message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `recovery_steps[2].timeout: line 41: "10x" is not a duration`.
    public var description: String {
        var parts: [String] = []
        if !path.isEmpty { parts.append(path) }
        if let line { parts.append("line \(line)") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

/// A configuration that could not be loaded: every error found, in file order.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigDiagnostic]
    /// Warnings found on the way; they do not fail loading by themselves.
    public var warnings: [ConfigDiagnostic]

    /// Creates an error from its diagnostics.
    public init(errors: [ConfigDiagnostic], warnings: [ConfigDiagnostic]) {
        self.errors = errors
        self.warnings = warnings
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}

/// Collects diagnostics while a file is read, so all of them are reported at once.
final class DiagnosticLog {
    private(set) var errors: [ConfigDiagnostic] = []
    private(set) var warnings: [ConfigDiagnostic] = []

    func error(_ path: String, line: Int?, _ message: String) {
        errors.append(ConfigDiagnostic(path: path, line: line, message: message))
    }

    func warning(_ path: String, line: Int?, _ message: String) {
        warnings.append(ConfigDiagnostic(path: path, line: line, message: message))
    }

    /// Errors sorted by line, so the report reads top to bottom; cross-reference errors, which
    /// have no single line, come last.
    var sortedErrors: [ConfigDiagnostic] {
        errors.enumerated().sorted { ($0.element.line ?? Int.max, $0.offset) < ($1.element.line ?? Int.max, $1.offset) }.map(\.element)
    }

    /// Whether an error was already reported at or under `path`.
    func hasError(under path: String) -> Bool {
        errors.contains { $0.path == path || $0.path.hasPrefix(path + ".") || $0.path.hasPrefix(path + "[") }
    }
}
