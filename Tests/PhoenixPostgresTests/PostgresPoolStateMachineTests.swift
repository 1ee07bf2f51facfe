import Testing

@testable import PhoenixPostgres

/// The pool's state machine as a value, with strings for connections and ints for waiters.
struct PostgresPoolStateMachineTests {
    typealias Machine = PostgresPool.StateMachine<String, Int>

    /// "connect", "conn:<name>", "wait" or "fail:<code>", for compact expectations.
    private func describe(_ action: Machine.LeaseAction) -> String {
        switch action {
        case .wait: "wait"
        case .resume(_, .failure(let error)): "fail:\(error.code)"
        case .resume(_, .success(.connect)): "connect"
        case .resume(_, .success(.connection(let name))): "conn:\(name)"
        }
    }

    private func describe(_ handOver: (waiter: Int, lease: Machine.Lease)?) -> String {
        switch handOver {
        case nil: "none"
        case (let waiter, .connect)?: "\(waiter):connect"
        case (let waiter, .connection(let name))?: "\(waiter):conn:\(name)"
        }
    }

    @Test func leasesOpenNewConnectionsUpToTheLimitThenQueueCallers() {
        var machine = Machine(maxConnections: 2)
        #expect(describe(machine.lease(id: 1, waiter: 1, isCancelled: false)) == "connect")
        #expect(describe(machine.lease(id: 2, waiter: 2, isCancelled: false)) == "connect")
        #expect(describe(machine.lease(id: 3, waiter: 3, isCancelled: false)) == "wait")
        #expect(describe(machine.lease(id: 4, waiter: 4, isCancelled: false)) == "wait")
        #expect(machine.open == 2)
        // Returned connections go to waiters in FIFO order, then to the idle list.
        #expect(describe(machine.release("a", isReusable: true).resume) == "3:conn:a")
        #expect(describe(machine.release("b", isReusable: true).resume) == "4:conn:b")
        #expect(describe(machine.release("a", isReusable: true).resume) == "none")
        #expect(describe(machine.lease(id: 5, waiter: 5, isCancelled: false)) == "conn:a")
        #expect(machine.open == 2)
    }

    @Test func aBrokenConnectionIsClosedAndItsSlotPassedToTheNextWaiter() {
        var machine = Machine(maxConnections: 1)
        _ = machine.lease(id: 1, waiter: 1, isCancelled: false)
        #expect(describe(machine.lease(id: 2, waiter: 2, isCancelled: false)) == "wait")
        let action = machine.release("dead", isReusable: false)
        #expect(action.close == "dead")
        #expect(describe(action.resume) == "2:connect")
        #expect(machine.open == 1)
        #expect(machine.idle.isEmpty)
    }

    @Test func aFailedConnectFreesTheSlot() {
        var machine = Machine(maxConnections: 1)
        _ = machine.lease(id: 1, waiter: 1, isCancelled: false)
        #expect(describe(machine.connectFailed()) == "none")
        #expect(machine.open == 0)
        _ = machine.lease(id: 2, waiter: 2, isCancelled: false)
        #expect(describe(machine.lease(id: 3, waiter: 3, isCancelled: false)) == "wait")
        #expect(describe(machine.connectFailed()) == "3:connect")
        #expect(machine.open == 1)
    }

    @Test func aCancelledWaiterLeavesTheQueueAndACancelledCallerNeverWaits() {
        var machine = Machine(maxConnections: 1)
        _ = machine.lease(id: 1, waiter: 1, isCancelled: false)
        _ = machine.lease(id: 2, waiter: 2, isCancelled: false)
        _ = machine.lease(id: 3, waiter: 3, isCancelled: false)
        #expect(machine.cancel(id: 2) == 2)
        #expect(machine.cancel(id: 2) == nil)
        #expect(describe(machine.release("a", isReusable: true).resume) == "3:conn:a")
        #expect(describe(machine.lease(id: 4, waiter: 4, isCancelled: true)) == "fail:cancelled")
    }

    @Test func shutdownFailsWaitersClosesIdleConnectionsAndLaterReturns() {
        var machine = Machine(maxConnections: 2)
        _ = machine.lease(id: 1, waiter: 1, isCancelled: false)
        _ = machine.lease(id: 2, waiter: 2, isCancelled: false)
        _ = machine.release("idle", isReusable: true)
        let (close, fail) = machine.shutdown()
        #expect(close == ["idle"])
        #expect(fail.isEmpty)
        #expect(machine.release("leased", isReusable: true).close == "leased")
        #expect(machine.open == 0)
        #expect(describe(machine.lease(id: 3, waiter: 3, isCancelled: false)) == "fail:poolClosed")
    }
}
