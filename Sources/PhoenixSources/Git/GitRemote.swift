import Foundation

/// A repository URL and how git authenticates to it, as environment variables only: a token
/// or a key path never goes into git's arguments (any local user reads those in /proc) or
/// into a message.
///
/// - SSH (`git@host:path`, `ssh://`): `GIT_SSH_COMMAND` with `-i KEY`, `UserKnownHostsFile` and
///   `StrictHostKeyChecking=yes`, so an unknown or changed host key fails instead of being trusted.
/// - HTTPS with a token: `http.extraHeader` set through `GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`
///   (git ≥ 2.31), an `Authorization: Basic` header of `x-access-token:TOKEN` as GitHub and
///   GitLab accept it.
public struct GitRemote: Sendable, Equatable {
    public var url: String
    public var sshKeyFile: String?
    public var knownHostsFile: String?
    public var token: String?

    public init(url: String, sshKeyFile: String? = nil, knownHostsFile: String? = nil, token: String? = nil) {
        self.url = url
        self.sshKeyFile = sshKeyFile
        self.knownHostsFile = knownHostsFile
        self.token = token
    }

    /// Whether git reaches this URL over SSH (`ssh://`, `git+ssh://` or scp-like `user@host:path`).
    var isSSH: Bool {
        if url.hasPrefix("ssh://") || url.hasPrefix("git+ssh://") { return true }
        if url.contains("://") { return false }
        guard let colon = url.firstIndex(of: ":") else { return false }
        return !url[..<colon].contains("/")
    }

    /// The variables git needs for this remote, besides the ones every git run gets.
    var environment: [String: String] {
        var variables: [String: String] = [:]
        if isSSH {
            // Keep-alives end a dead connection instead of a backup hanging on it.
            var command = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=30", "-o", "ServerAliveCountMax=4"]
            if let sshKeyFile { command += ["-i", sshKeyFile, "-o", "IdentitiesOnly=yes"] }
            if let knownHostsFile { command += ["-o", "UserKnownHostsFile=\(knownHostsFile)"] }
            command += ["-o", "StrictHostKeyChecking=yes"]
            variables["GIT_SSH_COMMAND"] = command.map(Self.shellQuoted).joined(separator: " ")
        }
        if let header = authorizationHeader {
            variables["GIT_CONFIG_COUNT"] = "1"
            variables["GIT_CONFIG_KEY_0"] = "http.extraHeader"
            variables["GIT_CONFIG_VALUE_0"] = header
        }
        return variables
    }

    /// `Authorization: Basic …` for a token on an http(s) URL.
    var authorizationHeader: String? {
        guard let token, !token.isEmpty, url.hasPrefix("https://") || url.hasPrefix("http://") else { return nil }
        return "Authorization: Basic " + Data("x-access-token:\(token)".utf8).base64EncodedString()
    }

    /// The strings no message may show: the token, its header form, a URL's password.
    var secrets: [String] {
        var values = [token, authorizationHeader.map { String($0.dropFirst("Authorization: Basic ".count)) }].compactMap { $0 }
        if let password = Self.password(in: url) { values.append(password) }
        return values.filter { !$0.isEmpty }
    }

    /// `text` with every secret replaced by `***`.
    func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// The URL as messages show it: without a password (`https://user:***@host/…`).
    public var shownURL: String { redact(url) }

    private static func password(in url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        guard let at = rest.firstIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return nil }
        return String(rest[rest.index(after: colon)..<at])
    }

    /// `text` as one word for `/bin/sh`, which is how git runs `GIT_SSH_COMMAND`.
    static func shellQuoted(_ text: String) -> String {
        guard text.contains(where: { !($0.isLetter || $0.isNumber || "-_./=:@".contains($0)) }) else { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// Printed, dumped or shown in a test failure, a remote never shows its token or password.
extension GitRemote: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "GitRemote(\(shownURL)" + (token == nil ? ")" : ", token: ***)") }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["url": shownURL, "sshKeyFile": sshKeyFile as Any, "knownHostsFile": knownHostsFile as Any,
                                "token": token == nil ? "nil" : "***"])
    }
}
