import HTTPTypes

/// Serialises a response head and body into one buffer, so it leaves in one write where it fits.
enum ResponseEncoder {
    /// What the connection decided about this exchange.
    struct Framing {
        var version: HTTPVersion
        var isHead: Bool
        var keepAlive: Bool
    }

    static func encode(_ response: Response, framing: Framing, date: [UInt8], into buffer: inout [UInt8]) {
        let status = response.status
        let bodyAllowed = !(100..<200).contains(status.code) && status.code != 204 && status.code != 304
        buffer.reserveCapacity(buffer.count + 256 + response.body.count)
        buffer.append(contentsOf: framing.version == .http1_0 ? "HTTP/1.0 ".utf8 : "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &buffer)
        buffer.append(ASCII.space)
        buffer.append(contentsOf: status.reasonPhrase.utf8)
        buffer.append(contentsOf: "\r\n".utf8)
        for field in response.headerFields {
            buffer.append(contentsOf: field.name.rawName.utf8)
            buffer.append(contentsOf: ": ".utf8)
            buffer.append(contentsOf: field.value.utf8)
            buffer.append(contentsOf: "\r\n".utf8)
        }
        if bodyAllowed || status.code == 304 {
            buffer.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &buffer)
            buffer.append(contentsOf: "\r\n".utf8)
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
        if bodyAllowed && !framing.isHead {
            buffer.append(contentsOf: response.body)
        }
    }

    /// The interim `100 Continue` of RFC 9110 §10.1.1.
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        guard value > 0 else {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        var digits: [UInt8] = []
        var rest = value
        while rest > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        buffer.append(contentsOf: digits.reversed())
    }
}
