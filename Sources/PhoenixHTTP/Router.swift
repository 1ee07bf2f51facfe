import HTTPTypes
import Logging

/// Maps method and path patterns to handlers through a chain of middleware.
///
/// Answers 404 and 405 (with `Allow`) by throwing `HTTPError`, answers OPTIONS with the allowed
/// methods, and serves HEAD from the GET handler (the server drops the body). Literal paths are
/// one dictionary look-up; templates with `{parameters}` are tried in the order added.
///
/// ```swift
/// var router = Router()
/// router.add(middleware: RequestIDMiddleware())
/// router.get("/v1/jobs/{id}") { request, context in
///     Response(status: .ok, contentType: "text/plain", body: context.parameters["id"] ?? "")
/// }
/// ```
public struct Router: HTTPResponder {
    /// A route's handler.
    public typealias Handler = @Sendable (Request, RequestContext) async throws -> Response
    typealias Methods = [HTTPRequest.Method: Handler]

    private var literal: [String: Methods] = [:]
    private var templates: [(pattern: RoutePattern, methods: Methods)] = []
    private var middleware: [any RouterMiddleware] = []

    /// An empty router.
    public init() {}

    /// Adds a handler for `method` on `path`, a literal path or a template (`/v1/jobs/{id}`).
    public mutating func on(_ method: HTTPRequest.Method, _ path: String, handler: @escaping Handler) {
        let pattern = RoutePattern(path)
        if pattern.isLiteral {
            literal["/" + pattern.segments.map { if case .literal(let s) = $0 { String(s) } else { "" } }.joined(separator: "/"), default: [:]][method] = handler
        } else if let index = templates.firstIndex(where: { $0.pattern == pattern }) {
            templates[index].methods[method] = handler
        } else {
            templates.append((pattern, [method: handler]))
        }
    }

    /// Adds a GET handler (which also serves HEAD).
    public mutating func get(_ path: String, handler: @escaping Handler) { on(.get, path, handler: handler) }
    /// Adds a POST handler.
    public mutating func post(_ path: String, handler: @escaping Handler) { on(.post, path, handler: handler) }
    /// Adds a PUT handler.
    public mutating func put(_ path: String, handler: @escaping Handler) { on(.put, path, handler: handler) }
    /// Adds a DELETE handler.
    public mutating func delete(_ path: String, handler: @escaping Handler) { on(.delete, path, handler: handler) }

    /// Appends middleware; the first added sees the request first and the response last.
    public mutating func add(middleware: any RouterMiddleware) {
        self.middleware.append(middleware)
    }

    /// Every (method, path template) pair, HEAD included where GET is, for the OpenAPI check.
    public var routeTable: [(method: HTTPRequest.Method, path: String)] {
        let all = literal.map { ($0.key, $0.value) } + templates.map { ($0.pattern.template, $0.methods) }
        return all.flatMap { path, methods in
            methods.keys.map { (method: $0, path: path) }
                + (methods[.get] != nil && methods[.head] == nil ? [(method: .head, path: path)] : [])
        }
    }

    public func respond(to request: Request, context: RequestContext) async -> Response {
        do {
            return try await run(from: 0, request, context)
        } catch let error as HTTPError {
            return ProblemDetails(error, requestID: context.requestID).response
        } catch {
            // Middleware maps errors (PhoenixAPI's ErrorMiddleware); this is the last resort.
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))"])
            return ProblemDetails(status: .internalServerError, requestID: context.requestID).response
        }
    }

    private func run(from index: Int, _ request: Request, _ context: RequestContext) async throws -> Response {
        guard index < middleware.count else { return try await dispatch(request, context) }
        return try await middleware[index].handle(request, context: context) { request, context in
            try await run(from: index + 1, request, context)
        }
    }

    private func dispatch(_ request: Request, _ context: RequestContext) async throws -> Response {
        let path = request.path
        var context = context
        let methods: Methods
        if let found = literal[String(path)] {
            methods = found
        } else if let (found, parameters) = matchTemplate(path) {
            methods = found
            context.parameters = parameters
        } else {
            throw HTTPError(.notFound, detail: "no route for \(path)")
        }
        if let handler = methods[request.method] ?? (request.method == .head ? methods[.get] : nil) {
            return try await handler(request, context)
        }
        let allow = Self.allowed(methods)
        if request.method == .options {
            return Response(status: .noContent, headerFields: [.allow: allow])
        }
        throw HTTPError(.methodNotAllowed, detail: "\(request.method) is not allowed on \(path)", headerFields: [.allow: allow])
    }

    private func matchTemplate(_ path: Substring) -> (Methods, [String: String])? {
        for (pattern, methods) in templates {
            if let parameters = pattern.match(path) { return (methods, parameters) }
        }
        return nil
    }

    private static func allowed(_ methods: Methods) -> String {
        var names = Set(methods.keys.map(\.rawValue))
        if names.contains("GET") { names.insert("HEAD") }
        names.insert("OPTIONS")
        return names.sorted().joined(separator: ", ")
    }
}
