import PhoenixCrypto

/// The header of a git bundle (gitformat-bundle(5)): `# v2 git bundle` (or v3 with `@capability`
/// lines), prerequisites (`-<id> comment`), then `<id> <refname>` lines and an empty line before
/// the pack. Parsed as the bytes stream by, so the refs are known without a second pass.
struct GitBundleHeader: Sendable {
    struct Ref: Sendable, Equatable, Comparable {
        var objectID: String
        var name: String

        static func < (lhs: Ref, rhs: Ref) -> Bool { lhs.name < rhs.name }
    }

    /// The header may not exceed this: 64 MiB is about a million refs.
    static let maximumBytes = 64 << 20

    private(set) var refs: [Ref] = []
    private(set) var prerequisites: [String] = []
    private(set) var isComplete = false
    private var pending: [UInt8] = []
    private var lineCount = 0

    /// Feeds bytes; returns how many of them belong to the header (the rest is pack data).
    mutating func consume(_ bytes: [UInt8]) throws -> Int {
        guard !isComplete else { return 0 }
        for (index, byte) in bytes.enumerated() {
            guard byte == 0x0A else {
                pending.append(byte)
                guard pending.count <= Self.maximumBytes else { throw GitError("the bundle's header is longer than 64 MiB: not a git bundle") }
                continue
            }
            let line = String(decoding: pending, as: UTF8.self)
            pending.removeAll(keepingCapacity: true)
            if try accept(line) { return index + 1 }
        }
        return bytes.count
    }

    /// Takes one line; true at the empty line that ends the header.
    private mutating func accept(_ line: String) throws -> Bool {
        defer { lineCount += 1 }
        if lineCount == 0 {
            guard line == "# v2 git bundle" || line == "# v3 git bundle" else {
                throw GitError("this is not a git bundle (it does not start with \"# v2 git bundle\")")
            }
            return false
        }
        if line.isEmpty {
            isComplete = true
            return true
        }
        if line.hasPrefix("@") { return false }
        if line.hasPrefix("-") {
            prerequisites.append(String(line.dropFirst().prefix { $0 != " " }))
            return false
        }
        let parts = line.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, [40, 64].contains(parts[0].count), parts[0].allSatisfy(\.isHexDigit) else {
            throw GitError("the bundle's header has a malformed line: \(String(line.prefix(120)))")
        }
        refs.append(Ref(objectID: String(parts[0]), name: String(parts[1])))
        return false
    }

    /// The refs a restore must reproduce: every one but `HEAD`, which a push cannot set.
    var branchesAndTags: [Ref] {
        refs.filter { $0.name != "HEAD" }.sorted()
    }

    /// SHA-256 over the sorted `id name` lines: equal for two repositories with the same refs.
    static func digest(_ refs: [Ref]) -> String {
        SHA256.hex(refs.sorted().map { "\($0.objectID) \($0.name)\n" }.joined().utf8)
    }
}
