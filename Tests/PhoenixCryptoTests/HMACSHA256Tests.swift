import PhoenixCrypto
import Testing

@Suite struct HMACSHA256Tests {
    /// RFC 4231 §4.2–4.8, HMAC-SHA-256 column (case 5 is compared on its 128-bit truncation).
    static let rfc4231: [(key: [UInt8], data: [UInt8], mac: String)] = [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
         "a3b6167473100ee06e0c796c2955552b"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: 0..<7)
    func matchesRFC4231TestCase(index: Int) {
        let vector = Self.rfc4231[index]
        let mac = HMACSHA256.authenticate(vector.data, key: vector.key)
        #expect(mac.count == 32)
        let expected = HexFixture.bytes(vector.mac)
        #expect(Array(mac.prefix(expected.count)) == expected)
    }

    @Test func emptyKeyAndMessageGiveTheReferenceValue() {
        // Python: hmac.new(b"", b"", hashlib.sha256).hexdigest()
        let mac = HMACSHA256.authenticate([UInt8](), key: [UInt8]())
        #expect(Hex.encode(mac) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func nonContiguousCollectionsGiveTheSameMACAsArrays() {
        let key = Array("Jefe".utf8)
        let data = Array("what do ya want for nothing?".utf8)
        let lazyMAC = HMACSHA256.authenticate(data.lazy.map { $0 }, key: key.reversed().reversed())
        #expect(lazyMAC == HMACSHA256.authenticate(data, key: key))
    }
}
