import Glibc

/// Decides which paths `ArchiveOptions.excludes` leaves out, using `fnmatch(3)`.
struct ExcludeMatcher: Sendable {
    private let byName: [String]
    private let byPath: [String]

    init(_ patterns: [String]) {
        // A leading slash anchors at the root; paths here are relative, so it is dropped.
        byName = patterns.filter { !$0.contains("/") }
        byPath = patterns.filter { $0.contains("/") }.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
    }

    /// Whether `path` (relative, `/`-separated) is excluded.
    func excludes(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        // FNM_PERIOD is left off: `*` matches dot files too, like tar's --exclude.
        if byName.contains(where: { fnmatch($0, name, 0) == 0 }) { return true }
        return byPath.contains { fnmatch($0, path, FNM_PATHNAME) == 0 }
    }
}
