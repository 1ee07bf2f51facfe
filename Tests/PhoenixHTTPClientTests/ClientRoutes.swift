import HTTPTypes
import PhoenixHTTP
import PhoenixTesting

/// The repo's `TestRoutes` plus the few routes the client tests need.
enum ClientRoutes {
    static func router(monitor: TestRoutes.SlowMonitor) -> Router {
        var router = TestRoutes.router(monitor: monitor)
        router.put("/echo") { request, _ in
            Response(status: .ok, headerFields: [.contentType: "application/octet-stream"], body: request.body)
        }
        // Repeated names on purpose: the client must keep every one, in order.
        router.get("/repeated") { _, _ in
            var fields = HTTPFields()
            fields.append(HTTPField(name: .setCookie, value: "a=1"))
            fields.append(HTTPField(name: HTTPField.Name("X-Trace")!, value: "one"))
            fields.append(HTTPField(name: .setCookie, value: "b=2"))
            fields.append(HTTPField(name: HTTPField.Name("X-Trace")!, value: "two"))
            return Response(status: .ok, headerFields: fields, body: Array("ok".utf8))
        }
        // What arrived: method, every field as "name: value" and the body size.
        let inspect: Router.Handler = { request, _ in
            var lines = ["method: \(request.method.rawValue)", "body-bytes: \(request.body.count)"]
            for field in request.headerFields { lines.append("\(field.name.canonicalName): \(field.value)") }
            return Response(status: .ok, contentType: "text/plain", body: lines.joined(separator: "\n"))
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            router.on(method, "/inspect", handler: inspect)
        }
        return router
    }
}
