/// The HTTP/2 client connection preface (RFC 9113 §3.4), which starts an h2c connection with
/// prior knowledge. Its first line is not a valid HTTP/1.1 request line, so a plain listener can
/// tell the protocols apart from the first 24 bytes.
package enum ConnectionPreface {
    /// `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`.
    package static let bytes: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// What the bytes received so far say.
    package enum Match: Equatable {
        /// The whole preface arrived.
        case http2
        /// A byte differs: this is not HTTP/2 (HTTP/1.1, or garbage the HTTP/1 parser rejects).
        case http1
        /// Every byte so far matches, but the preface is not complete yet.
        case undecided
    }

    /// Compares the first bytes of a connection with the preface.
    package static func match<Bytes: Collection<UInt8>>(_ received: Bytes) -> Match {
        var count = 0
        for (byte, expected) in zip(received, bytes) {
            guard byte == expected else { return .http1 }
            count += 1
        }
        return count == bytes.count ? .http2 : .undecided
    }
}
