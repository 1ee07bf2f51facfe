import PhoenixDomain
import Testing

/// Waits that only a signal (or cancellation) can end: an hour's timeout, and a time limit on
/// the test that fails it if the wake-up is lost.
@Suite(.timeLimit(.minutes(1))) struct JobWakeupTests {
    @Test func aSignalBeforeTheWaitIsNotLost() async {
        let wakeup = JobWakeup()
        wakeup.signal()
        await wakeup.wait(upTo: .seconds(3600))
    }

    @Test func aSignalWakesEveryWaitingWorker() async {
        let wakeup = JobWakeup()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { await wakeup.wait(upTo: .seconds(3600)) } }
            // The workers may or may not be waiting yet: keep signalling until all three return.
            let signaller = Task {
                while !Task.isCancelled {
                    wakeup.signal()
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
            await group.waitForAll()
            signaller.cancel()
        }
    }

    @Test func aWaitEndsAtItsTimeoutWithoutASignal() async {
        await JobWakeup().wait(upTo: .milliseconds(20))
    }

    @Test func cancellationEndsAWait() async {
        let wakeup = JobWakeup()
        let waiter = Task { await wakeup.wait(upTo: .seconds(3600)) }
        waiter.cancel()
        await waiter.value
    }
}
