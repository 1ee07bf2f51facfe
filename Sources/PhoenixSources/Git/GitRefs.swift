/// The refs of a local repository or a remote, as sorted `GitBundleHeader.Ref`s.
enum GitRefs {
    /// Every ref of the repository at `path` (`for-each-ref`: branches, tags, notes, others).
    static func list(in path: String, git: GitTool) async throws -> [GitBundleHeader.Ref] {
        parse(try await git.run(["-C", path, "for-each-ref", "--format=%(objectname) %(refname)"]))
    }

    /// Every ref a remote advertises (`ls-remote`), less `HEAD` and peeled tags (`^{}`).
    static func remote(_ url: String, git: GitTool) async throws -> [GitBundleHeader.Ref] {
        let listed = parse(try await git.run(["ls-remote", url]), separator: "\t")
        return listed.filter { $0.name != "HEAD" && !$0.name.hasSuffix("^{}") }
    }

    private static func parse(_ text: String, separator: Character = " ") -> [GitBundleHeader.Ref] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: separator, maxSplits: 1)
            return parts.count == 2 ? GitBundleHeader.Ref(objectID: String(parts[0]), name: String(parts[1])) : nil
        }.sorted()
    }
}
