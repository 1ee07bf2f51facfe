import HTTPTypes

/// Keeps secrets out of logs: credentials in header fields and in query strings become `***`.
public enum Redaction {
    /// Header fields never logged in clear.
    public static let secretFields: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-vault-token",
        "x-amz-security-token", "x-hub-signature-256", "webhook-signature", "x-api-key",
    ]

    /// Query parameters never logged in clear (matched case-insensitively, also as a suffix:
    /// `access_token`, `refresh_token`).
    static let secretParameters = ["token", "password", "secret", "signature", "key", "credential"]

    /// The fields as `name: value` pairs with secret values replaced by `***`.
    public static func redactedFields(_ fields: HTTPFields) -> [String] {
        fields.map { field in
            let name = field.name.canonicalName
            return "\(name): \(secretFields.contains(name) ? "***" : field.value)"
        }
    }

    /// The request target with the values of secret-looking query parameters replaced by `***`.
    public static func redactedTarget(_ target: String) -> String {
        guard let question = target.firstIndex(of: "?") else { return target }
        let pairs = target[target.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals].lowercased()
            let isSecret = secretParameters.contains { name == $0 || name.hasSuffix("_" + $0) || name.hasSuffix("-" + $0) }
            return isSecret ? "\(pair[..<equals])=***" : String(pair)
        }
        return String(target[..<question]) + "?" + pairs.joined(separator: "&")
    }
}
