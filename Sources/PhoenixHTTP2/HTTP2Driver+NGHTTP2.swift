import Logging
import PhoenixHTTP

extension HTTP2Driver {
    /// HTTP/2 through nghttp2 server sessions, with `settings` for streams, windows and the
    /// abuse limits.
    ///
    /// ```swift
    /// var configuration = HTTPServerConfiguration(listen: [address])
    /// configuration.http2 = .nghttp2()
    /// ```
    public static func nghttp2(_ settings: HTTP2Settings = HTTP2Settings()) -> HTTP2Driver {
        HTTP2Driver { stream, peer, context, initialBytes in
            do {
                return try HTTP2Connection(stream: stream, peer: peer, context: context, settings: settings, initialBytes: initialBytes)
            } catch {
                context.shared.logger.warning("http2 session not created", metadata: ["error.type": "\(error)"])
                return nil
            }
        }
    }
}
