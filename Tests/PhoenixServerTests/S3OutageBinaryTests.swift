import Foundation
import PhoenixTesting
import Testing

/// S3 really going away under the binary: a moto of the test's own (started with the same
/// `Deploy/dev` script as the shared ones, signatures checked) is killed while the backup's
/// multipart upload is under way. `S3BinaryTests` breaks the parts with the fault proxy instead,
/// which proves that the abort reaches S3; here nothing answers any more, so the abort can only
/// be tried, and its failure logged.
@Suite struct S3OutageBinaryTests {
    @Test func motoKilledInTheMiddleOfAMultipartUploadFailsTheJobWithNoManifestAndTheFailedAbortLogged() async throws {
        let moto = try await ScratchService.start(.moto(checksSignatures: true))
        defer { Task { await moto.stop() } }
        let keys = try #require(moto.keys)
        // 128 MiB of random bytes: sixteen 8 MiB parts, so most are still to come when moto dies.
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 128 << 20, files: 16) }
        defer { setup.remove() }
        let bucket = try await S3BinaryTests.newBucket(endpoint: moto.endpoint, keys: keys)
        try S3BinaryTests.writeConfiguration(setup, bucket: bucket, endpoint: moto.endpoint, keys: keys)
        let server = try await LoggedServer.start(config: setup.file)
        defer { if server.process.isRunning { server.process.kill(SIGKILL) } }
        let token = try BackupBinaryTests.token(setup)
        let jobID = try await BackupBinaryTests.triggerBackup(port: server.port, token: token)

        // moto logs each request once answered: the first part is stored, so the upload exists.
        let motoLog = moto.directory + "/moto.log"
        func requests() -> String { (try? String(contentsOfFile: motoLog, encoding: .utf8)) ?? "" }
        #expect(await eventually(timeout: .seconds(60), poll: .milliseconds(5)) {
            requests().firstMatch(of: /"PUT [^"]*partNumber=1&[^"]*" 200/) != nil
        }, "no part reached moto: \(requests())")
        moto.kill()

        var job = ""
        #expect(await eventually(timeout: .seconds(120), poll: .milliseconds(200)) {
            job = (try? await BackupBinaryTests.job(jobID, port: server.port, token: token)) ?? ""
            return job.contains(#""state":"failed""#)
        }, "\(job)")
        #expect(job.contains("S3 UploadPart"), "the job names the S3 call that failed: \(job)")
        #expect(!job.contains(keys.secret))

        // What moto received before it died: parts, but never a completion or a manifest.
        let received = requests()
        #expect(received.contains("partNumber=1&"))
        #expect(received.firstMatch(of: /"POST [^"]*\?uploadId=/) == nil, "no CompleteMultipartUpload: \(received)")
        #expect(!received.contains(".manifest.json"), "no manifest: \(received)")
        let backups = try await BackupBinaryTests.curl(["-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(server.port)/v1/backups"])
        #expect(backups.hasPrefix(#"{"items":[]"#), "no backup in the catalog: \(backups)")

        // The abort was tried (S3 was gone, so it failed), and the operator is told.
        #expect(await eventually(timeout: .seconds(10)) { server.log.contains("multipart upload not aborted") }, "\(server.log)")
        let line = server.log.split(separator: "\n").first { $0.contains("multipart upload not aborted") } ?? ""
        #expect(line.contains("AbortMultipartUpload"), "\(line)")
        #expect(!server.log.contains(keys.secret))
        await server.stop()
        await moto.stop()  // the deferred stop is only a fallback: a task may not run before the test process ends
    }
}
