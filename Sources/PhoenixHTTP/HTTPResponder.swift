import Logging
import PhoenixSockets

/// What the server knows about a request besides the request itself.
public struct RequestContext: Sendable {
    /// The client's address, when the kernel reported one.
    public var peer: SocketAddress?
    /// A logger for this request; middleware adds metadata such as the request id.
    public var logger: Logger
    /// The request id (set by `RequestIDMiddleware`), quoted in errors and logs.
    public var requestID: String?
    /// Path parameters of the matched route (`id` for `/v1/jobs/{id}`).
    public var parameters: [String: String] = [:]
    /// Who is asking, once authenticated (`api:<token name>`); recorded as a job's trigger.
    public var identity: String?

    /// Creates a context.
    public init(peer: SocketAddress?, logger: Logger) {
        self.peer = peer
        self.logger = logger
    }
}

/// Turns a request into a response. Runs as a task on the connection's event loop, so a handler
/// that answers at once never changes thread, and one that awaits I/O holds no loop up.
public protocol HTTPResponder: Sendable {
    /// Answers `request`. Errors are the responder's to map: whatever it returns is sent.
    func respond(to request: Request, context: RequestContext) async -> Response
}
