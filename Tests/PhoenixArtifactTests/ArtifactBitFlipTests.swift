import PhoenixArtifact
import Testing

/// Random damage, replayed from fixed seeds: no flipped bit and no cut ever reads as success,
/// and whatever was emitted before the failure is a true prefix of the plaintext.
@Suite struct ArtifactBitFlipTests {
    static let modes: [(encrypted: Bool, compression: ArtifactCompression)] = [
        (true, .none), (true, .zstd), (false, .none), (false, .zstd),
    ]

    @Test(arguments: 0..<4)
    func randomSingleBitFlipsNeverSucceed(mode: Int) throws {
        let (encrypted, compression) = Self.modes[mode]
        let key = try ArtifactFixture.key("k1", fill: 0x5a)
        let keyring = try Keyring(keys: [key])
        var generator = SeededGenerator(seed: 0xB17F_11B5 + UInt64(mode))
        for _ in 0..<100 {
            let plaintext = ArtifactFixture.plaintext(count: Int.random(in: 0...400, using: &generator), seed: generator.next())
            var bytes = try ArtifactFixture.seal(plaintext, key: encrypted ? key : nil, compression: compression).bytes
            let bit = Int.random(in: 0..<(bytes.count * 8), using: &generator)
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            let opened = ArtifactFixture.open(bytes, keyring: keyring, pieceSize: Int.random(in: 1...200, using: &generator))
            #expect(opened.error != nil, "bit \(bit) of \(bytes.count) bytes went unnoticed")
            // Compressed or not, output only ever comes from authenticated chunks.
            #expect(plaintext.starts(with: opened.plaintext))
        }
    }

    @Test(arguments: 0..<4)
    func randomCutsNeverSucceed(mode: Int) throws {
        let (encrypted, compression) = Self.modes[mode]
        let key = try ArtifactFixture.key("k1", fill: 0x5a)
        let keyring = try Keyring(keys: [key])
        var generator = SeededGenerator(seed: 0xC075 + UInt64(mode))
        for _ in 0..<50 {
            let plaintext = ArtifactFixture.plaintext(count: Int.random(in: 0...400, using: &generator), seed: generator.next())
            let bytes = try ArtifactFixture.seal(plaintext, key: encrypted ? key : nil, compression: compression).bytes
            let cut = Int.random(in: 0..<bytes.count, using: &generator)
            let opened = ArtifactFixture.open(Array(bytes.prefix(cut)), keyring: keyring)
            #expect(opened.error != nil, "cut at \(cut) of \(bytes.count) bytes went unnoticed")
            let known = ArtifactFixture.open(Array(bytes.prefix(cut)), keyring: keyring, expectedStoredByteCount: bytes.count)
            if case .truncated = known.error {} else { Issue.record("cut at \(cut): \(String(describing: known.error))") }
        }
    }
}
