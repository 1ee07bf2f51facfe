import FoundationEssentials

/// The keyring text format, shared by files and environment variables:
///
/// ```text
/// # phoenix-dr keyring: one key per line, the last one is current.
/// 2025-06 3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
/// 2026-01:Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWo=
/// ```
///
/// Each line is `ID BASE64KEY` (any run of spaces or tabs between) or `ID:BASE64KEY`; the key is
/// standard base64 of exactly 32 bytes; ids are 1–64 characters of `[A-Za-z0-9._-]`. Blank lines
/// and lines starting with `#` are ignored; there are no trailing comments. Rotation = append a
/// new line (it becomes current) and keep the old ones while artifacts sealed with them exist.
extension Keyring {
    /// The largest keyring text accepted, in bytes (a keyring holds a handful of 32-byte keys).
    public static let maximumTextCount = 64 * 1024

    /// Parses keyring text.
    /// - Parameter source: where the text came from, for error messages.
    /// - Throws: `ArtifactError.keyringEntry` naming the line, or `.keyringEmpty`.
    public init(parsing text: String, source: ArtifactError.KeyringSource = .text) throws(ArtifactError) {
        var keys: [ArtifactKey] = []
        var seen: Set<ArtifactKeyID> = []
        // Split on "\n" only so a "\r\n" file keeps its line numbers; "\r" is trimmed as whitespace.
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingWhitespace()
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let number = offset + 1
            let key = try Self.parseEntry(line, source: source, line: number)
            guard seen.insert(key.id).inserted else {
                throw .keyringEntry(source, line: number, problem: .duplicateKeyID(key.id))
            }
            keys.append(key)
        }
        guard !keys.isEmpty else { throw .keyringEmpty(source) }
        try self.init(keys: keys)
    }

    /// Parses the value of an environment variable: the same format, so a single `ID:BASE64KEY`
    /// is a complete keyring. Reading the variable is the caller's job (the composition root).
    public init(environmentValue: String, variableName: String) throws(ArtifactError) {
        try self.init(parsing: environmentValue, source: .environment(name: variableName))
    }

    private static func parseEntry(
        _ line: Substring,
        source: ArtifactError.KeyringSource,
        line number: Int
    ) throws(ArtifactError) -> ArtifactKey {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let parts: [Substring]
        if fields.count == 2 {
            parts = fields
        } else if fields.count == 1, let colon = line.firstIndex(of: ":") {
            parts = [line[..<colon], line[line.index(after: colon)...]]
        } else {
            throw .keyringEntry(source, line: number, problem: .malformed)
        }
        guard let id = ArtifactKeyID(rawValue: String(parts[0])) else {
            throw .keyringEntry(source, line: number, problem: .invalidKeyID)
        }
        // Data(base64Encoded:) is strict: no whitespace, no URL alphabet, padding required.
        guard let material = Data(base64Encoded: String(parts[1])) else {
            throw .keyringEntry(source, line: number, problem: .badBase64)
        }
        guard material.count == ArtifactKey.byteCount else {
            throw .keyringEntry(source, line: number, problem: .wrongKeyLength(material.count))
        }
        return try ArtifactKey(id: id, material: material)
    }
}

extension Substring {
    /// The text without leading and trailing whitespace (spaces, tabs, "\r").
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
