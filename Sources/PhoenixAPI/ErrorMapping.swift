import HTTPTypes
import Logging
import PhoenixDomain
import PhoenixHTTP

/// The one place where errors become HTTP statuses (STYLE.md): every error a handler throws is
/// answered as `application/problem+json` with the request id, and nothing else of it leaks.
public enum ErrorMapping {
    /// The problem response for `error`.
    public static func response(for error: any Error, context: RequestContext) -> Response {
        switch error {
        case let error as HTTPError:
            return ProblemDetails(error, requestID: context.requestID).response
        case let error as CatalogError:
            switch error.code {
            case .notFound: return ProblemDetails(status: .notFound, detail: error.message, requestID: context.requestID).response
            case .alreadyFinished: return ProblemDetails(status: .conflict, detail: error.message, requestID: context.requestID).response
            case .storage:
                context.logger.error("catalog failed", metadata: ["error.debug": "\(error.debugDescription)"])
                return ProblemDetails(status: .serviceUnavailable, detail: "the catalog is unavailable", requestID: context.requestID).response
            }
        case is CancellationError:
            return ProblemDetails(status: .serviceUnavailable, detail: "the request was cancelled", requestID: context.requestID).response
        default:
            // Unknown errors may carry internals (paths, SQL, addresses): log them, show nothing.
            context.logger.error("request failed", metadata: [
                "error.type": "\(type(of: error))",
                "error.debug": "\(String(reflecting: error))",
            ])
            return ProblemDetails(status: .internalServerError, requestID: context.requestID).response
        }
    }
}

/// Turns whatever the inner middleware and handlers throw into a problem response.
public struct ErrorMiddleware: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(
        _ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return ErrorMapping.response(for: error, context: context)
        }
    }
}
