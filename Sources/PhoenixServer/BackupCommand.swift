import ArgumentParser
import Foundation
import HTTPTypes

/// `phoenix-dr backup run | list | verify`: clients of a running server's `/v1/backups`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Trigger, list and verify backups on a running server.",
        subcommands: [Run.self, List.self, Verify.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a backup of a dataset now.",
            discussion: "With --wait, follows the job and exits 0 only when it succeeded.")

        @Argument(help: "The dataset's name.")
        var dataset: String

        @Option(name: .customLong("label"), help: "A label NAME=VALUE for the backup (repeatable).")
        var labels: [String] = []

        @Option(name: .customLong("idempotency-key"), help: "Makes a retried command queue one backup, not two.")
        var idempotencyKey: String?

        @Flag(help: "Wait for the job to end, showing its progress.")
        var wait = false

        @OptionGroup var api: APIClientOptions

        func run() async throws {
            var parsed: [String: String] = [:]
            for label in labels {
                guard let equals = label.firstIndex(of: "=") else { throw ValidationError("--label \(label): use NAME=VALUE") }
                parsed[String(label[..<equals])] = String(label[label.index(after: equals)...])
            }
            try await api.withClient { client in
                let job = try await client.call(.post, "/v1/backups", json: ["dataset": dataset, "labels": parsed],
                                                headers: idempotencyKey.map { ["Idempotency-Key": $0] } ?? [:])
                let id = job["id"] as? String ?? ""
                print("job \(id) queued")
                if wait { try await JobWatch.follow(id, client: client) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List backups, newest first.")

        @Option(help: "Only this dataset's backups.")
        var dataset: String?

        @Option(help: "How many (1–200).")
        var limit = 50

        @Flag(help: "The server's JSON instead of a table.")
        var json = false

        @OptionGroup var api: APIClientOptions

        func run() async throws {
            var path = "/v1/backups?limit=\(limit)"
            if let dataset { path += "&dataset=\(dataset.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? dataset)" }
            let page = try await api.withClient { try await $0.call(.get, path) }
            let items = page["items"] as? [[String: Any]] ?? []
            if json {
                print(String(decoding: try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys]), as: UTF8.self))
                return
            }
            print("ID                         DATASET          SNAPSHOT (UTC)          STORED BYTES  RECORDS  VERIFIED")
            for item in items {
                let columns = [(item["id"], 27), (item["dataset"], 17), (item["snapshot_at"], 24), (item["stored_bytes"], 14), (item["record_count"], 9)]
                print(columns.map { value, width in
                    let text = value.map { "\($0)" } ?? "-"
                    return text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
                }.joined() + ((item["verified_at"] as? String) ?? (item["verify_error"] != nil ? "FAILED" : "-")))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a verification of a backup.")

        @Argument(help: "The backup's id.")
        var id: String

        @Flag(help: "Wait for the job to end; exit 0 only when the backup verified.")
        var wait = false

        @OptionGroup var api: APIClientOptions

        func run() async throws {
            try await api.withClient { client in
                let job = try await client.call(.post, "/v1/backups/\(id)/verify")
                let jobID = job["id"] as? String ?? ""
                print("job \(jobID) queued")
                if wait { try await JobWatch.follow(jobID, client: client) }
            }
        }
    }
}

/// Polls a job until it ends, printing its state and progress as they change.
enum JobWatch {
    static func follow(_ id: String, client: APIClient) async throws {
        var last = ""
        while true {
            let job = try await client.call(.get, "/v1/jobs/\(id)")
            let state = job["state"] as? String ?? "?"
            let line = "\(state) \(job["bytes_done"].map { "\($0)" } ?? "0") bytes"
            if line != last { print(line); last = line }
            guard state == "queued" || state == "running" else {
                if state == "succeeded" { return }
                throw CLIError("job \(id) ended \(state): \(job["error"] as? String ?? "")")
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}

/// A failure reported by the server or a job: printed as `Error: …`, exit status 1 (not 64,
/// which ArgumentParser keeps for usage errors).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
