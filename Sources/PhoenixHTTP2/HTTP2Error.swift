import CNGHTTP2

/// Why an HTTP/2 session could not be made or went on.
struct HTTP2Error: Error, CustomStringConvertible {
    /// The nghttp2 function that failed.
    var operation: String
    /// Its negative `nghttp2_error` code.
    var code: Int32

    var description: String {
        "\(operation): \(String(cString: nghttp2_strerror(code)))"
    }
}
