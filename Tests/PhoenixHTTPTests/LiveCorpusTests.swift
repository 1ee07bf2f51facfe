import PhoenixHTTP
import PhoenixTesting
import Testing

/// Replays the raw-request corpus against a live server over real sockets.
@Suite struct LiveCorpusTests {
    @Test(arguments: CorpusCase.all)
    func serverAnswersCorpusCaseAndClosesOnlyWhenItMust(_ corpus: CorpusCase) async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try TestSocket(port: live.port)
        try client.send(corpus.raw)
        let isHead = corpus.name.hasPrefix("head")
        var statuses: [Int] = []
        while statuses.count < corpus.responses.count, let response = await client.readResponse(isHead: isHead) {
            statuses.append(response.status)
            if response.status >= 400 && response.status != 404 && response.status != 405 {
                #expect(response.header("content-type") == "application/problem+json")
                #expect(response.header("connection") == "close")
            }
        }
        #expect(statuses == corpus.responses, "\(corpus.about)")
        if corpus.closes {
            #expect(await client.waitForClose() == .closed)
        } else {
            try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await client.readResponse()?.status == 200, "the connection should stay usable")
        }
        await live.stop()
    }
}
