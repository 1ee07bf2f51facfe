import Foundation
import PhoenixDomain
import PhoenixPersistence
import PhoenixTesting
import Testing

/// `/v1/backups`, `/v1/retention/preview` and `/v1/catalog/sync` over a real SQLite catalog.
@Suite struct BackupRoutesTests {
    static func record(_ seconds: TimeInterval, pinned: Bool = false, verified: Bool = false) -> BackupRecord {
        let snapshot = V1RoutesTests.now.addingTimeInterval(-seconds)
        return BackupRecord(
            id: BackupID.make(at: snapshot), dataset: "redis_data", tier: .critical, sourceKind: "redis", store: "local",
            objectKey: "redis/x.pdr", manifestKey: "redis/x.manifest.json", snapshotAt: snapshot, startedAt: snapshot,
            finishedAt: snapshot, rawBytes: 10, storedBytes: 12, sha256: String(repeating: "0", count: 64), compression: "none",
            keyID: "k1", labels: ["camelCase": "kept as written"], verifiedAt: verified ? snapshot : nil, isPinned: pinned)
    }

    @Test func aBackupIsQueuedAs202WithLocationAndARetryWithTheSameKeyGetsTheSameJob() async throws {
        let fixture = try await V1RoutesTests.fixture()
        let body = #"{"dataset": "redis_data", "labels": {"reason": "pre-migration"}}"#
        let first = try await fixture.send("POST", "/v1/backups", token: "t-operator", json: body, headers: ["Idempotency-Key": "deploy-42"])
        #expect(first.status == 202)
        let location = try #require(first.header("location"))
        #expect(location.hasPrefix("/v1/jobs/"))
        #expect(first.text.contains(#""kind":"backup""#))
        #expect(first.text.contains(#""label.reason":"pre-migration""#))
        #expect(first.text.contains(#""trigger":"api:ops""#))

        let retry = try await fixture.send("POST", "/v1/backups", token: "t-operator", json: body, headers: ["Idempotency-Key": "deploy-42"])
        #expect(retry.status == 202)
        #expect(retry.header("location") == location)
        #expect(retry.header("idempotent-replayed") == "true")
        let other = try await fixture.send("POST", "/v1/backups", token: "t-operator", json: #"{"dataset": "redis_data"}"#,
                                           headers: ["Idempotency-Key": "deploy-42"])
        #expect(other.status == 422)
        // The same key from another token is another request.
        let admin = try await fixture.send("POST", "/v1/backups", token: "t-admin", json: body, headers: ["Idempotency-Key": "deploy-42"])
        #expect(admin.status == 202)
        #expect(admin.header("location") != location)
        #expect(try await fixture.catalog.list(JobQuery(kind: .backup)).count == 2)
        await fixture.live.stop()
    }

