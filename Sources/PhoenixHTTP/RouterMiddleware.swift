/// Code that wraps every request on its way to the handler, in the shape Hummingbird uses:
/// it may change the request or context, call `next`, and change or replace the response.
public protocol RouterMiddleware: Sendable {
    /// Handles `request`, usually by calling `next` once.
    func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response
}
