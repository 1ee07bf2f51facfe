import CLinuxSystem
import Glibc

/// A fixed set of event loops, one per core by default.
public final class EventLoopGroup: Sendable {
    /// The loops, each on its own thread once started.
    public let loops: [EventLoop]

    /// Creates `count` loops (default: one per core this process may run on) and starts them.
    public init(count: Int? = nil, namePrefix: String = "phx-loop") throws(SocketError) {
        let total = max(1, count ?? Int(phx_usable_cpu_count()))
        var loops: [EventLoop] = []
        for index in 0..<total {
            loops.append(try EventLoop(name: "\(namePrefix)-\(index)"))
        }
        self.loops = loops
        loops.forEach { $0.start() }
    }

    /// Stops every loop and waits for their threads.
    public func shutdown() {
        loops.forEach { $0.shutdown() }
    }
}
