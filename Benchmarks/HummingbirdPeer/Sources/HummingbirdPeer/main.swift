import Hummingbird

// Usage: HummingbirdPeer PORT. Answers GET /health with the body phoenix-dr sends.
let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8090
let body = ByteBuffer(string: #"{"status":"ok","version":"0.1.0"}"#)
let router = Router()
router.get("health") { _, _ -> Response in
    Response(
        status: .ok,
        headers: [.contentType: "application/json", .cacheControl: "no-store"],
        body: .init(byteBuffer: body)
    )
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
