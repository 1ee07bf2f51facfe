/// An incremental decoder of the chunked transfer coding (RFC 9112 §7.1), trailers included.
///
/// Trailer fields are checked for syntax and size, then dropped: none of our handlers uses them,
/// and RFC 9110 §6.5.1 forbids merging them into the header fields blindly.
struct ChunkedBodyDecoder: Sendable {
    private enum State: Sendable {
        case size(value: Int, digits: Int)
        case extensions(value: Int, length: Int)
        case sizeLF(value: Int)
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailerLine(length: Int)
        case trailerLF(length: Int)
        case done
    }

    private var state = State.size(value: 0, digits: 0)
    private var trailerBytes = 0
    private var trailerLine: [UInt8] = []
    private let limits: HTTPLimits

    init(limits: HTTPLimits) {
        self.limits = limits
    }

    var isDone: Bool {
        if case .done = state { true } else { false }
    }

    /// Consumes bytes, appending chunk data to `body`; returns how many bytes were used.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, into body: inout [UInt8]) throws(HTTPParseError) -> Int {
        var index = 0
        while index < bytes.count {
            if case .data(let remaining) = state {
                let take = min(remaining, bytes.count - index)
                body.append(contentsOf: bytes[index..<(index + take)])
                index += take
                state = remaining == take ? .dataCR : .data(remaining: remaining - take)
                continue
            }
            try step(bytes[index], body: body)
            index += 1
            if isDone { break }
        }
        return index
    }

    private mutating func step(_ byte: UInt8, body: [UInt8]) throws(HTTPParseError) {
        switch state {
        case .size(let value, let digits):
            if let digit = Self.hexValue(byte) {
                // 15 significant hex digits already exceed any body limit; more would overflow.
                // Leading zeros are valid and do not count.
                let significant = value == 0 && digit == 0 ? 0 : digits + 1
                guard significant < 15 else { throw .badRequest("chunk size too large") }
                state = .size(value: value << 4 | digit, digits: max(significant, 1))
            } else {
                guard digits > 0 else { throw .badRequest("invalid chunk size") }
                guard body.count + value <= limits.maxBodyBytes else { throw .bodyTooLarge }
                switch byte {
                case ASCII.cr: state = .sizeLF(value: value)
                case ASCII.semicolon, ASCII.space, ASCII.tab: state = .extensions(value: value, length: 1)
                default: throw .badRequest("invalid chunk size")
                }
            }
        case .extensions(let value, let length):
            // Chunk extensions are ignored, but bounded: they cost memory-free time only.
            guard length < 4096 else { throw .badRequest("chunk extension too long") }
            if byte == ASCII.cr { state = .sizeLF(value: value) }
            else if byte == ASCII.lf || (byte < 0x20 && byte != ASCII.tab) { throw .badRequest("invalid chunk extension") }
            else { state = .extensions(value: value, length: length + 1) }
        case .sizeLF(let value):
            guard byte == ASCII.lf else { throw .badRequest("chunk size line without LF") }
            state = value == 0 ? .trailerLine(length: 0) : .data(remaining: value)
        case .data:
            preconditionFailure("data is consumed in bulk by decode(_:into:)")
        case .dataCR:
            guard byte == ASCII.cr else { throw .badRequest("chunk data longer than its size") }
            state = .dataLF
        case .dataLF:
            guard byte == ASCII.lf else { throw .badRequest("chunk data without CRLF") }
            state = .size(value: 0, digits: 0)
        case .trailerLine(let length):
            try trailer(byte, length: length)
        case .trailerLF(let length):
            guard byte == ASCII.lf else { throw .badRequest("bare CR in trailer") }
            if length == 0 {
                state = .done
            } else {
                _ = try RequestHeadParser.splitField(trailerLine.withUnsafeBytes { $0[...] })
                trailerLine.removeAll(keepingCapacity: true)
                state = .trailerLine(length: 0)
            }
        case .done:
            break
        }
    }

    private mutating func trailer(_ byte: UInt8, length: Int) throws(HTTPParseError) {
        trailerBytes += 1
        guard trailerBytes <= limits.maxHeaderBlockBytes else { throw .headerBlockTooLarge }
        switch byte {
        case ASCII.cr: state = .trailerLF(length: length)
        case ASCII.lf: throw .badRequest("bare LF in trailer")
        default:
            trailerLine.append(byte)
            state = .trailerLine(length: length + 1)
        }
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
