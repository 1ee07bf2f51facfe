import PhoenixPostgres
import Synchronization
import Testing

@Suite(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await TestDatabase.shouldRun() })
struct PostgresNotificationTests {
    /// A channel name unique to one test, with a space and a capital to exercise quoting.
    private func makeChannel() -> String { "Jobs \(TestDatabase.makeSchemaName())" }

    @Test func aNotifyIsDeliveredToTheListener() async throws {
        let listener = try await TestDatabase.connect()
        let sender = try await TestDatabase.connect()
        let channel = makeChannel()
        try await listener.listen(channel: channel)
        try await sender.notify(channel: channel, payload: "job 42 — done ✓")
        let notification = try #require(try await listener.waitForNotification(timeout: .seconds(5)))
        #expect(notification.channel == channel)
        #expect(notification.payload == "job 42 — done ✓")
        #expect(notification.backendPID == sender.backendPID)
        await sender.close()
        await listener.close()
    }

    @Test func waitingWithoutANotificationTimesOutWithNil() async throws {
        let listener = try await TestDatabase.connect()
        try await listener.listen(channel: makeChannel())
        let start = ContinuousClock.now
        #expect(try await listener.waitForNotification(timeout: .milliseconds(100)) == nil)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(100) && elapsed < .seconds(8))
        await listener.close()
    }

    @Test func notificationsQueuedDuringAStatementAreNotLost() async throws {
        let listener = try await TestDatabase.connect()
        let sender = try await TestDatabase.connect()
        let channel = makeChannel()
        try await listener.listen(channel: channel)
        try await sender.notify(channel: channel, payload: "early")
        // The listener's next statement reads the notification into libpq's queue.
        try #require(try await eventually {
            _ = try await listener.query("SELECT 1")
            return try await listener.waitForNotification(timeout: .zero) != nil
        })
        await sender.close()
        await listener.close()
    }

    @Test func theStreamDeliversInOrderAndEndsWhenItsTaskIsCancelled() async throws {
        let listener = try await TestDatabase.connect()
        let sender = try await TestDatabase.connect()
        let channel = makeChannel()
        try await listener.listen(channel: channel)
        let received = Locked<[String]>([])
        let consumer = Task {
            for await notification in listener.notifications(pollInterval: .milliseconds(50)) {
                received.withLock { $0.append(notification.payload) }
            }
            return received.value
        }
        for index in 1...3 { try await sender.notify(channel: channel, payload: "n\(index)") }
        // A statement on the listening connection still gets its turn between waits.
        #expect(try await listener.query("SELECT 5 AS n").first?.int("n") == 5)
        try await sender.notify(channel: channel, payload: "n4")
        #expect(try await eventually { received.withLock { $0.count } == 4 })
        consumer.cancel()
        #expect(await consumer.value == ["n1", "n2", "n3", "n4"])
        await sender.close()
        await listener.close()
    }

    @Test func cancellingAWaitReturnsPromptly() async throws {
        let listener = try await TestDatabase.connect()
        try await listener.listen(channel: makeChannel())
        let waiter = Task { try await listener.waitForNotification(timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        let start = ContinuousClock.now
        waiter.cancel()
        let error = await postgresError { _ = try await waiter.value }
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(error?.code == .cancelled)
        #expect(try await listener.query("SELECT 1 AS n").first?.int("n") == 1)
        await listener.close()
    }

    @Test func closingDuringAWaitEndsItWithConnectionClosed() async throws {
        let listener = try await TestDatabase.connect()
        try await listener.listen(channel: makeChannel())
        let waiter = Task { try await listener.waitForNotification(timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        let start = ContinuousClock.now
        await listener.close()
        let error = await postgresError { _ = try await waiter.value }
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(error?.code == .connectionClosed)
    }
}
