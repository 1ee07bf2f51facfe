import Foundation
import HTTPTypes
import PhoenixHTTPClient

/// Where a Vault is and the token that may take and restore its raft snapshots.
///
/// The token travels in `X-Vault-Token` only: never in a URL, an argument or a message.
public struct VaultEndpoint: Sendable {
    /// `http(s)://host:port`, without a path.
    public let address: String
    let token: String
    /// For every call; the snapshot stream relies on the stall limit, not a total timeout.
    public var timeouts: HTTPClientTimeouts

    /// 10 s to connect; stalled after 5 minutes below 1 byte/s: a large Vault writes its
    /// snapshot for a while before the first byte.
    public static let defaultTimeouts = HTTPClientTimeouts(connect: .seconds(10), total: nil,
                                                           stall: .init(bytesPerSecond: 1, window: .seconds(300)))

    /// - Throws: `VaultError` `.invalidSettings` when `address` is not an http(s) URL or the
    ///   token is empty.
    public init(address: String, token: String, timeouts: HTTPClientTimeouts = VaultEndpoint.defaultTimeouts) throws(VaultError) {
        var trimmed = address
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"), trimmed.count > 8 else {
            throw VaultError(.invalidSettings, "the Vault address must start with http:// or https:// (e.g. https://vault.example.com:8200)")
        }
        guard !token.isEmpty else { throw VaultError(.invalidSettings, "the Vault token is empty") }
        self.address = trimmed
        self.token = token
        self.timeouts = timeouts
    }

    /// The address as messages show it: without any `user:password@`.
    var shownAddress: String {
        guard let scheme = address.range(of: "://"), let at = address[scheme.upperBound...].firstIndex(of: "@") else { return address }
        return String(address[..<scheme.upperBound]) + String(address[address.index(after: at)...])
    }

    /// A request to `path` (`/v1/sys/health`) carrying the token.
    func request(_ method: HTTPRequest.Method, _ path: String, body: HTTPClientRequest.Body = .none) -> HTTPClientRequest {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-Vault-Token")!] = token
        if case .none = body {} else { fields[.contentType] = "application/octet-stream" }
        return HTTPClientRequest(method: method, url: address + path, headerFields: fields, body: body, timeouts: timeouts)
    }

    /// `text` with the token replaced by `***`, for anything that came back from the server.
    func redact(_ text: String) -> String {
        text.replacingOccurrences(of: token, with: "***")
    }
}

/// Printed, dumped or shown in a test failure, an endpoint never shows its token.
extension VaultEndpoint: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "VaultEndpoint(\(shownAddress), token: ***)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["address": shownAddress, "token": "***"]) }
}
