/// The canonical request of SigV4 ("Create a canonical request" in the IAM user guide), built
/// the way botocore's `SigV4Auth.canonical_request` builds it.
struct SigV4CanonicalRequest {
    /// Headers botocore never signs: hop-by-hop fields a proxy may change or drop, and
    /// `user-agent`, which SDKs append to freely. They are still sent.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The whole canonical request, six lines joined with `\n`.
    let text: String
    /// `host;x-amz-date;...`, the names of the signed headers.
    let signedHeaders: String

    init(method: String, canonicalURI: String, query: [SigV4Request.QueryItem], headers: [SigV4Request.Header], payload: String) {
        let (lines, names) = Self.canonicalHeaders(headers)
        signedHeaders = names
        text = [method, canonicalURI, Self.canonicalQuery(query), lines + "\n", names, payload].joined(separator: "\n")
    }

    /// Items encoded once, sorted by encoded name then encoded value (byte order), each written
    /// `name=value` even when the value is empty. Sorting the pairs, not the joined strings,
    /// matters: `a=1` sorts before `a-b=1` although `=` is after `-`.
    static func canonicalQuery(_ items: [SigV4Request.QueryItem]) -> String {
        items
            .map { (Array(AWSPercentEncoding.encode($0.name).utf8), Array(AWSPercentEncoding.encode($0.value ?? "").utf8)) }
            .sorted { $0.0 == $1.0 ? $0.1.lexicographicallyPrecedes($1.1) : $0.0.lexicographicallyPrecedes($1.0) }
            .map { String(decoding: $0.0, as: UTF8.self) + "=" + String(decoding: $0.1, as: UTF8.self) }
            .joined(separator: "&")
    }

    /// `name:value` lines for the signed headers, and the `;`-joined names. Names are lowercased
    /// and sorted; each value is trimmed with inner runs of blanks collapsed to one space; the
    /// values of a repeated name are joined with `,` in the order they appear.
    static func canonicalHeaders(_ headers: [SigV4Request.Header]) -> (lines: String, names: String) {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased()
            guard !unsignedHeaders.contains(name) else { continue }
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(collapsingBlanks(header.value))
        }
        let names = order.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let lines = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))" }
        return (lines.joined(separator: "\n"), names.joined(separator: ";"))
    }

    /// botocore's `' '.join(value.split())`, for values already checked to hold no other whitespace.
    static func collapsingBlanks(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
