import Foundation
import PhoenixTesting
import Testing

/// Runs the built `phoenix-dr` binary as a user would.
@Suite struct BinaryTests {
    /// The executable beside the test bundle (`swift build` puts both in one folder).
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("phoenix-dr")
    }

    @Test func versionAndHelpAreAnswered() async throws {
        let version = try await ProcessRunner.run(Self.binary.path, ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = try await ProcessRunner.run(Self.binary.path, ["serve", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--listen"))
    }

    @Test func badListenAddressIsAClearErrorWithExitCode64() async throws {
        let output = try await ProcessRunner.run(Self.binary.path, ["serve", "--listen", "nowhere"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("--listen"))
    }

    /// A temporary data directory and a configuration file that keeps everything inside it.
    static func makeConfiguration() throws -> (directory: URL, file: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phoenix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("phoenix-dr.yaml")
        try "server:\n  data_directory: \(directory.path)/data\n".write(to: file, atomically: true, encoding: .utf8)
        return (directory, file)
    }

    @Test func serveAnswersProbesAndExitsZeroOnSIGTERM() async throws {
        let (directory, file) = try Self.makeConfiguration()
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = try Self.startServe(config: file)
        defer { if process.isRunning { process.terminate() } }
        let port = try #require(await Self.listeningPort(of: process))
        let health = try await ProcessRunner.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/health"])
        #expect(health.stdout == "200")
        #expect(await eventually {
            (try? await ProcessRunner.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/readyz"]).stdout) == "200"
        })
        process.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !process.isRunning })
        #expect(process.didExitNormally)
        #expect(process.terminationStatus == 0)
    }

    /// Starts `phoenix-dr serve --config FILE` on a free loopback port (or, without `listen`, on
    /// the file's listeners), its log on a pipe.
    static func startServe(config file: URL, listen: Bool = true) throws -> SpawnedProcess {
        try SpawnedProcess(binary.path, ["serve", "--config", file.path] + (listen ? ["--listen", "127.0.0.1:0"] : []), stderr: .pipe)
    }

    /// The port a started server logged, read on a thread of its own (the read blocks). The log
    /// is drained afterwards until the process ends: a full pipe would block the server's writes.
    static func listeningPort(of process: SpawnedProcess) async -> UInt16? {
        guard let log = process.standardError else { return nil }
        return try? await offPool {
            defer { log.drainInBackground() }
            return readListeningPort(from: log)
        }
    }

    /// Reads log lines until the server reports its address: `server.addresses=["127.0.0.1:PORT"]`.
    static func readListeningPort(from log: PipeReader) -> UInt16? {
        var text = ""
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let data = log.read()
            if data.isEmpty { return nil }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                return UInt16(text[range].split(separator: ":").last ?? "")
            }
        }
        return nil
    }

    @Test func theFirstStartWritesAnAdminTokenThatOpensTheAPI() async throws {
        let (directory, file) = try Self.makeConfiguration()
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = try Self.startServe(config: file)
        defer { if process.isRunning { process.terminate() } }
        let port = try #require(await Self.listeningPort(of: process))
        let tokenFile = directory.appendingPathComponent("data/admin.token")
        let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let token = try String(contentsOf: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("pdr_") && token.count == 68)
        let url = "http://127.0.0.1:\(port)/v1/datasets"
        let anonymous = try await ProcessRunner.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", url])
        #expect(anonymous.stdout == "401")
        let authorized = try await ProcessRunner.run("curl", ["-s", "-H", "Authorization: Bearer \(token)", url])
        #expect(authorized.stdout.hasPrefix("{\"items\":["))
        process.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !process.isRunning })
    }

    @Test func configValidateExitsZeroWhenValidAndOneWithEveryError() async throws {
        let (directory, file) = try Self.makeConfiguration()
        defer { try? FileManager.default.removeItem(at: directory) }
        let valid = try await ProcessRunner.run(Self.binary.path, ["config", "validate", file.path])
        #expect(valid.status == 0, "\(valid.stdout)")
        #expect(valid.stdout.contains("valid"))
        let broken = directory.appendingPathComponent("broken.yaml")
        try "recovery_steps:\n  - name: backup_validation\n    timeout: 10x\nretension: 3\n".write(to: broken, atomically: true, encoding: .utf8)
        let invalid = try await ProcessRunner.run(Self.binary.path, ["config", "validate", broken.path])
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains(#"error: recovery_steps[0].timeout: line 3: "10x" is not a duration"#))
        #expect(invalid.stdout.contains(#"error: retension: line 4: unknown key "retension""#))
        let missing = try await ProcessRunner.run(Self.binary.path, ["config", "validate", directory.appendingPathComponent("nope.yaml").path])
        #expect(missing.status == 1)
    }

    @Test func configShowWithoutAFilePrintsTheEmbeddedDefaults() async throws {
        let output = try await ProcessRunner.run(Self.binary.path, ["config", "show"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("path: ./Deploy/sample-data"))
        #expect(output.stdout.contains("kind: sqlite"))
    }
}

