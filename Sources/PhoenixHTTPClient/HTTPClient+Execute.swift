import HTTPTypes

extension HTTPClient {
    /// Sends `request` and reads the whole response body into memory.
    ///
    /// ```swift
    /// let response = try await client.execute(HTTPClientRequest(url: "https://vault:8200/v1/sys/health"))
    /// guard response.status == .ok else { ... }
    /// ```
    /// - Parameter maxBodyBytes: The largest body accepted; nil uses the configuration's.
    /// - Throws: `HTTPClientError` (`.bodyTooLarge` past the maximum, checked against
    ///   `Content-Length` before reading), or `CancellationError` when the task is cancelled.
    public func execute(_ request: HTTPClientRequest, maxBodyBytes: Int? = nil) async throws -> HTTPClientResponse {
        let limit = maxBodyBytes ?? configuration.maxBodyBytes
        let tooLarge = HTTPClientError(.bodyTooLarge, "the response body is larger than \(limit) bytes")
        return try await execute(request) { head, body in
            if request.method != .head,
               let declared = head.headerFields[.contentLength].flatMap({ Int($0) }), declared > limit {
                throw tooLarge
            }
            var bytes: [UInt8] = []
            for try await piece in body {
                guard bytes.count + piece.count <= limit else { throw tooLarge }
                bytes.append(contentsOf: piece)
            }
            guard let metrics = body.metrics else {
                throw HTTPClientError(.transport, "the transfer ended without its measurements")
            }
            return HTTPClientResponse(head: head, body: bytes, metrics: metrics)
        }
    }

    /// Sends `request` and hands the response head and a streamed body to `handler`.
    ///
    /// The body is valid only inside `handler`. If `handler` returns before the body's end, the
    /// rest is abandoned: the transfer is removed and its connection closed. A streamed request
    /// body is produced by a child task of this call, ended when the call returns.
    ///
    /// ```swift
    /// try await client.execute(HTTPClientRequest(url: url)) { head, body in
    ///     for try await piece in body { try file.write(piece) }
    /// }
    /// ```
    /// - Throws: `HTTPClientError`, `CancellationError`, or whatever `handler` throws.
    public func execute<Value>(
        _ request: HTTPClientRequest,
        handler: (HTTPResponse, HTTPClientResponseBody) async throws -> Value
    ) async throws -> Value {
        // A task cancelled before the call starts no transfer (nor a connection) at all.
        try Task.checkCancellation()
        let transfer = Transfer(request: request, configuration: configuration, loop: loop)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            if case .stream(_, let producer) = request.body {
                group.addTask { await Self.produce(producer, into: transfer) }
            }
            if !loop.submit(.add(transfer)) {
                transfer.fail(HTTPClientError(.cancelled, "the HTTP client is shut down"))
            }
            do {
                let head = try await transfer.head()
                let value = try await handler(head, HTTPClientResponseBody(transfer: transfer))
                // Nothing happens if the body was read to its end.
                transfer.fail(HTTPClientError(.cancelled, "the response body was not read to its end"))
                group.cancelAll()
                return value
            } catch {
                transfer.fail(error)
                group.cancelAll()
                throw error
            }
        }
    }

    /// Runs a body producer; its failure ends the transfer unless the transfer ended first.
    private static func produce(
        _ producer: @Sendable (HTTPClientBodyWriter) async throws -> Void, into transfer: Transfer
    ) async {
        do {
            try await producer(HTTPClientBodyWriter(transfer: transfer))
            transfer.finishUpload()
        } catch is CancellationError {
            transfer.fail(CancellationError())
        } catch let error as HTTPClientError {
            transfer.fail(error)
        } catch {
            // The producer's own error text may hold anything; only its type is kept.
            transfer.fail(HTTPClientError(.requestBodyFailed, "the request body producer failed", detail: "\(type(of: error))"))
        }
    }
}
