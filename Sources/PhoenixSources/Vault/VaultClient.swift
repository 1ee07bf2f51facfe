import HTTPTypes
import PhoenixHTTPClient

/// The three calls of the raft snapshot API over PhoenixHTTPClient: health, snapshot, restore.
struct VaultClient: Sendable {
    let endpoint: VaultEndpoint
    let http: HTTPClient
    /// The most of an error body kept: enough for Vault's JSON, not a whole HTML page.
    static let errorBodyLimit = 64 * 1024

    /// The node's health, whatever its status code (Vault answers 429, 472, 473, 501 and 503
    /// with the same JSON).
    func health() async throws(VaultError) -> VaultHealth {
        let request = endpoint.request(.get, "/v1/sys/health")
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, maxBodyBytes: Self.errorBodyLimit)
        } catch {
            throw transport(error, "asking for its health")
        }
        let status = response.status.code
        guard [200, 429, 472, 473, 501, 503].contains(status) else {
            throw VaultAnswer.failure(status: status, contentType: response.headerFields[.contentType], body: response.body,
                                      endpoint: endpoint, what: "its health endpoint (/v1/sys/health)")
        }
        return try VaultHealth.parse(status: status, contentType: response.headerFields[.contentType], body: response.body, endpoint: endpoint)
    }

    /// Streams `GET /v1/sys/storage/raft/snapshot` into `consume`, piece by piece; returns the
    /// byte count. A body shorter than its `Content-Length` (or a broken chunked body) throws.
    func downloadSnapshot(_ consume: ([UInt8]) async throws -> Void) async throws -> Int64 {
        let request = endpoint.request(.get, "/v1/sys/storage/raft/snapshot")
        var received: Int64 = 0
        do {
            return try await http.execute(request) { head, body in
                guard head.status.code == 200 else {
                    throw VaultAnswer.failure(status: head.status.code, contentType: head.headerFields[.contentType],
                                              body: try await Self.collect(body), endpoint: endpoint, what: "the snapshot request")
                }
                let declared = head.headerFields[.contentLength].flatMap { Int64($0) }
                for try await piece in body {
                    received += Int64(piece.count)
                    try await consume(piece)
                }
                if let declared, declared != received {
                    throw VaultError(.transport, "the snapshot from \(endpoint.shownAddress) ended after \(received) of the \(declared) bytes it announced")
                }
                return received
            }
        } catch let error as HTTPClientError {
            throw transport(error, received > 0 ? "streaming the snapshot (after \(received) bytes)" : "requesting the snapshot")
        }
    }

    /// `POST /v1/sys/storage/raft/snapshot` (or `snapshot-force`) with a streamed, chunked body.
    /// Vault answers only once it has applied the snapshot, which takes a while for a large one
    /// and sends nothing meanwhile: no stall limit, `applyTimeout` for the whole call instead.
    func uploadSnapshot(force: Bool, applyTimeout: Duration,
                        producer: @escaping @Sendable (HTTPClientBodyWriter) async throws -> Void) async throws {
        let path = force ? "/v1/sys/storage/raft/snapshot-force" : "/v1/sys/storage/raft/snapshot"
        var request = endpoint.request(.post, path, body: .stream(length: nil, producer: producer))
        request.timeouts = HTTPClientTimeouts(connect: endpoint.timeouts.connect, total: applyTimeout, stall: nil)
        do {
            try await http.execute(request) { head, body in
                let answer = try await Self.collect(body)
                guard (200..<300).contains(head.status.code) else {
                    throw VaultAnswer.failure(status: head.status.code, contentType: head.headerFields[.contentType], body: answer,
                                              endpoint: endpoint, what: "the restore (\(path))")
                }
            }
        } catch let error as HTTPClientError {
            throw transport(error, "sending the snapshot")
        }
    }

    /// Up to `errorBodyLimit` bytes of a body; the rest is abandoned.
    private static func collect(_ body: HTTPClientResponseBody) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await piece in body {
            bytes += piece
            if bytes.count >= errorBodyLimit { break }
        }
        return bytes
    }

    /// A transport failure, in the client's safe words (no URL, header or token).
    private func transport(_ error: any Error, _ doing: String) -> VaultError {
        if let error = error as? VaultError { return error }
        return VaultError(.transport, "talking to the Vault at \(endpoint.shownAddress) failed while \(doing): \(endpoint.redact("\(error)"))")
    }
}
