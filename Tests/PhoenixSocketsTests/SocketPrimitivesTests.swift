import CLinuxSystem
import Glibc
@testable import PhoenixSockets
import Synchronization
import Testing

@Suite struct SocketPrimitivesTests {
    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", UInt16(8080)),
        ("[::1]:443", "::1", UInt16(443)),
        (":9000", "0.0.0.0", UInt16(9000)),
        ("localhost:0", "127.0.0.1", UInt16(0)),
    ])
    func parsesListenAddresses(text: String, host: String, port: UInt16) throws {
        let address = try SocketAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
    }

    @Test(arguments: ["127.0.0.1", "::1:80", "127.0.0.1:99999", "example.com:80", "[::1:80", "1.2.3:80", ""])
    func rejectsBadAddresses(text: String) {
        #expect(throws: SocketError.self) { try SocketAddress(parsing: text) }
    }

    @Test func fileDescriptorClosesOnceSoAReusedNumberIsNeverClosedByMistake() async throws {
        for _ in 0..<100 {
            let fd = try FileDescriptor.socket(domain: AF_INET, type: Int32(SOCK_STREAM.rawValue))
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { fd.close() } }
            }
            #expect(fd.isClosed)
            #expect(fd.rawValue == -1)
            // The kernel hands out the lowest free number, often the one just closed. A second
            // close of the old owner must leave the new descriptor open.
            let successor = try FileDescriptor.socket(domain: AF_INET, type: Int32(SOCK_STREAM.rawValue))
            fd.close()
            #expect(fcntl(successor.rawValue, F_GETFD) != -1)
            successor.close()
        }
    }

    @Test func bindingATakenPortReportsTheSyscallAndErrno() throws {
        let first = try ListeningSocket(binding: SocketAddress(host: "127.0.0.1", port: 0))
        #expect(throws: SocketError.syscall("bind \(first.address)", errno: EADDRINUSE)) {
            try ListeningSocket(binding: SocketAddress(host: "127.0.0.1", port: first.address.port))
        }
    }

    @Test func deadlineHeapPopsInOrder() {
        var heap = DeadlineHeap()
        for value in [50, 10, 40, 30, 20, 60].map(UInt64.init) {
            heap.push(.init(deadline: value, fd: 3, generation: 1))
        }
        #expect(heap.popDue(now: 5) == nil)
        var popped: [UInt64] = []
        while let entry = heap.popDue(now: 45) { popped.append(entry.deadline) }
        #expect(popped == [10, 20, 30, 40])
        #expect(heap.count == 2)
    }

    @Test func openFileLimitIsRaisedToTheHardLimit() {
        let soft = ResourceLimits.raiseOpenFileLimit()
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        #expect(soft == UInt64(limit.rlim_max))
    }
}
