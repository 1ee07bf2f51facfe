import HTTPTypes

/// Serialises a response head and body into one buffer, so it leaves in one write where it fits.
package enum ResponseEncoder {
    /// What the connection decided about this exchange.
    struct Framing {
        var version: HTTPVersion
        var isHead: Bool
        var keepAlive: Bool
    }

    /// How the body's end is marked on the wire.
    enum BodyDelimiter {
        case length(Int)
        case chunked
        /// HTTP/1.0 has no chunked coding: the body ends when the connection closes.
        case close
    }

    /// Encodes a response whose body is in memory: head and body in one buffer.
    static func encode(_ response: Response, body: [UInt8], framing: Framing, date: [UInt8], into buffer: inout [UInt8]) {
        let sendsBody = encodeHead(response, delimiter: .length(body.count), framing: framing, date: date, into: &buffer)
        if sendsBody { buffer.append(contentsOf: body) }
    }

    /// Encodes the status line and fields; returns whether a body may follow on the wire.
    @discardableResult
    static func encodeHead(_ response: Response, delimiter: BodyDelimiter, framing: Framing, date: [UInt8], into buffer: inout [UInt8]) -> Bool {
        let status = response.status
        let bodyAllowed = !(100..<200).contains(status.code) && status.code != 204 && status.code != 304
        buffer.reserveCapacity(buffer.count + 256)
        // RFC 9110 §6.2: the server answers with its own version, 1.1, also to a 1.0 client.
        buffer.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &buffer)
        buffer.append(ASCII.space)
        buffer.append(contentsOf: status.reasonPhrase.utf8)
        buffer.append(contentsOf: "\r\n".utf8)
        for field in response.headerFields where !isServerOwned(field.name) {
            buffer.append(contentsOf: field.name.rawName.utf8)
            buffer.append(contentsOf: ": ".utf8)
            buffer.append(contentsOf: field.value.utf8)
            buffer.append(contentsOf: "\r\n".utf8)
        }
        if bodyAllowed || status.code == 304 {
            switch delimiter {
            case .length(let count):
                buffer.append(contentsOf: "Content-Length: ".utf8)
                appendDecimal(count, to: &buffer)
                buffer.append(contentsOf: "\r\n".utf8)
            case .chunked:
                buffer.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
            case .close:
                break
            }
        }
        buffer.append(contentsOf: "Date: ".utf8)
        buffer.append(contentsOf: date)
        buffer.append(contentsOf: "\r\n".utf8)
        if !framing.keepAlive {
            buffer.append(contentsOf: "Connection: close\r\n".utf8)
        } else if framing.version == .http1_0 {
            buffer.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        buffer.append(contentsOf: "\r\n".utf8)
        return bodyAllowed && !framing.isHead
    }

    /// Framing fields the server writes itself: a handler's copy would contradict the real one.
    private static func isServerOwned(_ name: HTTPField.Name) -> Bool {
        switch name {
        case .contentLength, .transferEncoding, .connection, .date: true
        default: false
        }
    }

    /// One piece of a chunked body (RFC 9112 §7.1): size in hex, CRLF, data, CRLF.
    static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        var framed = Array(String(bytes.count, radix: 16).utf8)
        framed.reserveCapacity(framed.count + bytes.count + 4)
        framed.append(contentsOf: "\r\n".utf8)
        framed.append(contentsOf: bytes)
        framed.append(contentsOf: "\r\n".utf8)
        return framed
    }

    /// The last chunk with an empty trailer section.
    static let lastChunk = Array("0\r\n\r\n".utf8)

    /// The interim `100 Continue` of RFC 9110 §10.1.1.
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends `value` (a status or a length, never negative: below 0 counts as 0) as decimal
    /// digits, in place, with no `String` made for it. HTTP/2 response heads use it too.
    package static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        let start = buffer.count
        var rest = max(value, 0)
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        buffer[start...].reverse()
    }
}
