import PhoenixCrypto
import Testing

@Suite struct SHA256HasherTests {
    static let sample: [UInt8] = (0..<100_000).map { UInt8($0 % 251) }

    @Test func emptyHasherGivesTheDigestOfNothing() {
        var hasher = SHA256.Hasher()
        #expect(Hex.encode(hasher.finalize()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abcMatchesFIPS180Example() {
        var hasher = SHA256.Hasher()
        hasher.update(Array("a".utf8))
        hasher.update(Array("bc".utf8))
        #expect(Hex.encode(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test(arguments: [1, 7, 64, 1000, 65_537])
    func piecesInAnySizeGiveTheOneShotDigest(pieceSize: Int) {
        var hasher = SHA256.Hasher()
        var offset = 0
        while offset < Self.sample.count {
            let end = min(offset + pieceSize, Self.sample.count)
            Self.sample[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
        }
        let digest = hasher.finalize()
        #expect(Hex.encode(digest) == "cd2df694e424bc7968cc37f47751019e5ca0cd1bdf2e479ea537c3a1c32ee1aa")
        #expect(digest == SHA256.digest(Self.sample))
    }

    @Test func finalizeStartsOverEmpty() {
        var hasher = SHA256.Hasher()
        hasher.update(Array("first".utf8))
        _ = hasher.finalize()
        hasher.update(Array("abc".utf8))
        #expect(hasher.finalize() == SHA256.digest(Array("abc".utf8)))
    }

    @Test func sliceAndNonContiguousInputsAreHashedByValue() {
        var hasher = SHA256.Hasher()
        hasher.update(Self.sample[10..<20])
        hasher.update(Self.sample[20..<30].lazy.map { $0 })
        #expect(hasher.finalize() == SHA256.digest(Self.sample[10..<30]))
    }
}
