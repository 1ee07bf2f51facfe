import Foundation
import PhoenixTesting
import Testing

/// The binary with its backups in S3 (moto on loopback): a 300 MiB backup in parts, its verify,
/// the catalog rebuilt from the bucket after the catalog file is lost, and S3 failing in the
/// middle of a multipart upload.
///
/// This runs on the moto that checks every SigV4 signature (`$PHOENIX_TEST_S3_AUTH`), so each
/// S3 call of the binary proves its signer too. Catalog sync lists the whole bucket (prefix ""),
/// which moto's check handles; only keys and prefixes that need percent-encoding, which moto's
/// check wrongly refuses (TEST-COMPONENTS.md §4.3), run on the unchecked moto, in `S3StoreTests`.
@Suite struct S3BinaryTests {
    static let environment = ProcessInfo.processInfo.environment
    static let endpoint = environment["PHOENIX_TEST_S3_AUTH"] ?? "http://127.0.0.1:5056"

    /// The IAM user's keys on the checking moto (`test-services.sh` makes them).
    static func keys() throws -> (id: String, secret: String) {
        guard let id = environment["PHOENIX_TEST_S3_AUTH_KEY_ID"], let secret = environment["PHOENIX_TEST_S3_AUTH_SECRET"] else {
            throw TestSetupError("PHOENIX_TEST_S3_AUTH_KEY_ID/SECRET are not set: run the tests with `make test`")
        }
        return (id, secret)
    }

