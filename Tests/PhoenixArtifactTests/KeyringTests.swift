import FoundationEssentials
import PhoenixArtifact
import Testing

@Suite struct KeyringTests {
    /// base64 of 32 bytes 0x00...0x1f and of 32 bytes 0xff.
    static let keyA = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let keyB = "//////////////////////////////////////////8="

    @Test func parsesBothEntryFormsCommentsAndBlankLines() throws {
        let text = """
            # phoenix-dr keyring
            2025-06 \(Self.keyA)

            \t2026-01:\(Self.keyB)\r
            """
        let keyring = try Keyring(parsing: text)
        #expect(keyring.keyIDs.map(\.rawValue) == ["2025-06", "2026-01"])
        #expect(keyring.currentKeyID?.rawValue == "2026-01")
        #expect(keyring.current?.id.rawValue == "2026-01")
        #expect(keyring.key(for: try ArtifactFixture.keyID("2025-06")) != nil)
        #expect(keyring.key(for: try ArtifactFixture.keyID("1999")) == nil)
    }

    @Test(arguments: [
        ("k1 \(keyA)\nk2 \(keyA)!", 2, ArtifactError.KeyringProblem.badBase64),
        ("k1 \(keyA)\n\nk2 QUJD", 3, .wrongKeyLength(3)),
        ("# c\nk1 \(keyA)\nk1 \(keyB)", 3, .duplicateKeyID(ArtifactKeyID(rawValue: "k1")!)),
        ("bad/id \(keyA)", 1, .invalidKeyID),
        (":\(keyA)", 1, .invalidKeyID),
        ("k1 \(keyA) extra", 1, .malformed),
        ("just-an-id", 1, .malformed),
        ("k1 AAEC AwQF", 1, .malformed),
        ("k1 \(keyA.filter { $0 != "=" })", 1, .badBase64),
    ])
    func malformedLineIsReportedWithItsNumber(text: String, line: Int, problem: ArtifactError.KeyringProblem) {
        #expect(throws: ArtifactError.keyringEntry(.text, line: line, problem: problem)) {
            try Keyring(parsing: text)
        }
    }

    @Test(arguments: ["", "   \n\n", "# only a comment\n"])
    func keyringWithoutKeysIsRefused(text: String) {
        #expect(throws: ArtifactError.keyringEmpty(.environment(name: "PHOENIX_KEYRING"))) {
            try Keyring(environmentValue: text, variableName: "PHOENIX_KEYRING")
        }
    }

    @Test func environmentValueTakesASingleIDColonKey() throws {
        let keyring = try Keyring(environmentValue: "prod-1:\(Self.keyA)", variableName: "PHOENIX_KEYRING")
        #expect(keyring.currentKeyID?.rawValue == "prod-1")
        #expect(throws: ArtifactError.keyringEntry(.environment(name: "PHOENIX_KEYRING"), line: 1, problem: .badBase64)) {
            try Keyring(environmentValue: "prod-1:not*base64!", variableName: "PHOENIX_KEYRING")
        }
    }

    @Test func programmaticKeyringsCheckIDs() throws {
        let a = try ArtifactFixture.key("a", fill: 1)
        let b = try ArtifactFixture.key("b", fill: 2)
        #expect(try Keyring(keys: [a, b], currentKeyID: a.id).current?.id == a.id)
        #expect(throws: ArtifactError.duplicateKeyID(a.id)) { try Keyring(keys: [a, b, a]) }
        #expect(throws: ArtifactError.unknownCurrentKey(try ArtifactFixture.keyID("c"))) {
            try Keyring(keys: [a, b], currentKeyID: ArtifactFixture.keyID("c"))
        }
        #expect(throws: ArtifactError.invalidKeyLength(31)) {
            try ArtifactKey(id: ArtifactFixture.keyID("x"), material: [UInt8](repeating: 0, count: 31))
        }
        #expect(Keyring.empty.current == nil)
        let pinned = try Keyring(keys: [a, b]).withCurrentKey(a.id)
        #expect(pinned.current?.id == a.id)
        #expect(pinned.keyIDs == [a.id, b.id])
        #expect(throws: ArtifactError.unknownCurrentKey(try ArtifactFixture.keyID("c"))) {
            try Keyring(keys: [a]).withCurrentKey(ArtifactFixture.keyID("c"))
        }
    }

    @Test func keyringLineOfARandomKeyParsesBack() throws {
        let key = try ArtifactKey.makeRandom(id: ArtifactFixture.keyID("fresh"))
        let keyring = try Keyring(parsing: key.keyringLine())
        let sealed = try ArtifactFixture.seal([1, 2, 3], key: key)
        #expect(ArtifactFixture.open(sealed.bytes, keyring: keyring).plaintext == [1, 2, 3])
    }

    @Test func rotatedKeyringReadsOldAndNewArtifacts() throws {
        let old = try ArtifactFixture.key("2025-06", fill: 0xA0)
        let new = try ArtifactFixture.key("2026-01", fill: 0xB0)
        let before = try Keyring(keys: [old])
        let after = try Keyring(keys: [old, new])
        #expect(after.current?.id == new.id)

        let plaintext = ArtifactFixture.plaintext(count: 300)
        let oldArtifact = try ArtifactFixture.seal(plaintext, key: before.current)
        let newArtifact = try ArtifactFixture.seal(plaintext, key: after.current)
        #expect(oldArtifact.header.keyID == old.id)
        #expect(newArtifact.header.keyID == new.id)
        #expect(ArtifactFixture.open(oldArtifact.bytes, keyring: after).plaintext == plaintext)
        #expect(ArtifactFixture.open(newArtifact.bytes, keyring: after).plaintext == plaintext)
        // A region that has not received the new key yet says exactly that.
        #expect(ArtifactFixture.open(newArtifact.bytes, keyring: before).error == .unknownKeyID(new.id))
    }
}
