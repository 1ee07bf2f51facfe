import HTTPTypes

/// An error that knows its HTTP status: thrown by the router (404, 405), body decoding
/// (400, 415, 422) and handlers. `detail` is shown to the client, so it must hold no secret.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status the client receives.
    public var status: HTTPResponse.Status
    /// What went wrong, safe to show the client.
    public var detail: String?
    /// Extra header fields for the response (`Allow` on a 405).
    public var headerFields: HTTPFields

    /// Creates an error answered with `status`.
    public init(_ status: HTTPResponse.Status, detail: String? = nil, headerFields: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headerFields = headerFields
    }

    public var description: String {
        "\(status.code) \(status.reasonPhrase)" + (detail.map { ": \($0)" } ?? "")
    }
}
