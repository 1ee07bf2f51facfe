import HTTPTypes
@testable import PhoenixHTTP
import Testing

/// What the decoder made of a byte sequence.
private struct Outcome: Equatable {
    var requests: [String] = []
    var bodies: [[UInt8]] = []
    var error: Int?
}

/// Feeds `bytes` to a decoder in pieces of `step` bytes, the way a socket might deliver them.
private func decode(_ bytes: [UInt8], step: Int, limits: HTTPLimits = HTTPLimits()) -> Outcome {
    var decoder = HTTPRequestDecoder(limits: limits)
    var outcome = Outcome()
    var buffered: [UInt8] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + step)
        buffered.append(contentsOf: bytes[offset..<end])
        offset = end
        while true {
            let result: (consumed: Int, event: HTTPRequestDecoder.Event?)
            do {
                result = try buffered.withUnsafeBytes { try decoder.decode($0) }
            } catch let error as HTTPParseError {
                outcome.error = Int(error.status.code)
                return outcome
            } catch {
                Issue.record("unexpected error \(error)")
                return outcome
            }
            buffered.removeFirst(result.consumed)
            if case .request(let request, _) = result.event {
                outcome.requests.append("\(request.method) \(request.head.path ?? "")")
                outcome.bodies.append(request.body)
            }
            if result.consumed == 0 && result.event == nil { break }
        }
    }
    return outcome
}

@Suite struct HTTPRequestDecoderTests {
    @Test func corpusIsPresent() {
        #expect(CorpusCase.all.count >= 50)
    }

    @Test(arguments: CorpusCase.all)
    func decodesCorpusCaseAsExpected(_ corpus: CorpusCase) {
        let outcome = decode(corpus.raw, step: corpus.raw.count)
        #expect(outcome.requests.count == corpus.requests, "\(corpus.about)")
        #expect(outcome.error == corpus.error, "\(corpus.about)")
    }

    @Test(arguments: CorpusCase.all)
    func decodesCorpusCaseTheSameWhenBytesArriveOneAtATime(_ corpus: CorpusCase) {
        let whole = decode(corpus.raw, step: corpus.raw.count)
        let trickled = decode(corpus.raw, step: 1)
        #expect(trickled == whole)
    }

    @Test func chunkedBodyIsReassembled() {
        let raw = Array("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".utf8)
        let outcome = decode(raw, step: 3)
        #expect(outcome.bodies == [Array("hello world".utf8)])
    }

    @Test func absoluteFormTargetBecomesPathAndAuthority() throws {
        var decoder = HTTPRequestDecoder(limits: HTTPLimits())
        let raw = Array("GET http://example.test:8080/v1/status?x=1 HTTP/1.1\r\nHost: example.test:8080\r\n\r\n".utf8)
        let result = try raw.withUnsafeBytes { try decoder.decode($0) }
        guard case .request(let request, let keepAlive) = result.event else {
            Issue.record("no request decoded")
            return
        }
        #expect(request.head.path == "/v1/status?x=1")
        #expect(request.head.authority == "example.test:8080")
        #expect(request.path == "/v1/status")
        #expect(keepAlive)
    }

    @Test func smallerLimitsAreApplied() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 32
        limits.maxHeaderCount = 2
        limits.maxBodyBytes = 4
        #expect(decode(Array("GET /\(String(repeating: "a", count: 40)) HTTP/1.1\r\nHost: t\r\n\r\n".utf8), step: 7, limits: limits).error == 414)
        #expect(decode(Array("GET / HTTP/1.1\r\nHost: t\r\nA: 1\r\nB: 2\r\n\r\n".utf8), step: 7, limits: limits).error == 431)
        #expect(decode(Array("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello".utf8), step: 7, limits: limits).error == 413)
        #expect(decode(Array("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n".utf8), step: 7, limits: limits).error == 413)
    }

    @Test func expectContinueIsReportedBeforeTheBody() throws {
        var decoder = HTTPRequestDecoder(limits: HTTPLimits())
        let raw = Array("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8)
        let result = try raw.withUnsafeBytes { try decoder.decode($0) }
        guard case .head(let expectsContinue) = result.event else {
            Issue.record("no head event")
            return
        }
        #expect(expectsContinue)
        #expect(result.consumed == raw.count)
        #expect(decoder.isReadingBody)
    }

    @Test func headerBlockLimitHoldsWhileTheHeadIsIncomplete() {
        // No terminating empty line: the decoder must give up at the limit, not buffer forever.
        var raw = Array("GET / HTTP/1.1\r\nHost: t\r\n".utf8)
        for index in 0..<40 { raw += Array("X-\(index): \(String(repeating: "v", count: 1000))\r\n".utf8) }
        #expect(decode(raw, step: 512).error == 431)
    }
}
