/// Reading one profile's static keys out of a parsed credentials file.
extension CredentialsFile {
    /// The key names botocore reads from a credentials-file profile.
    public enum Key {
        /// The access key id.
        public static let accessKeyID = "aws_access_key_id"
        /// The secret access key.
        public static let secretAccessKey = "aws_secret_access_key"
        /// The session token of temporary credentials.
        public static let sessionToken = "aws_session_token"
        /// The older name for the session token that botocore still reads.
        public static let legacySessionToken = "aws_security_token"
    }

    /// Whether the file has a `[profile]` section.
    public func contains(profile: String) -> Bool { profiles[profile] != nil }

    /// The static credentials of `profile`.
    /// - Throws: `.profileNotFound`; `.missingCredentialKey` naming each absent or empty key;
    ///   `.malformedCredentialsFile` if a key's value runs onto indented lines;
    ///   `.invalidCredentials` for unusable values. Line numbers point at the section or the key.
    public func credentials(profile name: String) throws(AWSError) -> AWSCredentials {
        guard let profile = profiles[name] else { throw AWSError(.profileNotFound, "no profile '\(name)'") }
        let id = try value(Key.accessKeyID, in: profile)
        let secret = try value(Key.secretAccessKey, in: profile)
        let missing = [(Key.accessKeyID, id), (Key.secretAccessKey, secret)].filter { $0.1 == nil }.map(\.0)
        guard let id, let secret else {
            // role_arn, sso_* and credential_process profiles land here: this reader does static keys only.
            let names = missing.joined(separator: " and ")
            throw AWSError(.missingCredentialKey, "profile '\(name)' has no \(names)", lineNumber: profile.lineNumber)
        }
        // Not `??`: its autoclosure rethrows untyped errors.
        var token = try value(Key.sessionToken, in: profile)
        if token == nil { token = try value(Key.legacySessionToken, in: profile) }
        do throws(AWSError) {
            return try AWSCredentials(accessKeyID: id, secretAccessKey: AWSSecret(secret), sessionToken: token.map(AWSSecret.init))
        } catch {
            throw AWSError(error.code, "\(error.detail) (profile '\(name)')", lineNumber: profile.lineNumber)
        }
    }

    /// The value of `key`, `nil` if absent or empty.
    private func value(_ key: String, in profile: Profile) throws(AWSError) -> String? {
        guard let entry = profile.entries[key], !entry.value.isEmpty || entry.isContinued else { return nil }
        guard !entry.isContinued else {
            throw Self.malformed(entry.lineNumber, "the value of '\(key)' continues onto indented lines")
        }
        return entry.value
    }
}
