import HTTPTypes
import Logging
import PhoenixCrypto
import PhoenixDomain
import PhoenixHTTP

/// Bearer tokens with roles (DESIGN.md §6). Tokens are stored as SHA-256 hashes and compared in
/// constant time; the probes stay open.
public struct TokenAuthenticator: RouterMiddleware {
    /// Hashes of accepted tokens with their names and roles.
    public let tokens: [TokenSpec]
    /// Paths answered without a token.
    public var openPaths: Set<String> = ["/health", "/livez", "/readyz", "/metrics", "/openapi.yaml"]

    public init(tokens: [TokenSpec]) {
        self.tokens = tokens
    }

    public func handle(
        _ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let path = String(request.path)
        guard !openPaths.contains(path) else { return try await next(request, context) }
        guard let token = Self.bearerToken(request.headerFields[.authorization]) else {
            throw HTTPError(.unauthorized, detail: "a bearer token is required", headerFields: [.wwwAuthenticate: "Bearer"])
        }
        guard let spec = identify(token) else {
            throw HTTPError(.unauthorized, detail: "the token is not valid", headerFields: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        let needed = Self.requiredRole(method: request.method, path: path)
        guard spec.role.rank >= needed.rank else {
            throw HTTPError(.forbidden, detail: "this needs the \(needed.rawValue) role; the token has \(spec.role.rawValue)")
        }
        var context = context
        context.identity = "api:\(spec.name)"
        context.logger[metadataKey: "auth.token"] = "\(spec.name)"
        return try await next(request, context)
    }

    /// Reads: viewer. Changes: operator. Failover, switchover, failback and token management: admin.
    static func requiredRole(method: HTTPRequest.Method, path: String) -> TokenSpec.Role {
        if method == .get || method == .head || method == .options { return .viewer }
        for prefix in ["/v1/failovers", "/v1/switchover", "/v1/failback", "/v1/tokens"] where path.hasPrefix(prefix) {
            return .admin
        }
        // Deleting a backup destroys data retention would have kept: admin. Unpinning is not.
        if method == .delete && path.hasPrefix("/v1/backups/") && !path.hasSuffix("/pin") { return .admin }
        return .operator
    }

    /// The token that matches, checking every configured hash so the time taken does not tell
    /// which one (or whether any) matched.
    func identify(_ token: String) -> TokenSpec? {
        let digest = SHA256.digest(Array(token.utf8))
        var match: TokenSpec?
        for spec in tokens where ConstantTime.equals(digest, Self.bytes(ofHex: spec.sha256)) {
            match = spec
        }
        return match
    }

    static func bearerToken(_ field: String?) -> String? {
        guard let field, field.count > 7, field.prefix(7).lowercased() == "bearer " else { return nil }
        let token = field.dropFirst(7).trimmingPrefix(" ")
        return token.isEmpty ? nil : String(token)
    }

    static func bytes(ofHex hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return [] }
            bytes.append(value)
        }
        return bytes
    }
}

extension TokenSpec.Role {
    /// viewer < operator < admin.
    var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }
}
