import CCurl
import HTTPTypes
@testable import PhoenixHTTPClient
import Testing

/// The pure parts, tested as values: head parsing, stall windows, error mapping, and the
/// transfer state machine's pause decisions.
@Suite struct ValueTests {
    private func feed(_ parser: inout ResponseHeadParser, _ lines: [String]) -> HTTPResponse? {
        var result: HTTPResponse?
        for line in lines {
            let bytes = Array(line.utf8)
            if let head = bytes.withUnsafeBytes({ parser.consume($0) }) { result = head }
        }
        return result
    }

    @Test func parserSkipsInformationalHeadsAndKeepsRepeatedFieldsInOrder() throws {
        var parser = ResponseHeadParser()
        let head = try #require(feed(&parser, [
            "HTTP/1.1 100 Continue\r\n", "\r\n",
            "HTTP/1.1 201 Created\r\n", "Set-Cookie: a=1\r\n", "X-Long: first\r\n", "\t folded\r\n",
            "Set-Cookie: b=2\r\n", "Bad Name: skipped\r\n", "\r\n",
        ]))
        #expect(head.status.code == 201)
        #expect(head.status.reasonPhrase == "Created")
        #expect(head.headerFields[values: .setCookie] == ["a=1", "b=2"])
        #expect(head.headerFields[HTTPField.Name("x-long")!] == "first folded")
        #expect(head.headerFields.count == 3)
    }

    @Test func parserReadsAnHTTP2StatusLineWithoutReason() throws {
        var parser = ResponseHeadParser()
        let head = try #require(feed(&parser, ["HTTP/2 204\r\n", "\r\n"]))
        #expect(head.status == .noContent)
    }

    @Test func stallWatchFiresOnlyAfterAWholeSlowWindow() {
        let start = ContinuousClock.now
        var watch = StallWatch(limit: .init(bytesPerSecond: 1000, window: .milliseconds(100)), now: start, bytes: 0)
        let early = watch.isStalled(now: start + .milliseconds(50), bytes: 0)
        let fastEnough = watch.isStalled(now: start + .milliseconds(100), bytes: 100)
        let tooSlow = watch.isStalled(now: start + .milliseconds(200), bytes: 150)
        watch.restart(now: start + .milliseconds(200), bytes: 150)
        let freshWindow = watch.isStalled(now: start + .milliseconds(250), bytes: 150)
        #expect(!early && !fastEnough && tooSlow && !freshWindow)
        #expect(watch.pollInterval == .milliseconds(25))
    }

    @Test func curlCodesMapToCodesAndNames() {
        let cases: [(CURLcode, HTTPClientError.Code)] = [
            (CURLE_COULDNT_CONNECT, .connectFailed), (CURLE_COULDNT_RESOLVE_HOST, .dnsFailed),
            (CURLE_OPERATION_TIMEDOUT, .timeout), (CURLE_PEER_FAILED_VERIFICATION, .tls),
            (CURLE_PARTIAL_FILE, .truncatedResponse), (CURLE_WEIRD_SERVER_REPLY, .invalidResponse),
            (CURLE_SEND_ERROR, .transport),
        ]
        for (curlCode, code) in cases {
            let error = HTTPClientError.transfer(curlCode, detail: "Failed to connect to 10.0.0.1 port 1")
            #expect(error.code == code)
            #expect(!error.description.contains("10.0.0.1"))
            #expect(error.debugDescription.contains("10.0.0.1"))
        }
        #expect(CurlCodeName.name(of: 28) == "CURLE_OPERATION_TIMEDOUT")
        #expect(CurlCodeName.name(of: 9999) == "CURLcode(9999)")
    }

    @Test func stateMachinePausesAFullBufferAndResumesOnlyWhatWasPaused() {
        var state = Transfer.StateMachine(body: .none, streamBufferBytes: 100)
        let piece = [UInt8](repeating: 7, count: 60)
        let first = piece.withUnsafeBytes { state.receiveBody($0) }
        #expect(first.0 == .accept)
        let second = piece.withUnsafeBytes { state.receiveBody($0) }
        #expect(second.0 == .pause)
        #expect(state.isReceivePaused && state.body.count == 60)
        let taken = state.takeBodyPiece()
        #expect(taken.needsResume)
        let recv = Int32(PHX_CURLPAUSE_RECV), send = Int32(PHX_CURLPAUSE_SEND)
        let resumed = state.resumeMask(recv: recv, send: send)
        let again = state.resumeMask(recv: recv, send: send)
        #expect(resumed == 0 && again == nil)
    }

    @Test func stateMachineCompletesOnceAndAFailureWinsOverBufferedBytes() {
        var state = Transfer.StateMachine(body: .none, streamBufferBytes: 100)
        _ = [UInt8](repeating: 1, count: 10).withUnsafeBytes { state.receiveBody($0) }
        _ = state.complete(.failure(.client(HTTPClientError(.truncatedResponse, "closed"))))
        _ = state.complete(.failure(.cancelled))
        guard case .failure(.client(let error))? = state.takeBodyPiece().result else {
            Issue.record("a failed transfer must not hand out its buffered bytes")
            return
        }
        #expect(error.code == .truncatedResponse)
    }

    @Test func stateMachineSendsAFixedBodyAndCanRewindIt() {
        var state = Transfer.StateMachine(body: .bytes([1, 2, 3, 4, 5]), streamBufferBytes: 100)
        var buffer = [UInt8](repeating: 0, count: 3)
        let first = buffer.withUnsafeMutableBytes { state.provideUpload(into: $0).0 }
        #expect(first == .bytes(3) && buffer == [1, 2, 3])
        let rewound = state.rewindUpload()
        #expect(rewound)
        let again = buffer.withUnsafeMutableBytes { state.provideUpload(into: $0).0 }
        #expect(again == .bytes(3) && buffer == [1, 2, 3])
        _ = buffer.withUnsafeMutableBytes { state.provideUpload(into: $0) }
        let end = buffer.withUnsafeMutableBytes { state.provideUpload(into: $0).0 }
        #expect(end == .endOfBody)
    }
}
