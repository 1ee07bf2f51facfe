import Foundation

/// Runs the system's GNU tar, the interoperability peer, without blocking the test's thread.
enum GNUTar {
    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs `tar` with `arguments`; output goes through files so a full pipe cannot stall it.
    static func run(_ arguments: [String], in folder: String) async throws -> Result {
        let outputPath = folder + "/tar.out"
        let errorPath = folder + "/tar.err"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
              FileManager.default.createFile(atPath: errorPath, contents: nil)
        else { throw CocoaError(.fileWriteUnknown) }
        let output = try FileHandle(forWritingTo: URL(filePath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(filePath: errorPath))
        defer {
            try? output.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/tar")
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Result(
            status: status,
            output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }
}
