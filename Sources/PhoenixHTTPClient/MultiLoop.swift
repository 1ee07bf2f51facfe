import Glibc
import Logging
import Synchronization

/// The thread-safe face of the loop thread that drives one CURLM: a command inbox, the
/// counters, start and shutdown.
///
/// Everything that touches curl handles happens on that one thread (`MultiRunner`); other
/// threads append a command under the inbox lock and wake `curl_multi_poll` with
/// `curl_multi_wakeup`, so new requests, un-pauses and cancellations are seen at once.
final class MultiLoop: Sendable {
    enum Command: Sendable {
        case add(Transfer)
        case remove(Transfer)
        case resume(Transfer)
        case shutdown
    }

    private struct Inbox {
        var commands: [Command] = []
        /// Set while the loop runs; nil once the runner closed the inbox and freed the handle.
        var multi: CurlMulti?
        var isShutdownRequested = false
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let inbox: Mutex<Inbox>
    /// Easy handles attached to the multi handle right now.
    let activeTransfers = Atomic<Int>(0)
    /// New connections over the client's life (sum of CURLINFO_NUM_CONNECTS).
    let connectionsOpened = Atomic<Int>(0)

    /// Creates the multi handle and starts the loop thread.
    init(configuration: HTTPClientConfiguration, logger: Logger) throws(HTTPClientError) {
        let multi = try CurlMulti(configuration: configuration)
        inbox = Mutex(Inbox(multi: multi))
        let runner = MultiRunner(multi: multi, loop: self, configuration: configuration, logger: logger)
        // The thread owns the runner: a retained pointer balanced by takeRetainedValue.
        let box = Unmanaged.passRetained(runner).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            Unmanaged<MultiRunner>.fromOpaque(argument).takeRetainedValue().run()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<MultiRunner>.fromOpaque(box).release()
            inbox.withLock { $0.multi = nil }
            throw HTTPClientError(.transport, "the HTTP client could not start its thread", detail: "pthread_create: \(result)")
        }
        // Nobody joins: shutdown() waits for the runner's signal instead of blocking a thread.
        pthread_detach(thread)
    }

    /// Queues `command` and wakes the loop; false once shutdown was requested.
    @discardableResult
    func submit(_ command: Command) -> Bool {
        inbox.withLock { inbox in
            guard let multi = inbox.multi, !inbox.isShutdownRequested else { return false }
            inbox.commands.append(command)
            multi.wakeup()
            return true
        }
    }

    /// Asks the loop to stop and waits until it freed every handle.
    func shutdown() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let isFinished = inbox.withLock { inbox -> Bool in
                guard let multi = inbox.multi else { return true }
                inbox.shutdownWaiters.append(waiter)
                requestShutdown(&inbox, multi)
                return false
            }
            if isFinished { waiter.resume() }
        }
    }

    /// Asks the loop to stop without waiting (a client released without `shutdown()`).
    func requestShutdownWithoutWaiting() {
        inbox.withLock { inbox in
            if let multi = inbox.multi { requestShutdown(&inbox, multi) }
        }
    }

    private func requestShutdown(_ inbox: inout Inbox, _ multi: CurlMulti) {
        guard !inbox.isShutdownRequested else { return }
        inbox.isShutdownRequested = true
        inbox.commands.append(.shutdown)
        multi.wakeup()
    }

    // MARK: - Loop thread

    /// The commands queued since the last call.
    func takeCommands() -> [Command] {
        inbox.withLock { inbox in
            defer { inbox.commands.removeAll(keepingCapacity: true) }
            return inbox.commands
        }
    }

    /// Closes the inbox (no more wakeups can reach the multi handle) and returns what was left.
    func close() -> (commands: [Command], waiters: [CheckedContinuation<Void, Never>]) {
        inbox.withLock { inbox in
            inbox.multi = nil
            inbox.isShutdownRequested = true
            defer { (inbox.commands, inbox.shutdownWaiters) = ([], []) }
            return (inbox.commands, inbox.shutdownWaiters)
        }
    }
}
