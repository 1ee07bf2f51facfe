import FoundationEssentials

/// Runs git as a `ChildProcess` with the environment a remote needs, plus settings that keep it
/// from ever waiting for a person (`GIT_TERMINAL_PROMPT=0`) and its messages stable (`LC_ALL=C`).
/// The parent's `GIT_*` variables are not inherited (ChildProcess allow-lists the environment),
/// so only these reach git.
struct GitTool: Sendable {
    var executable = "git"
    var remote: GitRemote?

    var environment: [String: String] {
        var variables = remote?.environment ?? [:]
        variables["GIT_TERMINAL_PROMPT"] = "0"
        // An HTTP transfer below 1 KiB/s for 5 minutes is abandoned, not waited on forever.
        variables["GIT_HTTP_LOW_SPEED_LIMIT"] = "1000"
        variables["GIT_HTTP_LOW_SPEED_TIME"] = "300"
        variables["LC_ALL"] = "C"
        return variables
    }

    /// Starts `git ARGUMENTS`, its stdout to be read by the caller.
    func start(_ arguments: [String], feedsStdin: Bool = false) throws -> ChildProcess {
        try ChildProcess(executable, arguments: arguments, environment: environment, redacting: remote?.secrets ?? [],
                         feedsStdin: feedsStdin)
    }

    /// Runs `git ARGUMENTS` to its end and returns its stdout (at most `limit` bytes kept).
    /// - Throws: `GitError` naming the command and git's last stderr lines.
    @discardableResult
    func run(_ arguments: [String], limit: Int = 64 << 20) async throws -> String {
        let process = try start(arguments)
        var output: [UInt8] = []
        // A cancelled job stops git, whose exit then ends the read.
        try await withTaskCancellationHandler {
            while true {
                let piece = try await process.read(maxCount: 64 * 1024)
                if piece.isEmpty { break }
                if output.count < limit { output += piece.prefix(limit - output.count) }
            }
        } onCancel: {
            process.terminate()
        }
        let status = await process.wait()
        try Task.checkCancellation()
        guard status == 0 else { throw failure(arguments, process, status: status) }
        return String(decoding: output, as: UTF8.self)
    }

    /// `git <subcommand> failed (status N): last stderr lines`, without secrets.
    func failure(_ arguments: [String], _ process: ChildProcess, status: Int32) -> GitError {
        let subcommand = arguments.first { !$0.hasPrefix("-") && !$0.contains("/") } ?? "git"
        let lines = process.errorOutput.split(separator: "\n").suffix(4).joined(separator: "; ")
        return GitError("git \(subcommand) exited with status \(status)" + (lines.isEmpty ? "" : ": \(remote?.redact(lines) ?? lines)"))
    }
}
