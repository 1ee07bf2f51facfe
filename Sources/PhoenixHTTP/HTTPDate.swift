import Glibc
import Synchronization

/// The IMF-fixdate for the `Date` field (RFC 9110 §5.6.7), formatted once per second.
package final class HTTPDate: Sendable {
    private let now: @Sendable () -> Int
    private let cache = Mutex<(second: Int, text: [UInt8])>((-1, []))

    /// - Parameter now: the wall clock in seconds since 1970 (injected so tests can fix it).
    init(now: @escaping @Sendable () -> Int) {
        self.now = now
    }

    /// The current date as bytes, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    package func current() -> [UInt8] {
        let second = now()
        return cache.withLock { cached in
            if cached.second != second {
                cached = (second, Self.format(second))
            }
            return cached.text
        }
    }

    static func format(_ seconds: Int) -> [UInt8] {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 40)
        // strftime's %a/%b follow LC_TIME, which is "C" in a process that never calls setlocale.
        let length = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return buffer.prefix(length).map { UInt8(bitPattern: $0) }
    }
}
