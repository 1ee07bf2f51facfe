import CNGHTTP2
import Logging
import PhoenixHTTP
import PhoenixSockets

/// One descriptor, one loop deadline: while the connection has no stream it is the idle
/// timeout; while it has streams it is a tick every write timeout that resets stalled streams
/// and closes a connection whose socket takes nothing, so a stall is caught within one to two
/// write timeouts.
extension HTTP2Connection {
    func updateTimer() {
        let now = MonotonicClock.now()
        if streams.isEmpty {
            guard !isIdleTimerArmed else { return }
            isIdleTimerArmed = true
            isTickArmed = false
            idleSince = now
            context.loop.setDeadline(MonotonicClock.deadline(after: configuration.idleTimeout), for: fd)
        } else if !isTickArmed {
            isIdleTimerArmed = false
            isTickArmed = true
            context.loop.setDeadline(MonotonicClock.deadline(after: configuration.writeTimeout), for: fd)
        }
    }

    func handleDeadline() {
        switch phase {
        case .closed: return
        case .lingering: return close()
        case .open: break
        }
        if isIdleTimerArmed {
            isIdleTimerArmed = false
            // Idle: GOAWAY, after which a connection with no stream closes. If a GOAWAY already
            // went out, or our frames sit unread, the client has had its chance: close.
            if isGoingAway || hasUnsentOutput { return close() }
            beginShutdown()
            return
        }
        isTickArmed = false
        let now = MonotonicClock.now()
        if hasUnsentOutput && now - lastWrite >= nanoseconds(configuration.writeTimeout) {
            return close()  // the client reads nothing at all
        }
        resetStalledStreams(now: now)
        afterIO()
    }

    /// Resets streams whose client keeps the window shut past the write timeout, and requests
    /// still arriving after the header and body timeouts (the HTTP/1.1 408 cases).
    private func resetStalledStreams(now: UInt64) {
        let writeTimeout = nanoseconds(configuration.writeTimeout)
        let requestTimeout = nanoseconds(configuration.headerTimeout) &+ nanoseconds(configuration.bodyTimeout)
        for stream in streams.values {
            let isStalled = switch stream.state {
            case .receiving: now - stream.openedAt >= requestTimeout
            case .sending: stream.unsentBytes > 0 && now - stream.lastProgress >= writeTimeout
            case .handling: false
            }
            guard isStalled else { continue }
            context.shared.logger.debug("http2 stream stalled: reset", metadata: ["http2.stream": "\(stream.id)"])
            _ = nghttp2_submit_rst_stream(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, NGHTTP2_CANCEL.rawValue)
        }
    }

    private func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(clamping: seconds) &* 1_000_000_000 &+ UInt64(clamping: attoseconds / 1_000_000_000)
    }
}
