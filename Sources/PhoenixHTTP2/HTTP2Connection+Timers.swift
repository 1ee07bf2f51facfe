import CNGHTTP2
import Logging
import PhoenixHTTP
import PhoenixSockets

/// One descriptor, one loop deadline: a tick every `min(writeTimeout, idleTimeout)` while the
/// connection is open. A tick closes an idle connection past the idle timeout (GOAWAY first),
/// closes one whose socket takes nothing, and resets streams that stalled; so each limit is
/// enforced within one tick of its timeout. Requests themselves never move the deadline, which
/// keeps the loop's deadline heap at one entry per connection and tick, not one per request.
extension HTTP2Connection {
    func updateTimer() {
        if streams.isEmpty {
            if isBusy {
                isBusy = false
                idleSince = MonotonicClock.now()
            }
        } else {
            isBusy = true
        }
        guard !isTimerArmed else { return }
        isTimerArmed = true
        let tick = min(configuration.writeTimeout, configuration.idleTimeout)
        context.loop.setDeadline(MonotonicClock.deadline(after: tick), for: fd)
    }

    func handleDeadline() {
        switch phase {
        case .closed: return
        case .lingering: return close()
        case .open: break
        }
        isTimerArmed = false
        let now = MonotonicClock.now()
        if streams.isEmpty && now - idleSince >= nanoseconds(configuration.idleTimeout) {
            // Idle: GOAWAY, after which a connection with no stream closes. If a GOAWAY already
            // went out, or our frames sit unread, the client has had its chance: close.
            if isGoingAway || hasUnsentOutput { return close() }
            return beginShutdown()
        }
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
