import CNGHTTP2
import HTTPTypes
import Testing

@testable import PhoenixHTTP2

/// The name/value pairs a response head becomes before nghttp2 encodes them.
@Suite struct ResponseHeaderBlockTests {
    static func pairs(_ block: inout ResponseHeaderBlock) -> [String] {
        block.withNameValues { pairs, count in
            (0..<count).map { index in
                let pair = pairs[index]
                let name = String(decoding: UnsafeBufferPointer(start: pair.name, count: pair.namelen), as: UTF8.self)
                let value = String(decoding: UnsafeBufferPointer(start: pair.value, count: pair.valuelen), as: UTF8.self)
                return "\(name): \(value)"
            }
        }
    }

    @Test(arguments: [(200, 0), (404, 7), (503, 10), (200, 1_234_567), (206, Int(Int32.max) + 1)])
    func statusAndLengthAreWrittenAsDecimalDigits(status: Int, length: Int) {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain"
        fields[.connection] = "close"  // connection-specific: never sent over HTTP/2
        fields[.contentLength] = "999"  // the server's own count wins
        var block = ResponseHeaderBlock(status: status, fields: fields, contentLength: length, date: Array("Sat, 28 Nov 2026 01:00:00 GMT".utf8))
        #expect(Self.pairs(&block) == [
            ":status: \(status)", "content-type: text/plain", "content-length: \(length)", "date: Sat, 28 Nov 2026 01:00:00 GMT",
        ])
    }

    @Test func anInterimHeadIsTheStatusAlone() {
        var block = ResponseHeaderBlock(status: 100)
        #expect(Self.pairs(&block) == [":status: 100"])
    }

    @Test func manyFieldsAndNoLengthStillMakeOnePairEach() {
        var fields = HTTPFields()
        for index in 0..<40 { fields.append(HTTPField(name: HTTPField.Name("x-field-\(index)")!, value: String(repeating: "v", count: index * 10))) }
        var block = ResponseHeaderBlock(status: 200, fields: fields, contentLength: nil, date: Array("d".utf8))
        let pairs = Self.pairs(&block)
        #expect(pairs.count == 42)
        #expect(pairs[0] == ":status: 200" && pairs[40] == "x-field-39: \(String(repeating: "v", count: 390))" && pairs[41] == "date: d")
    }
}
