import Foundation
import PhoenixTesting
import Testing

/// The binary end to end: a backup through the API, the offline `artifact` commands on what it
/// stored, and a backup killed with SIGKILL halfway.
@Suite struct BackupBinaryTests {
    /// A data folder, a tree to back up, and a configuration naming both.
    struct Setup {
        let directory: URL
        let file: URL
        var tree: String { directory.path + "/tree" }
        var store: String { directory.path + "/data/backups" }
        var keyring: String { directory.path + "/data/keyring" }

        init(treeBytes: Int, files: Int) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("t_\(UUID().uuidString.lowercased())")
            try FileManager.default.createDirectory(atPath: directory.path + "/tree/a", withIntermediateDirectories: true)
            file = directory.appendingPathComponent("phoenix-dr.yaml")
            try """
                server:
                  data_directory: \(directory.path)/data
                stores:
                  local: {kind: local, path: \(directory.path)/data/backups}
                datasets:
                  docs: {source: directory, path: \(directory.path)/tree, tier: Standard, schedule: "0 0 1 1 *", retention: {keep_last: 5}}
                """.write(to: file, atomically: true, encoding: .utf8)
            // Random bytes: zstd cannot shrink them, so the backup takes as long as its size says.
            let random = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
            for index in 0..<files {
                let bytes = try random.read(upToCount: treeBytes / max(files, 1)) ?? Data()
                try bytes.write(to: URL(fileURLWithPath: "\(directory.path)/tree/a/f\(index)"))
            }
        }