    /// Runs boto3 against moto, for what the test checks from outside our code.
    static func boto(_ statements: String, endpoint: String = endpoint, keys: (id: String, secret: String)? = nil) async throws -> String {
        let keys = try keys ?? Self.keys()
        let script = """
            import boto3
            s3 = boto3.client("s3", endpoint_url="\(endpoint)", region_name="us-east-1", aws_access_key_id="\(keys.id)", aws_secret_access_key="\(keys.secret)")
            \(statements)
            """
        let result = try await ProcessRunner.run("python3", ["-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    /// A configuration whose `docs` dataset goes to `bucket` through `endpoint`.
    static func writeConfiguration(_ setup: BackupBinaryTests.Setup, bucket: String, endpoint: String,
                                   keys: (id: String, secret: String)? = nil) throws {
        let keys = try keys ?? Self.keys()
        try """
            server:
              data_directory: \(setup.directory.path)/data
            backup:
              s3:
                bucket: \(bucket)
                region: us-east-1
                encryption: AES256
                endpoint: \(endpoint)
                path_style: true
                access_key_id: '\(keys.id)'
                secret_access_key: '\(keys.secret)'
            stores:
              s3: {kind: s3}
            datasets:
              docs: {source: directory, path: \(setup.tree), tier: Standard, schedule: "0 0 1 1 *", retention: {keep_last: 5}, store: s3}
            """.write(to: setup.file, atomically: true, encoding: .utf8)
    }

    static func newBucket(endpoint: String = endpoint, keys: (id: String, secret: String)? = nil) async throws -> String {
        let bucket = "phx-bin-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        _ = try await boto("s3.create_bucket(Bucket=\"\(bucket)\")", endpoint: endpoint, keys: keys)
        return bucket
    }

    @Test func aBackupGoesToS3InPartsAndTheCatalogIsRebuiltFromTheBucket() async throws {
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 300 << 20, files: 30) }
        defer { setup.remove() }
        let bucket = try await Self.newBucket()
        try Self.writeConfiguration(setup, bucket: bucket, endpoint: Self.endpoint)

        var server = try BinaryTests.startServe(config: setup.file)
        defer { if server.isRunning { server.kill(SIGKILL) } }
        var port = try #require(await BinaryTests.listeningPort(of: server))
        let api = { (port: UInt16) in ["--url", "http://127.0.0.1:\(port)", "--token", try BackupBinaryTests.token(setup)] }
        let run = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "run", "docs", "--wait"] + api(port))
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let list = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "list", "--dataset", "docs"] + api(port))
        let id = try #require(list.stdout.firstMatch(of: /(\d{8}T\d{6}Z-[0-9a-f]{8})/).map { String($0.1) }, "\(list.stdout)")
        let verify = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "verify", id, "--wait"] + api(port))
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")

        // In the bucket: the artifact (multipart: its ETag ends in -<parts>) and its manifest,
        // encrypted at rest as configured, and no upload left open.
        let objects = try await Self.boto("""
            for o in s3.list_objects_v2(Bucket="\(bucket)")["Contents"]:
                h = s3.head_object(Bucket="\(bucket)", Key=o["Key"])
                print(o["Key"], o["Size"], h["ETag"], h.get("ServerSideEncryption"))
            print("uploads", len(s3.list_multipart_uploads(Bucket="\(bucket)").get("Uploads", [])))
            """)
        let lines = objects.split(separator: "\n").map(String.init)
        let artifact = try #require(lines.first { $0.hasPrefix("docs/") && $0.contains("\(id).pdr ") }, "\(objects)")
        #expect(artifact.firstMatch(of: /"[0-9a-f]+-[2-9]\d*"/) != nil, "a multipart ETag: \(artifact)")
        #expect(artifact.hasSuffix("AES256"))
        #expect(lines.contains { $0.contains("\(id).manifest.json ") && $0.hasSuffix("AES256") }, "\(objects)")
        #expect(lines.last == "uploads 0")

        // The catalog file is lost; the next start rebuilds it from the manifests in the bucket.
        server.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !server.isRunning })
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: setup.directory.path + "/data/catalog.sqlite" + suffix)
        }
        #expect(!FileManager.default.fileExists(atPath: setup.directory.path + "/data/catalog.sqlite"))
        server = try BinaryTests.startServe(config: setup.file)
        port = try #require(await BinaryTests.listeningPort(of: server))
        let token = try BackupBinaryTests.token(setup)
        #expect(await eventually(timeout: .seconds(30)) {
            let body = (try? await BackupBinaryTests.curl(["-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/v1/backups"])) ?? ""
            return body.contains(id)
        })
        server.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !server.isRunning })
    }

    @Test func s3FailingInTheMiddleOfAMultipartUploadFailsTheJobAndLeavesNothing() async throws {
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 40 << 20, files: 8) }
        defer { setup.remove() }
        let bucket = try await Self.newBucket()
        let proxy = try FaultProxy(upstreamPort: Int(Self.endpoint.split(separator: ":").last ?? "") ?? 5056)
        defer { proxy.stop() }
        // From the third part on, every part upload has its connection reset: S3 is gone for
        // parts, and back for the abort.
        proxy.inject(.resetBeforeResponse, times: 10_000) { request in
            request.method == "PUT" && request.target.firstMatch(of: /partNumber=([3-9]|\d\d+)&/) != nil
        }
        try Self.writeConfiguration(setup, bucket: bucket, endpoint: "http://127.0.0.1:\(proxy.port)")
        let server = try BinaryTests.startServe(config: setup.file)
        defer { if server.isRunning { server.kill(SIGKILL) } }
        let port = try #require(await BinaryTests.listeningPort(of: server))
        let token = try BackupBinaryTests.token(setup)
        let jobID = try await BackupBinaryTests.triggerBackup(port: port, token: token)
        var job = ""
        #expect(await eventually(timeout: .seconds(60)) {
            job = (try? await BackupBinaryTests.job(jobID, port: port, token: token)) ?? ""
            return job.contains(#""state":"failed""#)
        }, "\(job)")
        #expect(job.contains("UploadPart"), "the job says which S3 call failed: \(job)")
        let left = try await Self.boto("""
            print(len(s3.list_objects_v2(Bucket="\(bucket)").get("Contents", [])), len(s3.list_multipart_uploads(Bucket="\(bucket)").get("Uploads", [])))
            """)
        #expect(left.trimmingCharacters(in: .whitespacesAndNewlines) == "0 0", "no object, no manifest, no open upload: \(left)")
        let backups = try await BackupBinaryTests.curl(["-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/v1/backups"])
        #expect(backups.hasPrefix(#"{"items":[]"#), "\(backups)")
        server.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !server.isRunning })
    }

    @Test func theServersS3CallsGoThroughTheProxyInItsEnvironmentUnlessNoProxyNamesTheHost() async throws {
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 1 << 20, files: 2) }
        defer { setup.remove() }
        let bucket = try await Self.newBucket()
        let proxy = try FaultProxy(upstreamPort: Int(Self.endpoint.split(separator: ":").last ?? "") ?? 5056)
        defer { proxy.stop() }
        try Self.writeConfiguration(setup, bucket: bucket, endpoint: Self.endpoint)
        for noProxy in ["", "127.0.0.1"] {
            let seenBefore = proxy.requests.count
            let server = try await LoggedServer.start(config: setup.file, environment: [
                "http_proxy": "http://127.0.0.1:\(proxy.port)", "no_proxy": noProxy, "NO_PROXY": "",
            ])
            defer { if server.process.isRunning { server.process.kill(SIGKILL) } }
            let token = try BackupBinaryTests.token(setup)
            let jobID = try await BackupBinaryTests.triggerBackup(port: server.port, token: token)
            var job = ""
            #expect(await eventually(timeout: .seconds(60), poll: .milliseconds(100)) {
                job = (try? await BackupBinaryTests.job(jobID, port: server.port, token: token)) ?? ""
                return job.contains(#""state":"succeeded""#) || job.contains(#""state":"failed""#)
            })
            #expect(job.contains(#""state":"succeeded""#), "\(job)")
            await server.stop()
            let seen = proxy.requests.dropFirst(seenBefore).map(\.target)
            if noProxy.isEmpty {
                // Through a proxy each request names the whole URL; the manifest, written last, among them.
                #expect(seen.contains { $0.hasPrefix("\(Self.endpoint)/\(bucket)/docs/") && $0.hasSuffix(".manifest.json") }, "\(seen)")
                #expect(seen.allSatisfy { $0.hasPrefix(Self.endpoint + "/") }, "\(seen)")
            } else {
                #expect(seen.isEmpty, "no_proxy=127.0.0.1 still went through the proxy: \(seen)")
            }
        }
    }
}
