import Foundation
import PhoenixAWS
import Testing

/// One known-answer case from `Fixtures/sigv4-vectors.json` (written by `Fixtures/make-sigv4-vectors.py`
/// with botocore's own signers, fixed credentials and a fixed clock).
struct SigV4Vector: Decodable, Sendable, CustomTestStringConvertible {
    struct Credentials: Decodable, Sendable {
        let accessKeyId: String
        let secretAccessKey: String
        let sessionToken: String?
    }

    struct Expected: Decodable, Sendable {
        let canonicalRequest: String
        let stringToSign: String
        let signature: String
        /// Header-signed cases: the headers botocore set, in its order (no `Host`: its HTTP layer adds that).
        let headers: [[String]]?
        let authorization: String?
        /// Presigned cases: the whole URL.
        let url: String?
    }

    let name: String
    let service: String
    let region: String
    let method: String
    let url: String
    let scheme: String
    let host: String
    let rawPath: String
    let path: String
    let query: [[String?]]
    let headers: [[String]]
    let bodyUtf8: String
    let payload: String
    let credentials: Credentials
    let timestamp: String
    let presignExpires: Int?
    let expected: Expected

    var testDescription: String { name }

    /// The vector's inputs as the Swift signer takes them.
    var request: SigV4Request {
        SigV4Request(
            method: method,
            host: host,
            path: path,
            query: query.map { SigV4Request.QueryItem(name: $0[0] ?? "", value: $0.count > 1 ? $0[1] : nil) },
            headers: headers.map { SigV4Request.Header(name: $0[0], value: $0[1]) },
            payload: payload == "UNSIGNED-PAYLOAD" ? .unsigned : .bytes(Array(bodyUtf8.utf8))
        )
    }

    var signingCredentials: AWSCredentials {
        get throws {
            try AWSCredentials(
                accessKeyID: credentials.accessKeyId,
                secretAccessKey: AWSSecret(credentials.secretAccessKey),
                sessionToken: credentials.sessionToken.map(AWSSecret.init)
            )
        }
    }

    /// The URL after `scheme://authority`: the path and query botocore sent.
    var target: String {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else { return url }
        return String(url[slash...])
    }

    /// `20260102T030405Z` as a `Date`.
    var date: Date {
        get throws {
            let t = Array(timestamp)
            let iso = "\(String(t[0..<4]))-\(String(t[4..<6]))-\(String(t[6..<8]))T\(String(t[9..<11])):\(String(t[11..<13])):\(String(t[13..<15]))Z"
            return try Date(iso, strategy: .iso8601)
        }
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let all: [SigV4Vector] = {
        struct File: Decodable { let vectors: [SigV4Vector] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("sigv4-vectors.json")),
              let file = try? decoder.decode(File.self, from: data)
        else { return [] }
        return file.vectors
    }()
}