        func remove() {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func curl(_ arguments: [String]) async throws -> String {
        try await ProcessRunner.run("curl", ["-s", "--max-time", "10"] + arguments).stdout
    }

    static func token(_ setup: Setup) throws -> String {
        try String(contentsOfFile: setup.directory.path + "/data/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func triggerBackup(port: UInt16, token: String, dataset: String = "docs") async throws -> String {
        let body = try await curl(["-X", "POST", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                   "-d", #"{"dataset":"\#(dataset)"}"#, "http://127.0.0.1:\(port)/v1/backups"])
        return try #require(body.firstMatch(of: /"id":"([0-9a-f-]{36})"/).map { String($0.1) }, "\(body)")
    }

    static func job(_ id: String, port: UInt16, token: String) async throws -> String {
        try await curl(["-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/v1/jobs/\(id)"])
    }

    @Test func aBackupThroughTheAPIIsReadOfflineByTheArtifactCommands() async throws {
        let setup = try await offPool { try Setup(treeBytes: 3 << 20, files: 12) }
        defer { setup.remove() }
        let server = try BinaryTests.startServe(config: setup.file)
        defer { if server.isRunning { server.terminate() } }
        let port = try #require(await BinaryTests.listeningPort(of: server))
        let token = try Self.token(setup)
        let jobID = try await Self.triggerBackup(port: port, token: token)
        #expect(await eventually(timeout: .seconds(30)) {
            (try? await Self.job(jobID, port: port, token: token))?.contains(#""state":"succeeded""#) == true
        })
        server.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !server.isRunning })

        let list = try await ProcessRunner.run(BinaryTests.binary.path, ["artifact", "list", setup.store])
        #expect(list.status == 0)
        #expect(list.stdout.contains("docs"))
        let artifact = try #require(FileManager.default.enumerator(atPath: setup.store)?.compactMap { $0 as? String }.first { $0.hasSuffix(".pdr") })
        let path = setup.store + "/" + artifact
        let verify = try await ProcessRunner.run(BinaryTests.binary.path, ["artifact", "verify", path, "--keyring", setup.keyring])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("files: 12, digest as recorded"))

        let plain = setup.directory.path + "/plain.tar"
        let decrypt = try await ProcessRunner.run(BinaryTests.binary.path, ["artifact", "decrypt", path, "--keyring", setup.keyring, "-o", plain])
        #expect(decrypt.status == 0)
        let listing = try await ProcessRunner.run("tar", ["-tf", plain])
        #expect(listing.stdout.split(separator: "\n").filter { $0.hasPrefix("a/f") }.count == 12)

        // One flipped byte: verify exits 1 naming the chunk, decrypt writes nothing. Flipped, not
        // overwritten with a constant, which the byte already held once in 256 runs.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 200_000)
        let original = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 200_000)
        try handle.write(contentsOf: Data([original ^ 0xFF]))
        try handle.close()
        let tampered = try await ProcessRunner.run(BinaryTests.binary.path, ["artifact", "verify", path, "--keyring", setup.keyring])
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("failed authentication"))
        let broken = setup.directory.path + "/broken.tar"
        _ = try await ProcessRunner.run(BinaryTests.binary.path, ["artifact", "decrypt", path, "--keyring", setup.keyring, "-o", broken])
        #expect(!FileManager.default.fileExists(atPath: broken))
    }

    @Test func theBackupCommandsRunListAndVerifyThroughTheAPI() async throws {
        let setup = try await offPool { try Setup(treeBytes: 1 << 20, files: 4) }
        defer { setup.remove() }
        let server = try BinaryTests.startServe(config: setup.file)
        defer { if server.isRunning { server.kill(SIGKILL) } }
        let port = try #require(await BinaryTests.listeningPort(of: server))
        let api = ["--url", "http://127.0.0.1:\(port)", "--token", try Self.token(setup)]

        let run = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "run", "docs", "--wait", "--label", "why=test"] + api)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("succeeded"))
        let list = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "list", "--dataset", "docs"] + api)
        #expect(list.status == 0)
        let id = try #require(list.stdout.firstMatch(of: /(\d{8}T\d{6}Z-[0-9a-f]{8})/).map { String($0.1) }, "\(list.stdout)")
        let verify = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "verify", id, "--wait"] + api)
        #expect(verify.status == 0, "\(verify.stderr)")

        let unknown = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "run", "nope"] + api)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no dataset named"))
        let anonymous = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "list", "--url", "http://127.0.0.1:\(port)", "--token", "wrong"])
        #expect(anonymous.status == 1)
        #expect(anonymous.stderr.contains("401"))
        server.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !server.isRunning })
        // The scheduler (a dataset with a schedule) stops on SIGTERM without failing the exit.
        #expect(server.didExitNormally && server.terminationStatus == 0)
    }

    @Test func aBackupKilledHalfwayIsInterruptedAfterRestartAndLeavesNothingThatLooksComplete() async throws {
        let setup = try await offPool { try Setup(treeBytes: 400 << 20, files: 40) }
        defer { setup.remove() }
        let first = try BinaryTests.startServe(config: setup.file)
        defer { if first.isRunning { first.kill(SIGKILL) } }
        let port = try #require(await BinaryTests.listeningPort(of: first))
        let token = try Self.token(setup)
        let jobID = try await Self.triggerBackup(port: port, token: token)
        // Once the store's hidden temporary file holds 8 MiB, the artifact is half written. The
        // file system is polled, not the API: on an idle machine the whole backup takes about
        // three seconds, too short a window for a curl per poll under load.
        // Watched and killed from a thread of its own: the cooperative pool can be busy for
        // seconds with other suites' work in a parallel run, longer than the backup takes.
        let store = setup.store
        let started = try await offPool { () -> Bool in
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if Self.bytesInTemporaryFiles(under: store) > 8 << 20 {
                    first.kill(SIGKILL)
                    return true
                }
                usleep(1_000)
            }
            return false
        }
        let progress = started ? "" : (try? await Self.job(jobID, port: port, token: token)) ?? ""
        #expect(started, "\(progress)")
        first.kill(SIGKILL)
        #expect(await eventually(timeout: .seconds(30)) { !first.isRunning })

        let second = try BinaryTests.startServe(config: setup.file)
        defer { if second.isRunning { second.kill(SIGKILL) } }
        let secondPort = try #require(await BinaryTests.listeningPort(of: second))
        let job = try await Self.job(jobID, port: secondPort, token: token)
        #expect(job.contains(#""state":"interrupted""#), "\(job)")
        let backups = try await Self.curl(["-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(secondPort)/v1/backups"])
        #expect(backups.hasPrefix(#"{"items":[]"#), "\(backups)")
        let visible = FileManager.default.enumerator(atPath: setup.store)?.compactMap { $0 as? String }
            .filter { ($0 as NSString).lastPathComponent.first != "." && ($0.hasSuffix(".pdr") || $0.hasSuffix(".json")) } ?? []
        #expect(visible.isEmpty, "\(visible)")
        second.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !second.isRunning })
    }

    /// The bytes in hidden files (a local store's uploads in progress) under `folder`.
    static func bytesInTemporaryFiles(under folder: String) -> Int {
        guard let paths = FileManager.default.enumerator(atPath: folder)?.compactMap({ $0 as? String }) else { return 0 }
        return paths.filter { ($0 as NSString).lastPathComponent.hasPrefix(".") }.reduce(0) { total, path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + path)
            return total + (attributes?[.size] as? Int ?? 0)
        }
    }

    /// DESIGN.md §1.4, streams not buffers: a 512 MiB backup raises the server's peak resident
    /// memory (VmHWM) by less than 32 MiB.
    @Test func a512MiBBackupRaisesPeakMemoryByLessThan32MiB() async throws {
        let setup = try await offPool { try Setup(treeBytes: 512 << 20, files: 8) }
        defer { setup.remove() }
        let server = try BinaryTests.startServe(config: setup.file)
        defer { if server.isRunning { server.kill(SIGKILL) } }
        let port = try #require(await BinaryTests.listeningPort(of: server))
        let token = try Self.token(setup)
        // The start-up catalog sync has run once the job list shows it finished.
        #expect(await eventually(timeout: .seconds(30)) {
            (try? await Self.curl(["-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/v1/jobs?kind=catalog_sync"]))?
                .contains(#""state":"succeeded""#) == true
        })
        let before = try #require(Self.peakResidentKiB(of: server.processIdentifier))
        let jobID = try await Self.triggerBackup(port: port, token: token)
        #expect(await eventually(timeout: .seconds(240)) {
            (try? await Self.job(jobID, port: port, token: token))?.contains(#""state":"succeeded""#) == true
        })
        let after = try #require(Self.peakResidentKiB(of: server.processIdentifier))
        #expect(after - before < 32 * 1024, "VmHWM grew from \(before) KiB to \(after) KiB")
        let backups = try await Self.curl(["-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/v1/backups"])
        #expect(backups.contains(#""raw_bytes":5"#), "\(backups)")
        server.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !server.isRunning })
    }

    /// `VmHWM` from /proc/PID/status, in KiB.
    static func peakResidentKiB(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
    }
}
