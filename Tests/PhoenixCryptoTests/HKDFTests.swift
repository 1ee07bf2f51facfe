import PhoenixCrypto
import Testing

@Suite struct HKDFTests {
    @Test func matchesRFC5869TestCase1() throws {
        let okm = try HKDF.sha256(
            inputKey: [UInt8](repeating: 0x0b, count: 22),
            salt: Array(0x00...0x0c) as [UInt8],
            info: Array(0xf0...0xf9) as [UInt8],
            outputCount: 42
        )
        #expect(okm == HexFixture.bytes("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
    }

    @Test func matchesRFC5869TestCase2WithLongInputs() throws {
        let okm = try HKDF.sha256(
            inputKey: Array(0x00...0x4f) as [UInt8],
            salt: Array(0x60...0xaf) as [UInt8],
            info: Array(0xb0...0xff) as [UInt8],
            outputCount: 82
        )
        #expect(okm == HexFixture.bytes("""
            b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c
            59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71
            cc30c58179ec3e87c14c01d5c1f3434f1d87
            """))
    }

    @Test func matchesRFC5869TestCase3WithEmptySaltAndInfo() throws {
        let okm = try HKDF.sha256(inputKey: [UInt8](repeating: 0x0b, count: 22), salt: [UInt8](), info: [UInt8](), outputCount: 42)
        #expect(okm == HexFixture.bytes("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"))
    }

    @Test func emptyInputKeyIsAllowed() throws {
        // Python reference implementation of RFC 5869 with IKM = b"".
        let okm = try HKDF.sha256(inputKey: [UInt8](), salt: Array("salt".utf8), info: Array("info".utf8), outputCount: 32)
        #expect(Hex.encode(okm) == "7aac7b8120501c2c8e1ee50e6cde135361e99ceb9d8d406ac528b9e9175614c0")
    }

    @Test func distinctInfoLabelsGiveIndependentKeys() throws {
        let master = [UInt8](repeating: 7, count: 32)
        let salt = [UInt8](repeating: 1, count: 32)
        let a = try HKDF.sha256(inputKey: master, salt: salt, info: Array("a".utf8), outputCount: 32)
        let b = try HKDF.sha256(inputKey: master, salt: salt, info: Array("b".utf8), outputCount: 32)
        #expect(a != b)
    }

    @Test(arguments: [0, -1, 255 * 32 + 1])
    func outputCountOutsideTheRFCLimitIsRefused(count: Int) {
        #expect(throws: CryptoError.invalidOutputCount(count)) {
            try HKDF.sha256(inputKey: [1, 2, 3], salt: [UInt8](), info: [UInt8](), outputCount: count)
        }
    }

    @Test func maximumOutputCountIsAccepted() throws {
        let okm = try HKDF.sha256(inputKey: [1, 2, 3], salt: [UInt8](), info: [UInt8](), outputCount: HKDF.maximumOutputCount)
        #expect(okm.count == 8160)
    }
}
