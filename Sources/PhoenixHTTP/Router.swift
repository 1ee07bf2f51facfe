import HTTPTypes

/// Maps method and path to a handler; answers 404 and 405 (with `Allow`) as problem+json, and
/// serves HEAD from the GET handler (the server drops the body).
///
/// ```swift
/// var router = Router()
/// router.get("/livez") { _, _ in Response(status: .ok) }
/// ```
public struct Router: HTTPResponder {
    /// A route's handler.
    public typealias Handler = @Sendable (Request, RequestContext) async -> Response

    private var routes: [String: [HTTPRequest.Method: Handler]] = [:]

    /// An empty router.
    public init() {}

    /// Adds a handler for `method` on `path`.
    public mutating func on(_ method: HTTPRequest.Method, _ path: String, handler: @escaping Handler) {
        routes[path, default: [:]][method] = handler
    }

    /// Adds a GET handler (which also serves HEAD).
    public mutating func get(_ path: String, handler: @escaping Handler) {
        on(.get, path, handler: handler)
    }

    /// Adds a POST handler.
    public mutating func post(_ path: String, handler: @escaping Handler) {
        on(.post, path, handler: handler)
    }

    /// Every (method, path) pair, HEAD included where GET is, for checks against the OpenAPI file.
    public var routeTable: [(method: HTTPRequest.Method, path: String)] {
        routes.flatMap { path, handlers in
            handlers.keys.map { (method: $0, path: path) }
                + (handlers[.get] != nil && handlers[.head] == nil ? [(method: .head, path: path)] : [])
        }
    }

    public func respond(to request: Request, context: RequestContext) async -> Response {
        let path = String(request.path)
        guard let handlers = routes[path] else {
            return ProblemDetails(status: .notFound, detail: "no route for \(path)").response
        }
        if let handler = handlers[request.method] ?? (request.method == .head ? handlers[.get] : nil) {
            return await handler(request, context)
        }
        var response = ProblemDetails(status: .methodNotAllowed, detail: "\(request.method) is not allowed on \(path)").response
        var allowed = Set(handlers.keys.map(\.rawValue))
        if allowed.contains("GET") { allowed.insert("HEAD") }
        response.headerFields[.allow] = allowed.sorted().joined(separator: ", ")
        return response
    }
}
