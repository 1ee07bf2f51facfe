import PhoenixArtifact
import Testing

/// Key bytes never reach descriptions, reflection or error messages.
@Suite struct KeyRedactionTests {
    static let secret = KeyringTests.keyA

    static func texts(of value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped, "\(Mirror(reflecting: value).children.map { "\($0)" })"]
    }

    /// Fragments that would betray the key: its base64 and hex, and its bytes as decimal lists.
    static func leaks(_ text: String) -> Bool {
        text.contains(String(secret.prefix(12))) || text.contains("000102030405") || text.contains("0, 1, 2, 3, 4")
    }

    @Test func keyShowsOnlyItsID() throws {
        let keyring = try Keyring(parsing: "k1 \(Self.secret)")
        let key = try #require(keyring.current)
        for text in Self.texts(of: key) + Self.texts(of: keyring) {
            #expect(!Self.leaks(text), "leaked: \(text)")
        }
        #expect(String(describing: key) == "ArtifactKey(k1, ***)")
        #expect(String(describing: keyring) == "Keyring(keys: [k1], current: k1)")
        #expect(Self.texts(of: key)[2].contains("k1"))
    }

    @Test func keyringErrorsDoNotEchoKeyText() {
        for text in ["k1 \(Self.secret)x", "k1 \(Self.secret) \(Self.secret)", "k1:\(Self.secret.dropLast(4))"] {
            do {
                _ = try Keyring(parsing: text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(!Self.leaks(error.description) && !Self.leaks(error.debugDescription), "leaked: \(error)")
            }
        }
    }

    @Test func artifactErrorsDescribeThemselvesWithoutSecrets() throws {
        let id = try ArtifactFixture.keyID("k1")
        let samples: [(ArtifactError, String)] = [
            (.notAnArtifact, "not a phoenix-dr artifact (bad magic)"),
            (.unsupportedVersion(9), "unsupported artifact format version 9"),
            (.corruptHeader(.chunkSizeOutOfRange(0)), "corrupt artifact header: chunk size 0 is out of range"),
            (.unknownKeyID(id), "the artifact is encrypted with key \"k1\", which is not in the keyring"),
            (.wrongKey(id), "the keyring's key \"k1\" is not the key this artifact was encrypted with"),
            (.tamperedChunk(index: 3), "chunk 3 failed authentication: the artifact was modified or corrupted"),
            (.missingChunk(index: 2), "chunk 2 is missing"),
            (.reorderedChunks(position: 1, holds: 2), "chunks are out of order: chunk 2 is stored where chunk 1 belongs"),
            (.duplicatedChunk(index: 1, position: 2), "chunk 1 appears again at position 2"),
            (.trailingData(afterChunk: 4), "unexpected data after the final chunk (chunk 4)"),
            (.truncated(.insideChunk(index: 2)), "the artifact is truncated: it ends inside chunk 2"),
            (.truncated(.beforeFinalChunk(afterChunks: 2)), "the artifact is truncated: it ends after 2 chunks, before its final chunk"),
            (.decompressionFailed("Unknown frame descriptor"), "decompression failed: Unknown frame descriptor"),
            (.keyringEntry(.environment(name: "PHOENIX_KEYRING"), line: 2, problem: .badBase64),
             "environment variable PHOENIX_KEYRING line 2: the key is not valid base64"),
        ]
        for (error, text) in samples {
            #expect(error.description == text)
            #expect(error.debugDescription.hasSuffix(text))
        }
        #expect(ArtifactError.tamperedChunk(index: 3).debugDescription == "ArtifactError.tamperedChunk: chunk 3 failed authentication: the artifact was modified or corrupted")
    }
}
