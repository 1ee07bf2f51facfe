import HTTPTypes
import Logging
import PhoenixHTTP
import PhoenixTesting
import Testing

private func request(_ method: HTTPRequest.Method, _ path: String, body: [UInt8] = [], fields: HTTPFields = [:]) -> Request {
    Request(head: HTTPRequest(method: method, scheme: nil, authority: "t", path: path, headerFields: fields), body: body)
}

private let context = RequestContext(peer: nil, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))

private func text(_ response: Response) -> String {
    if case .bytes(let bytes) = response.body { return String(decoding: bytes, as: UTF8.self) }
    return "<stream>"
}

@Suite struct RouterTests {
    static func jobsRouter() -> Router {
        var router = Router()
        router.get("/v1/jobs") { _, _ in Response(status: .ok, contentType: "text/plain", body: "list") }
        router.get("/v1/jobs/{id}") { _, context in
            Response(status: .ok, contentType: "text/plain", body: "job \(context.parameters["id"] ?? "?")")
        }
        router.post("/v1/jobs/{id}/cancel") { _, context in
            Response(status: .accepted, contentType: "text/plain", body: "cancel \(context.parameters["id"] ?? "?")")
        }
        router.get("/v1/jobs/latest") { _, _ in Response(status: .ok, contentType: "text/plain", body: "latest") }
        return router
    }

    @Test func pathParametersAreMatchedAndPercentDecoded() async {
        let router = Self.jobsRouter()
        #expect(text(await router.respond(to: request(.get, "/v1/jobs/j-42"), context: context)) == "job j-42")
        #expect(text(await router.respond(to: request(.get, "/v1/jobs/a%20b?x=1"), context: context)) == "job a b")
        let cancel = await router.respond(to: request(.post, "/v1/jobs/7/cancel"), context: context)
        #expect(cancel.status == .accepted)
        #expect(text(cancel) == "cancel 7")
    }

    @Test func literalRoutesWinOverTemplates() async {
        #expect(text(await Self.jobsRouter().respond(to: request(.get, "/v1/jobs/latest"), context: context)) == "latest")
    }

    @Test func malformedPercentEscapeDoesNotMatch() async {
        let response = await Self.jobsRouter().respond(to: request(.get, "/v1/jobs/%zz"), context: context)
        #expect(response.status == .notFound)
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() async {
        let router = Self.jobsRouter()
        let missing = await router.respond(to: request(.get, "/v1/nothing"), context: context)
        #expect(missing.status == .notFound)
        #expect(missing.headerFields[.contentType] == "application/problem+json")
        let wrong = await router.respond(to: request(.delete, "/v1/jobs/3"), context: context)
        #expect(wrong.status == .methodNotAllowed)
        #expect(wrong.headerFields[.allow] == "GET, HEAD, OPTIONS")
        let tooDeep = await router.respond(to: request(.get, "/v1/jobs/3/cancel/now"), context: context)
        #expect(tooDeep.status == .notFound)
    }

    @Test func optionsListsTheAllowedMethods() async {
        let response = await Self.jobsRouter().respond(to: request(.options, "/v1/jobs/3/cancel"), context: context)
        #expect(response.status == .noContent)
        #expect(response.headerFields[.allow] == "OPTIONS, POST")
    }

    @Test func routeTableNamesTemplatesAndImpliedHead() {
        let table = Set(Self.jobsRouter().routeTable.map { "\($0.method.rawValue) \($0.path)" })
        #expect(table == [
            "GET /v1/jobs", "HEAD /v1/jobs", "GET /v1/jobs/{id}", "HEAD /v1/jobs/{id}",
            "POST /v1/jobs/{id}/cancel", "GET /v1/jobs/latest", "HEAD /v1/jobs/latest",
        ])
    }

    @Test func middlewareRunsInOrderAroundTheHandler() async {
        struct Tag: RouterMiddleware {
            let name: String
            func handle(_ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response) async throws -> Response {
                var response = try await next(request, context)
                let previous = response.headerFields[HTTPField.Name("X-Trace")!] ?? ""
                response.headerFields[HTTPField.Name("X-Trace")!] = previous.isEmpty ? name : previous + "," + name
                return response
            }
        }
        var router = Self.jobsRouter()
        router.add(middleware: Tag(name: "outer"))
        router.add(middleware: Tag(name: "inner"))
        let response = await router.respond(to: request(.get, "/v1/jobs"), context: context)
        #expect(response.headerFields[HTTPField.Name("X-Trace")!] == "inner,outer")
    }

    @Test func thrownHTTPErrorBecomesProblemAndOtherErrorsRevealNothing() async {
        struct Secret: Error { let connectionString = "postgres://admin:hunter2@db" }
        var router = Router()
        router.get("/teapot") { _, _ in throw HTTPError(.init(code: 418, reasonPhrase: "I'm a teapot"), detail: "short and stout") }
        router.get("/boom") { _, _ in throw Secret() }
        let teapot = await router.respond(to: request(.get, "/teapot"), context: context)
        #expect(teapot.status == .init(code: 418, reasonPhrase: "I'm a teapot"))
        #expect(text(teapot).contains("short and stout"))
        let boom = await router.respond(to: request(.get, "/boom"), context: context)
        #expect(boom.status == .internalServerError)
        #expect(!text(boom).contains("hunter2"))
        #expect(!text(boom).contains("Secret"))
    }
}
