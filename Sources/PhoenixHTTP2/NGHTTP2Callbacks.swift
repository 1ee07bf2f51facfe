import CNGHTTP2

/// The C callbacks of every session: non-capturing closures that find their connection through
/// the session's user data and return nghttp2's codes. Nothing is thrown across a C frame.
enum NGHTTP2Callbacks {
    static func install(in callbacks: OpaquePointer) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            guard let frame, let userData, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
                  frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST else { return 0 }
            owner(userData).beginRequest(streamID: frame.pointee.hd.stream_id)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, let userData, let name, let value,
                  frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
                  frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST else { return 0 }  // trailers are dropped, as in HTTP/1
            owner(userData).receiveField(
                streamID: frame.pointee.hd.stream_id,
                name: UnsafeBufferPointer(start: name, count: nameLength),
                value: UnsafeBufferPointer(start: value, count: valueLength))
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            guard let userData, let data else { return 0 }
            owner(userData).receiveBody(streamID: streamID, UnsafeBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame, let userData else { return 0 }
            owner(userData).frameReceived(frame.pointee)
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, _, userData in
            guard let userData else { return 0 }
            owner(userData).streamClosed(streamID: streamID)
            return 0
        }
    }

    /// The data provider of every response body: nghttp2 pulls the stream's queued bytes.
    static let bodyProvider = nghttp2_data_provider(
        source: nghttp2_data_source(ptr: nil),
        read_callback: { _, streamID, buffer, length, flags, _, userData in
            guard let userData, let buffer, let flags else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
            return owner(userData).readBody(streamID: streamID, into: buffer, length: length, flags: flags)
        })
}

/// Safety: user data is the connection that owns the session; it is alive while the session
/// runs a callback, because callbacks run only inside calls that connection makes.
private func owner(_ userData: UnsafeMutableRawPointer) -> HTTP2Connection {
    Unmanaged<HTTP2Connection>.fromOpaque(userData).takeUnretainedValue()
}
