/// The log metadata keys of PhoenixHTTPClient (STYLE.md: lowercase, dotted, listed in one place).
enum LogKeys {
    static let method = "http.method"
    static let status = "http.status"
    static let errorType = "error.type"
    static let curlCode = "curl.code"
    static let activeTransfers = "http.client.active"
}
