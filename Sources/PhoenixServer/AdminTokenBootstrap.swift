import Foundation
import Logging
import PhoenixAPI
import PhoenixCrypto
import PhoenixDomain

/// With no `auth` section, the first start writes a random admin token to
/// `<data_directory>/admin.token` (mode 0600) and later starts reuse it (DESIGN.md §5).
enum AdminTokenBootstrap {
    static func tokens(for configuration: PhoenixConfiguration, logger: Logger) throws -> [TokenSpec] {
        if let tokens = configuration.tokens { return tokens }
        let directory = configuration.server.dataDirectory
        let path = (directory as NSString).appendingPathComponent("admin.token")
        let token: String
        if let data = FileManager.default.contents(atPath: path),
           let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            token = text
        } else {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            token = try APIToken.make().token
            // Created with 0600 from the start: the token is never readable by others, even briefly.
            guard FileManager.default.createFile(atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            logger.notice("no auth section: wrote an admin token", metadata: ["auth.token_file": "\(path)"])
        }
        return [TokenSpec(name: "admin", role: .admin, sha256: SHA256.hex(Array(token.utf8)))]
    }
}
