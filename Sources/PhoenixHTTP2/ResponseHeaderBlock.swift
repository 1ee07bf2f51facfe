import CNGHTTP2
import HTTPTypes
import PhoenixHTTP

/// A response head as nghttp2 name/value pairs: `:status`, the handler's fields (lower-case,
/// without connection-specific ones, RFC 9113 §8.2.2), `content-length` and `date`.
struct ResponseHeaderBlock {
    private var storage: [UInt8] = []
    private var spans: [(name: Range<Int>, value: Range<Int>)] = []

    /// An interim head (`100 Continue`): the status alone.
    init(status: Int) {
        self.init(status: status, fieldCount: 0)
    }

    init(status: Int, fields: HTTPFields, contentLength: Int?, date: [UInt8]) {
        self.init(status: status, fieldCount: fields.count + 2)
        for field in fields where !Self.isExcluded(field.name) {
            append(name: field.name.canonicalName.utf8, value: field.value.utf8)
        }
        if let contentLength { appendDecimal(name: "content-length".utf8, contentLength) }
        append(name: "date".utf8, value: date)
    }

    /// Room for the status and `fieldCount` more fields reserved once: this runs for every
    /// response, and growing the two arrays field by field cost more than filling them.
    private init(status: Int, fieldCount: Int) {
        storage.reserveCapacity(64 + 48 * fieldCount)
        spans.reserveCapacity(1 + fieldCount)
        appendDecimal(name: ":status".utf8, status)
    }

    private mutating func append(name: some Collection<UInt8>, value: some Collection<UInt8>) {
        let nameStart = storage.count
        storage.append(contentsOf: name)
        let valueStart = storage.count
        storage.append(contentsOf: value)
        spans.append((nameStart..<valueStart, valueStart..<storage.count))
    }

    /// A field whose value is a non-negative number, written as decimal digits in place
    /// (no `String` made for it).
    private mutating func appendDecimal(name: some Collection<UInt8>, _ value: Int) {
        let nameStart = storage.count
        storage.append(contentsOf: name)
        let valueStart = storage.count
        ResponseEncoder.appendDecimal(value, to: &storage)
        spans.append((nameStart..<valueStart, valueStart..<storage.count))
    }

    /// Fields the server owns (framing, date) or that HTTP/2 forbids (connection-specific).
    /// Switching on the length first keeps this to one string comparison at most per field.
    private static func isExcluded(_ name: HTTPField.Name) -> Bool {
        let name = name.canonicalName
        switch name.utf8.count {
        case 4: return name == "date"
        case 7: return name == "upgrade"
        case 10: return name == "connection" || name == "keep-alive"
        case 14: return name == "content-length"
        case 16: return name == "proxy-connection"
        case 17: return name == "transfer-encoding"
        default: return false
        }
    }

    /// Calls `body` with the pairs; nghttp2 copies them during the call.
    mutating func withNameValues<R>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        let spans = spans
        return storage.withUnsafeMutableBufferPointer { bytes in
            let base = bytes.baseAddress!  // reserved above: never empty
            // On the stack: a response head has a handful of fields, and this runs for every response.
            return withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: spans.count) { pairs in
                for (index, span) in spans.enumerated() {
                    pairs.initializeElement(at: index, to: phx_nghttp2_nv(
                        base + span.name.lowerBound, span.name.count, base + span.value.lowerBound, span.value.count,
                        UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
                }
                return body(UnsafePointer(pairs.baseAddress!), spans.count)  // never empty: `:status` is first
            }
        }
    }
}
