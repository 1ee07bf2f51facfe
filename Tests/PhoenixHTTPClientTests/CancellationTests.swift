import HTTPTypes
import PhoenixHTTPClient
import PhoenixTesting
import Synchronization
import Testing

/// Cancellation reaches curl: the easy handle leaves the multi handle and the waiter gets
/// `CancellationError` once; shutdown ends what is in flight.
@Suite struct CancellationTests {
    @Test func cancellingAWaitingConsumerRemovesTheTransfer() async throws {
        let peer = try RawPeer(.stallAfter(head: "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", body: 100))
        defer { peer.stop() }
        try await ClientHarness.withClient { client in
            let firstPiece = Atomic<Bool>(false)
            let task = Task {
                try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/", timeouts: HTTPClientTimeouts(stall: nil))) { _, body in
                    for try await _ in body { firstPiece.store(true, ordering: .relaxed) }
                }
            }
            #expect(await eventually { firstPiece.load(ordering: .relaxed) })
            #expect(client.statistics.activeTransfers == 1)
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(await eventually { client.statistics.activeTransfers == 0 })
        }
    }

    @Test func cancellingMidDownloadStopsTheTransferAndFreesIt() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let received = Atomic<Int>(0)
            let task = Task {
                try await client.execute(HTTPClientRequest(url: server.baseURL + "/bytes?n=\(256 * ClientHarness.mebibyte)")) { _, body in
                    for try await piece in body {
                        received.add(piece.count, ordering: .relaxed)
                        await Task.yield()
                    }
                }
            }
            #expect(await eventually { received.load(ordering: .relaxed) > 4 * ClientHarness.mebibyte })
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(received.load(ordering: .relaxed) < 256 * ClientHarness.mebibyte)
            #expect(await eventually { client.statistics.activeTransfers == 0 })
            // The client is still usable afterwards.
            let after = try await client.execute(HTTPClientRequest(url: server.baseURL + "/health"))
            #expect(after.text == "ok")
        }
    }

    @Test func cancellingBeforeTheHeadReachesTheServer() async throws {
        let monitor = TestRoutes.SlowMonitor()
        try await ClientHarness.withServerAndClient(monitor: monitor) { server, client in
            let task = Task { try await client.execute(HTTPClientRequest(url: server.baseURL + "/slow?ms=30000")) }
            #expect(await eventually { monitor.started.load(ordering: .relaxed) == 1 })
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(await eventually { client.statistics.activeTransfers == 0 })
            // The half-used connection was closed, not pooled: the next request opens a new one
            // (reusing it would hand this request the slow one's late answer).
            let next = try await client.execute(HTTPClientRequest(url: server.baseURL + "/health"))
            #expect(next.text == "ok")
            #expect(next.metrics.connectionsOpened == 1)
            #expect(client.statistics.connectionsOpened == 2)
        }
    }

    @Test func anAlreadyCancelledTaskNeverStartsATransfer() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.execute(HTTPClientRequest(url: server.baseURL + "/health"))
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(client.statistics == HTTPClientStatistics(activeTransfers: 0, connectionsOpened: 0))
        }
    }

    @Test func shutdownEndsRequestsInFlightAndRefusesNewOnes() async throws {
        let monitor = TestRoutes.SlowMonitor()
        try await ClientHarness.withServer(monitor: monitor) { server in
            let client = try ClientHarness.makeClient()
            let tasks = (0..<5).map { _ in
                Task { try await client.execute(HTTPClientRequest(url: server.baseURL + "/slow?ms=30000")) }
            }
            #expect(await eventually { monitor.started.load(ordering: .relaxed) == 5 })
            #expect(client.statistics.activeTransfers == 5)
            await client.shutdown()
            for task in tasks {
                let error = await #expect(throws: HTTPClientError.self) { try await task.value }
                #expect(error?.code == .cancelled)
            }
            #expect(client.statistics.activeTransfers == 0)
            let late = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: server.baseURL + "/health"))
            }
            #expect(late?.code == .cancelled)
            await client.shutdown()
        }
    }
}
