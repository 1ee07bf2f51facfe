/// The one error type of `PhoenixAWS`.
///
/// `description` is safe to show an API client: it names the failure and, where useful, a line
/// number, a profile or a key name. It never quotes file contents, HTTP bodies or anything else that
/// could hold a secret. `debugDescription` adds paths, statuses and underlying errors for logs.
///
/// ```swift
/// do {
///     credentials = try await chain.credentials()
/// } catch let error where error.code == .missingCredentialKey {
///     print(error)   // "AWS credentials incomplete at line 4: profile 'prod' has no aws_secret_access_key"
/// }
/// ```
public struct AWSError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The class of failure. The set grows (the HTTP client comes later), so switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name such as `"missingCredentialKey"`.
        public let rawValue: String

        /// Wraps a raw name; prefer the static members.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// This source has no credentials at all; a provider chain moves on to the next source.
        public static let credentialsNotFound = Code("credentialsNotFound")
        /// The requested profile is not in the shared credentials file.
        public static let profileNotFound = Code("profileNotFound")
        /// Credentials are partly configured: one key is present, a required one is not.
        public static let missingCredentialKey = Code("missingCredentialKey")
        /// A credential value is unusable (a control character in a token, a `/` in a key id).
        public static let invalidCredentials = Code("invalidCredentials")
        /// The shared credentials file is not valid INI; `lineNumber` says where.
        public static let malformedCredentialsFile = Code("malformedCredentialsFile")
        /// The shared credentials file is over the size limit, or not a regular file.
        public static let credentialsFileRefused = Code("credentialsFileRefused")
        /// The shared credentials file exists but cannot be read.
        public static let credentialsFileUnreadable = Code("credentialsFileUnreadable")
        /// The instance metadata service answered with an unexpected status.
        public static let metadataUnavailable = Code("metadataUnavailable")
        /// The instance metadata service answered something this client cannot use.
        public static let malformedMetadata = Code("malformedMetadata")
        /// The request to sign is invalid (a raw space in the path, CR/LF in a header value).
        public static let invalidRequest = Code("invalidRequest")
        /// The calling task was cancelled.
        public static let cancelled = Code("cancelled")

        /// The raw name.
        public var description: String { rawValue }
    }

    /// The class of failure.
    public let code: Code
    /// Client-safe detail built from names and numbers only, never from input values.
    public let detail: String
    /// The 1-based line of the shared credentials file the error refers to, if any.
    public let lineNumber: Int?
    /// Paths, statuses and underlying errors. Only for logs.
    public let message: String
    /// Where the error was created.
    public let file: String
    /// Where the error was created.
    public let line: Int

    /// Creates an error; `file` and `line` default to the call site.
    public init(
        _ code: Code,
        _ detail: String = "",
        lineNumber: Int? = nil,
        message: String = "",
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.detail = detail
        self.lineNumber = lineNumber
        self.message = message
        self.file = file
        self.line = line
    }

    /// A client-safe summary: the failure class, the line number and the detail.
    public var description: String {
        var text = switch code {
        case .credentialsNotFound: "no AWS credentials found"
        case .profileNotFound: "AWS profile not found"
        case .missingCredentialKey: "AWS credentials incomplete"
        case .invalidCredentials: "AWS credentials invalid"
        case .malformedCredentialsFile: "AWS credentials file malformed"
        case .credentialsFileRefused: "AWS credentials file refused"
        case .credentialsFileUnreadable: "AWS credentials file unreadable"
        case .metadataUnavailable: "instance metadata service unavailable"
        case .malformedMetadata: "instance metadata response malformed"
        case .invalidRequest: "AWS request cannot be signed"
        case .cancelled: "AWS operation cancelled"
        default: "AWS error (\(code.rawValue))"
        }
        if let lineNumber { text += " at line \(lineNumber)" }
        return detail.isEmpty ? text : "\(text): \(detail)"
    }

    /// The summary plus the log-only message and the source location.
    public var debugDescription: String {
        var text = "AWSError.\(code.rawValue)"
        if let lineNumber { text += " [line \(lineNumber)]" }
        if !detail.isEmpty { text += ": \(detail)" }
        if !message.isEmpty { text += " (\(message))" }
        return text + " (\(file):\(line))"
    }
}
