import Logging
import PhoenixHTTP
import Synchronization
import Testing

/// The deferred handler writes exactly what swift-log's stream handler writes for the same
/// logger: its own metadata, the provider's and the line's, later ones winning a key, and an
/// error's message and type.
@Suite struct DeferredMetadataLogHandlerTests {
    @Test func linesMatchTheStreamHandlersWithCollidingKeysAProviderAndAnError() throws {
        let provider = Logger.MetadataProvider { ["layer": "provider", "provided": "yes"] }
        let plainText = Captured(), deferredText = Captured()
        var plain = Logger(label: "t") { _ in StreamLogHandler(label: "t", stream: plainText, metadataProvider: provider) }
        var deferred = Logger(label: "t") { _ in
            DeferredMetadataLogHandler(StreamLogHandler(label: "t", stream: deferredText, metadataProvider: provider))
        }
        plain[metadataKey: "layer"] = "logger"
        plain[metadataKey: "request.id"] = "r-1"
        deferred[metadataKey: "layer"] = "logger"
        deferred[metadataKey: "request.id"] = "r-1"
        plain.logLevel = .debug
        deferred.logLevel = .debug

        struct Broken: Error {}
        for logger in [plain, deferred] {
            logger.info("plain")
            logger.warning("with metadata", metadata: ["layer": "line", "http.status": "503"])
            logger.error("with an error", error: Broken())
            logger.trace("below the level")
        }
        let plainLines = plainText.lines, deferredLines = deferredText.lines
        #expect(plainLines.count == 3)
        #expect(deferredLines == plainLines)
        // The winners, so an equal but wrong pair of lines cannot pass.
        #expect(plainLines[0].contains("layer=provider"), "\(plainLines[0])")
        #expect(plainLines[1].contains("layer=line") && plainLines[1].contains("http.status=503"), "\(plainLines[1])")
        #expect(plainLines[2].contains("error.type=") && plainLines[2].contains("request.id=r-1"), "\(plainLines[2])")
    }
}

/// A stream that keeps what is written, without the leading timestamp (it may tick between two
/// handlers' lines).
private final class Captured: TextOutputStream, Sendable {
    private let text = Mutex("")

    func write(_ string: String) {
        text.withLock { $0 += string }
    }

    var lines: [String] {
        text.withLock { $0 }.split(separator: "\n").map { line in String(line.drop { $0 != " " }) }
    }
}
