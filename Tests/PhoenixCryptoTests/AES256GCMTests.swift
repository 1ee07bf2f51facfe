import PhoenixCrypto
import Testing

@Suite struct AES256GCMTests {
    /// McGrew–Viega "The Galois/Counter Mode of Operation", Test Case 16 (AES-256, 60-byte
    /// plaintext, 20-byte AAD), the vector NIST's GCM validation suite also carries.
    static let key = HexFixture.bytes("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
    static let nonce = HexFixture.bytes("cafebabefacedbaddecaf888")
    static let aad = HexFixture.bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    static let plaintext = HexFixture.bytes("""
        d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
        1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39
        """)
    static let ciphertext = HexFixture.bytes("""
        522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
        8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662
        """)
    static let tag = HexFixture.bytes("76fc6ece0f4e1768cddf8853bb2d551b")

    @Test func sealMatchesTestCase16() throws {
        let gcm = try AES256GCM(key: Self.key)
        let sealed = try gcm.seal(Self.plaintext, nonce: Self.nonce, authenticating: Self.aad)
        #expect(sealed == Self.ciphertext + Self.tag)
    }

    @Test func openRecoversTestCase16Plaintext() throws {
        let gcm = try AES256GCM(key: Self.key)
        #expect(try gcm.open(Self.ciphertext + Self.tag, nonce: Self.nonce, authenticating: Self.aad) == Self.plaintext)
    }

    @Test func zeroKeyVectorsOfTestCases13And14() throws {
        let gcm = try AES256GCM(key: [UInt8](repeating: 0, count: 32))
        let zeroNonce = [UInt8](repeating: 0, count: 12)
        #expect(try gcm.seal([UInt8](), nonce: zeroNonce, authenticating: [UInt8]())
            == HexFixture.bytes("530f8afbc74536b9a963b4f1c4cb738b"))
        #expect(try gcm.seal([UInt8](repeating: 0, count: 16), nonce: zeroNonce, authenticating: [UInt8]())
            == HexFixture.bytes("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"))
    }

    @Test(arguments: [0, 10, 59, 60, 62, 75])
    func anyFlippedBitFailsAndYieldsNoPlaintext(position: Int) throws {
        let gcm = try AES256GCM(key: Self.key)
        var sealed = Self.ciphertext + Self.tag
        sealed[position] ^= 0x01
        var output: [UInt8] = [9, 9]
        #expect(throws: CryptoError.authenticationFailed) {
            try sealed.withUnsafeBytes { raw in
                try gcm.open(raw, nonce: Self.nonce, authenticating: Self.aad, appendingTo: &output)
            }
        }
        #expect(output == [9, 9])
    }

    @Test func wrongAADOrNonceOrKeyFails() throws {
        let gcm = try AES256GCM(key: Self.key)
        let sealed = Self.ciphertext + Self.tag
        #expect(throws: CryptoError.authenticationFailed) {
            try gcm.open(sealed, nonce: Self.nonce, authenticating: Self.aad.dropLast())
        }
        var otherNonce = Self.nonce
        otherNonce[11] ^= 0x80
        #expect(throws: CryptoError.authenticationFailed) {
            try gcm.open(sealed, nonce: otherNonce, authenticating: Self.aad)
        }
        var otherKey = Self.key
        otherKey[0] ^= 1
        #expect(throws: CryptoError.authenticationFailed) {
            try AES256GCM(key: otherKey).open(sealed, nonce: Self.nonce, authenticating: Self.aad)
        }
    }

    @Test func oneContextServesManySealsAndOpensInTurn() throws {
        let gcm = try AES256GCM(key: Self.key)
        for round in 0..<20 {
            var nonce = Self.nonce
            nonce[11] = UInt8(round)
            let message = [UInt8](repeating: UInt8(round), count: round * 37)
            let sealed = try gcm.seal(message, nonce: nonce, authenticating: [UInt8(round)])
            #expect(sealed.count == message.count + AES256GCM.tagCount)
            // A failed open in between must not disturb the context.
            #expect(throws: CryptoError.authenticationFailed) {
                try gcm.open(sealed, nonce: nonce, authenticating: [UInt8(round &+ 1)])
            }
            #expect(try gcm.open(sealed, nonce: nonce, authenticating: [UInt8(round)]) == message)
        }
        #expect(try gcm.seal(Self.plaintext, nonce: Self.nonce, authenticating: Self.aad) == Self.ciphertext + Self.tag)
    }

    @Test func sealAppendsAfterExistingOutput() throws {
        let gcm = try AES256GCM(key: Self.key)
        var output: [UInt8] = [1, 2, 3]
        try Self.plaintext.withUnsafeBytes { raw in
            try gcm.seal(raw, nonce: Self.nonce, authenticating: Self.aad, appendingTo: &output)
        }
        #expect(output == [1, 2, 3] + Self.ciphertext + Self.tag)
    }

    /// A chunk-sized message, longer than the 64 KiB block the tail's zeros are copied from.
    @Test func aLongMessageAppendedAfterOutputRoundTrips() throws {
        let gcm = try AES256GCM(key: Self.key)
        let message = (0..<(300_000 + 7)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var sealed: [UInt8] = [7]
        try message.withUnsafeBytes { raw in
            try gcm.seal(raw, nonce: Self.nonce, authenticating: Self.aad, appendingTo: &sealed)
        }
        #expect(sealed.count == 1 + message.count + AES256GCM.tagCount)
        var opened: [UInt8] = [8, 9]
        try sealed.withUnsafeBytes { raw in
            try gcm.open(UnsafeRawBufferPointer(rebasing: raw[1...]), nonce: Self.nonce, authenticating: Self.aad, appendingTo: &opened)
        }
        #expect(opened == [8, 9] + message)
    }

    /// The tail is zero-filled even where the array's storage held other bytes, and handed over
    /// whole.
    @Test func anAppendedTailIsZeroed() {
        var output = [UInt8](repeating: 0xFF, count: 1 << 20)
        output.removeAll(keepingCapacity: true)
        output += [1, 2, 3]
        let count = (1 << 20) - 3  // fits the storage that held 0xFF
        let seen = output.appendUninitializedTail(count: count) { tail in
            let zeroed = tail.allSatisfy { $0 == 0 }
            tail.storeBytes(of: 0xAB, toByteOffset: count - 1, as: UInt8.self)
            return (tail.count, zeroed)
        }
        #expect(seen.0 == count && seen.1)
        #expect(output.count == 3 + count)
        #expect(output[..<3] == [1, 2, 3] && output.last == 0xAB)
    }

    /// The array grows to what it needs: a 1 MiB chunk appended to a header must not leave a
    /// 2 MiB buffer behind; small appends past the end still grow geometrically.
    @Test func anAppendedTailReservesWhatItNeeds() {
        var output: [UInt8] = [1, 2, 3]
        let count = 1 << 20
        output.appendUninitializedTail(count: count) { _ in }
        #expect(output.count == 3 + count)
        #expect(output.capacity < count + count / 2, "capacity \(output.capacity) for \(output.count) bytes")

        var small: [UInt8] = [0]
        var reallocations = 0
        for _ in 0..<1_000 {
            let before = small.capacity
            small.appendUninitializedTail(count: 7) { $0.storeBytes(of: 0x5A, toByteOffset: 6, as: UInt8.self) }
            if small.capacity != before { reallocations += 1 }
        }
        #expect(small.count == 7_001 && small.last == 0x5A && small[1...6].allSatisfy { $0 == 0 })
        #expect(reallocations < 20, "\(reallocations) reallocations for 1,000 appends")
    }

    @Test func malformedInputsAreRefused() throws {
        #expect(throws: CryptoError.invalidKeySize(expected: 32, actual: 16)) {
            try AES256GCM(key: [UInt8](repeating: 0, count: 16))
        }
        let gcm = try AES256GCM(key: Self.key)
        #expect(throws: CryptoError.invalidNonceSize(expected: 12, actual: 16)) {
            try gcm.seal([UInt8](), nonce: [UInt8](repeating: 0, count: 16), authenticating: [UInt8]())
        }
        #expect(throws: CryptoError.sealedBufferTooShort(15)) {
            try gcm.open([UInt8](repeating: 0, count: 15), nonce: Self.nonce, authenticating: [UInt8]())
        }
    }

    @Test func errorDescriptionsNameNoSecrets() {
        #expect(CryptoError.authenticationFailed.description == "authentication failed")
        #expect(CryptoError.library(operation: "EVP_CipherUpdate", code: 0x1c800066).description
            == "cryptographic operation EVP_CipherUpdate failed")
        #expect(CryptoError.library(operation: "EVP_CipherUpdate", code: 0x1c800066).debugDescription.contains("1c800066"))
    }
}
