/// The parsed shared credentials file (`~/.aws/credentials`): INI sections of `key = value` lines.
///
/// Follows botocore's reader (Python's `configparser`): `#` and `;` start whole-line comments only
/// (a secret may contain either, so there are no inline comments), `=` or `:` separates a key from
/// its value, keys are case-insensitive, an indented line continues the previous value, and a
/// repeated section or key is an error. Errors carry the 1-based line number and never quote the
/// line, which may hold a secret.
///
/// ```swift
/// let file = try CredentialsFile.parse(Array(text.utf8))
/// let credentials = try file.credentials(profile: "default")
/// ```
public struct CredentialsFile: Sendable {
    /// One `[name]` section.
    struct Profile: Sendable {
        let lineNumber: Int
        var entries: [String: Entry] = [:]
    }

    /// One `key = value`, with where it was and whether indented lines continued it.
    struct Entry: Sendable {
        let value: String
        let lineNumber: Int
        var isContinued = false
    }

    var profiles: [String: Profile] = [:]

    /// The section names, sorted.
    public var profileNames: [String] { profiles.keys.sorted() }

    /// Parses the file's bytes.
    /// - Throws: `AWSError.malformedCredentialsFile` with the line number of the first problem.
    public static func parse(_ bytes: some Collection<UInt8>) throws(AWSError) -> CredentialsFile {
        var file = CredentialsFile()
        var section: String?
        var lastKey: String?
        for (index, rawLine) in Array(bytes).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = try decode(rawLine, lineNumber: number)
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if line.first == " " || line.first == "\t" {
                // configparser: an indented line continues the value above it.
                guard let section, let lastKey else { throw malformed(number, "an indented line does not continue any key") }
                file.profiles[section]?.entries[lastKey]?.isContinued = true
            } else if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count >= 2 else { throw malformed(number, "a section header is missing ']'") }
                let name = String(trimmed.dropFirst().dropLast()).trimmingSpaces()
                guard !name.isEmpty else { throw malformed(number, "a section name is empty") }
                if let first = file.profiles[name] {
                    throw malformed(number, "profile '\(name)' is defined again (first at line \(first.lineNumber))")
                }
                file.profiles[name] = Profile(lineNumber: number)
                section = name
                lastKey = nil
            } else {
                guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                    throw malformed(number, "expected 'key = value'")
                }
                let key = String(trimmed[..<separator]).trimmingSpaces().lowercased()
                let value = String(trimmed[trimmed.index(after: separator)...]).trimmingSpaces()
                guard !key.isEmpty else { throw malformed(number, "a key is empty") }
                guard let section else { throw malformed(number, "key '\(key)' is outside any [profile] section") }
                if let first = file.profiles[section]?.entries[key] {
                    throw malformed(number, "key '\(key)' is repeated in profile '\(section)' (first at line \(first.lineNumber))")
                }
                file.profiles[section]?.entries[key] = Entry(value: value, lineNumber: number)
                lastKey = key
            }
        }
        return file
    }

    private static func decode(_ raw: ArraySlice<UInt8>, lineNumber: Int) throws(AWSError) -> String {
        var bytes = raw
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() } // CRLF files from Windows editors
        if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) } // UTF-8 BOM
        guard let line = String(validating: bytes, as: UTF8.self) else {
            throw malformed(lineNumber, "the line is not valid UTF-8")
        }
        return line
    }

    static func malformed(_ lineNumber: Int, _ detail: String) -> AWSError {
        AWSError(.malformedCredentialsFile, detail, lineNumber: lineNumber)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (the only blanks INI and HTTP allow).
    func trimmingSpaces() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isBlank($0) }), let end = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[start...end])
    }
}
