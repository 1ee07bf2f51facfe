import CNGHTTP2

/// The one owner of an `nghttp2_session` (server side), freed exactly once in `deinit`. The
/// callbacks table and the options live only while the session is made: nghttp2 copies both.
final class NGHTTP2Session {
    let raw: OpaquePointer

    /// Makes a server session with our callbacks and flood limits; user data is set later by the
    /// connection that owns this session, once it exists.
    init(settings: HTTP2Settings) throws(HTTP2Error) {
        var callbacks: OpaquePointer?
        let made = nghttp2_session_callbacks_new(&callbacks)
        guard made == 0, let callbacks else { throw HTTP2Error(operation: "nghttp2_session_callbacks_new", code: made) }
        defer { nghttp2_session_callbacks_del(callbacks) }
        NGHTTP2Callbacks.install(in: callbacks)

        var option: OpaquePointer?
        let madeOption = nghttp2_option_new(&option)
        guard madeOption == 0, let option else { throw HTTP2Error(operation: "nghttp2_option_new", code: madeOption) }
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_max_outbound_ack(option, settings.maxOutboundAcks)
        nghttp2_option_set_max_settings(option, settings.maxSettingsEntries)
        nghttp2_option_set_max_continuations(option, settings.maxContinuations)
        // Our responses carry a new `date` each second and a new `x-request-id` each time:
        // indexing them fills HPACK's dynamic table with entries never reused, and nghttp2's
        // encoder walks them (a linked-list search, cache-cold across many connections) on
        // every response; that was a third of the CPU per request in the benchmark.
        nghttp2_option_set_max_deflate_dynamic_table_size(option, settings.maxEncoderTableBytes)
        // We schedule no priorities (RFC 9113 §5.3.2 deprecates RFC 7540's tree): nghttp2 need
        // not keep closed streams around to position new ones in it.
        nghttp2_option_set_no_closed_streams(option, 1)
        // nghttp2's own rapid-reset limiter (Debian backports it to 1.52) stays as a backstop
        // behind ResetRateLimiter, which is stricter.
        nghttp2_option_set_stream_reset_rate_limit(option, UInt64(settings.resetBurst) * 2, UInt64(settings.resetsPerSecond) * 2)

        var session: OpaquePointer?
        let created = nghttp2_session_server_new2(&session, callbacks, nil, option)
        guard created == 0, let session else { throw HTTP2Error(operation: "nghttp2_session_server_new2", code: created) }
        raw = session
    }

    deinit {
        nghttp2_session_del(raw)
    }

    /// Points the callbacks at their connection. The session never outlives its owner, and
    /// callbacks run only inside calls the owner makes, so the pointer is unretained.
    func setUserData(_ owner: AnyObject) {
        nghttp2_session_set_user_data(raw, Unmanaged.passUnretained(owner).toOpaque())
    }

    /// Queues our SETTINGS (RFC 9113 §3.4: the server's preface) and widens the connection window.
    func submitSettings(_ settings: HTTP2Settings, limits maxHeaderListBytes: Int) throws(HTTP2Error) {
        let entries = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: settings.maxConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: settings.initialWindowSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: UInt32(clamping: maxHeaderListBytes)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            // RFC 9218 §2.1: no RFC 7540 priority tree to build per stream.
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES.rawValue), value: 1),
        ]
        let submitted = nghttp2_submit_settings(raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), entries, entries.count)
        guard submitted == 0 else { throw HTTP2Error(operation: "nghttp2_submit_settings", code: submitted) }
        let widened = nghttp2_session_set_local_window_size(raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, Int32(clamping: settings.connectionWindowSize))
        guard widened == 0 else { throw HTTP2Error(operation: "nghttp2_session_set_local_window_size", code: widened) }
    }
}
