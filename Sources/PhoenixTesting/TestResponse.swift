import Foundation

/// A response read off the wire by `TestSocket`.
public struct TestResponse: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// Header fields with lowercased names, in order.
    public var headers: [(String, String)]
    /// The body bytes.
    public var body: [UInt8]

    public static func == (lhs: TestResponse, rhs: TestResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.map { "\($0):\($1)" } == rhs.headers.map { "\($0):\($1)" }
    }

    /// The first value of a header (name in any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.0 == name.lowercased() }?.1
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    static func parse(_ bytes: [UInt8], isHead: Bool) -> (TestResponse, Int)? {
        guard let (status, headers, headEnd) = parseHead(bytes) else { return nil }
        if (100..<200).contains(status) {
            // An interim response: reported as itself; the caller reads again for the final one.
            return (TestResponse(status: status, headers: headers, body: []), headEnd)
        }
        let length = isHead ? 0 : Int(headers.first { $0.0 == "content-length" }?.1 ?? "") ?? -1
        guard length >= 0 else { return nil }  // read to the end of the stream
        guard bytes.count >= headEnd + length else { return nil }
        return (TestResponse(status: status, headers: headers, body: Array(bytes[headEnd..<(headEnd + length)])), headEnd + length)
    }

    static func parseToEnd(_ bytes: [UInt8]) -> TestResponse? {
        guard let (status, headers, headEnd) = parseHead(bytes) else { return nil }
        if let length = Int(headers.first { $0.0 == "content-length" }?.1 ?? ""), bytes.count < headEnd + length { return nil }
        return TestResponse(status: status, headers: headers, body: Array(bytes[headEnd...]))
    }

    private static func parseHead(_ bytes: [UInt8]) -> (Int, [(String, String)], Int)? {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == terminator }) else {
            return nil
        }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return (status, headers, end + 4)
    }
}
