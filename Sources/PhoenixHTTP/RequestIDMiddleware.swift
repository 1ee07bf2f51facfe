import HTTPTypes
import Logging
import Synchronization

/// Gives every request an id: the client's `X-Request-ID` when it is sane, otherwise a new one.
/// The id goes into the context, the logger's metadata (`request.id`) and the response.
public struct RequestIDMiddleware: RouterMiddleware {
    /// The header that carries the id both ways.
    public static let field = HTTPField.Name("X-Request-ID")!  // a valid token: cannot fail
    private let generator = RequestIDGenerator()

    /// Creates the middleware.
    public init() {}

    public func handle(
        _ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let incoming = request.headerFields[Self.field]
        let id = incoming.flatMap { Self.isAcceptable($0) ? $0 : nil } ?? generator.next()
        context.requestID = id
        context.logger[metadataKey: "request.id"] = "\(id)"
        var response = try await next(request, context)
        response.headerFields[Self.field] = id
        return response
    }

    /// 1 to 128 characters of `[A-Za-z0-9._:-]`: anything else could forge log lines or headers.
    static func isAcceptable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy { byte in
            ASCII.isToken(byte) && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "`") || byte == UInt8(ascii: ":")
        }
    }
}

/// Ids unique within the process and unlikely to repeat across processes: a random prefix drawn
/// at start and a counter, so generating one costs no system call.
final class RequestIDGenerator: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        prefix = String(generator.next() as UInt64, radix: 36)
    }

    func next() -> String {
        let value = counter.add(1, ordering: .relaxed).newValue
        return prefix + "-" + String(value, radix: 36)
    }
}