    @Test func badTriggersAreClearErrorsAndQueueNothing() async throws {
        let fixture = try await V1RoutesTests.fixture()
        let cases: [(String, [String: String], Int)] = [
            (#"{"dataset": "nope"}"#, [:], 422),
            (#"{"datasets": "redis_data"}"#, [:], 422),
            (#"{"dataset": "redis_data""#, [:], 400),
            (#"{"dataset": "redis_data", "labels": {"bad key": "x"}}"#, [:], 422),
            (#"{"dataset": "redis_data"}"#, ["Idempotency-Key": String(repeating: "k", count: 256)], 400),
        ]
        for (body, headers, status) in cases {
            let response = try await fixture.send("POST", "/v1/backups", token: "t-operator", json: body, headers: headers)
            #expect(response.status == status, "\(body)")
            #expect(response.header("content-type") == "application/problem+json")
        }
        #expect(try await fixture.catalog.list(JobQuery()).isEmpty)
        await fixture.live.stop()
    }

    @Test func backupsAreListedShownPinnedAndVerified() async throws {
        let fixture = try await V1RoutesTests.fixture()
        let old = Self.record(7200)
        let new = Self.record(60)
        try await fixture.catalog.recordBackup(old)
        try await fixture.catalog.recordBackup(new)

        let list = try await fixture.get("/v1/backups?dataset=redis_data&limit=1", token: "t-viewer")
        #expect(list.status == 200)
        #expect(list.text.contains(#""id":"\#(new.id)""#))
        #expect(list.text.contains(#""next_cursor":"\#(new.id)""#))
        let next = try await fixture.get("/v1/backups?dataset=redis_data&cursor=\(new.id)", token: "t-viewer")
        #expect(next.text.contains(#""id":"\#(old.id)""#))
        #expect(try await fixture.get("/v1/backups?cursor=nope", token: "t-viewer").status == 400)

        let shown = try await fixture.get("/v1/backups/\(old.id)", token: "t-viewer")
        #expect(shown.text.contains(#"{"name":"camelCase","value":"kept as written"}"#))
        #expect(try await fixture.get("/v1/backups/nope", token: "t-viewer").status == 404)

        let pinned = try await fixture.send("POST", "/v1/backups/\(old.id)/pin", token: "t-operator")
        #expect(pinned.status == 200)
        #expect(pinned.text.contains(#""pinned":true"#))
        #expect(try await fixture.send("DELETE", "/v1/backups/\(old.id)/pin", token: "t-operator").text.contains(#""pinned":false"#))
        #expect(try await fixture.send("POST", "/v1/backups/nope/pin", token: "t-operator").status == 404)

        let verify = try await fixture.send("POST", "/v1/backups/\(old.id)/verify", token: "t-operator")
        #expect(verify.status == 202)
        #expect(verify.text.contains(#""backup_id":"\#(old.id)""#))
        #expect(verify.text.contains(#""kind":"verify""#))
        #expect(try await fixture.send("POST", "/v1/backups/nope/verify", token: "t-operator").status == 404)
        await fixture.live.stop()
    }

    @Test func retentionPreviewGivesADecisionAndReasonsForEveryBackupAndDeletesNothing() async throws {
        let fixture = try await V1RoutesTests.fixture()
        // keep_last 96 and keep_daily 30 within 30 days: anything older than 30 days goes unless pinned.
        let recent = Self.record(3600, verified: true)
        let expired = Self.record(40 * 86_400)
        let pinned = Self.record(50 * 86_400, pinned: true)
        for record in [recent, expired, pinned] { try await fixture.catalog.recordBackup(record) }

        let preview = try await fixture.get("/v1/retention/preview?dataset=redis_data", token: "t-viewer")
        #expect(preview.status == 200)
        #expect(preview.text.contains(#""keep":2"#))
        #expect(preview.text.contains(#""delete":1"#))
        #expect(preview.text.contains(#""backup_id":"\#(expired.id)","keep":false,"pinned":false,"reasons":["older than 30 days"]"#))
        #expect(preview.text.contains(#""backup_id":"\#(pinned.id)","keep":true,"pinned":true,"reasons":["pinned"]"#))
        #expect(try await fixture.catalog.backups(BackupQuery()).count == 3)
        #expect(try await fixture.get("/v1/retention/preview", token: "t-viewer").status == 400)
        #expect(try await fixture.get("/v1/retention/preview?dataset=nope", token: "t-viewer").status == 404)
        await fixture.live.stop()
    }

    @Test func deletingABackupNeedsAdminAndRemovesManifestArtifactAndRow() async throws {
        let fixture = try await V1RoutesTests.fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.storeRoot) }
        var backup = Self.record(60, pinned: true)
        backup.objectKey = "redis/2026/05/28/a.pdr"
        backup.manifestKey = "redis/2026/05/28/a.manifest.json"
        try FileManager.default.createDirectory(atPath: fixture.storeRoot + "/redis/2026/05/28", withIntermediateDirectories: true)
        for key in [backup.objectKey, backup.manifestKey] {
            try Data([1]).write(to: URL(fileURLWithPath: fixture.storeRoot + "/" + key))
        }
        try await fixture.catalog.recordBackup(backup)

        #expect(try await fixture.send("DELETE", "/v1/backups/\(backup.id)", token: "t-operator").status == 403)
        #expect(try await fixture.send("DELETE", "/v1/backups/\(backup.id)", token: "t-admin").status == 204)
        #expect(try await fixture.catalog.backup(backup.id) == nil)
        #expect(!FileManager.default.fileExists(atPath: fixture.storeRoot + "/" + backup.objectKey))
        #expect(!FileManager.default.fileExists(atPath: fixture.storeRoot + "/" + backup.manifestKey))
        #expect(try await fixture.send("DELETE", "/v1/backups/\(backup.id)", token: "t-admin").status == 404)
        await fixture.live.stop()
    }

    @Test func catalogSyncIsQueuedAsAJob() async throws {
        let fixture = try await V1RoutesTests.fixture()
        let sync = try await fixture.send("POST", "/v1/catalog/sync", token: "t-operator")
        #expect(sync.status == 202)
        #expect(sync.text.contains(#""kind":"catalog_sync""#))
        await fixture.live.stop()
    }
}
