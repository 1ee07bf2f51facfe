import Foundation
import Logging
import PhoenixArtifact
import PhoenixDomain

/// The keyring the artifacts are encrypted with (DESIGN.md §4): from `encryption.keyring_file`,
/// from the variable `encryption.keyring_env`, or, with neither, from `<data_directory>/keyring`,
/// which the first start creates with one random key (mode 0600). Keys are never logged.
enum KeyringBootstrap {
    static func keyring(for configuration: PhoenixConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
                        now: Date, logger: Logger) throws -> Keyring {
        let spec = configuration.encryption
        var keyring: Keyring
        if let path = spec.keyringFile {
            keyring = try Keyring(contentsOfFile: path)
        } else if let variable = spec.keyringEnvironment {
            guard let value = environment[variable] else {
                throw EngineSetupError("encryption.keyring_env names \(variable), which is not set")
            }
            keyring = try Keyring(environmentValue: value, variableName: variable)
        } else {
            keyring = try generatedKeyring(in: configuration.server.dataDirectory, now: now, logger: logger)
        }
        if let current = spec.currentKey {
            guard let id = ArtifactKeyID(rawValue: current) else { throw EngineSetupError("encryption.current_key \"\(current)\" is not a key id") }
            keyring = try keyring.withCurrentKey(id)
        }
        return keyring
    }

    /// Reads `<directory>/keyring`, or writes it with a new key named after today.
    private static func generatedKeyring(in directory: String, now: Date, logger: Logger) throws -> Keyring {
        let path = (directory as NSString).appendingPathComponent("keyring")
        if FileManager.default.fileExists(atPath: path) { return try Keyring(contentsOfFile: path) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let day = String(BackupID.make(at: now).rawValue.prefix(8))
        guard let id = ArtifactKeyID(rawValue: "k\(day)") else { throw EngineSetupError("could not name a new key") }
        let key = try ArtifactKey.makeRandom(id: id)
        let text = "# phoenix-dr keyring: copy this file to the DR region; without it no backup can be read.\n"
            + key.keyringLine() + "\n"
        // Created with 0600 from the start, and never over an existing file.
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw EngineSetupError("could not write the keyring \(path)")
        }
        logger.notice("no encryption section: wrote a new master key; copy the keyring to the DR region",
                      metadata: ["encryption.keyring_file": "\(path)", "encryption.key_id": "\(id)"])
        return try Keyring(contentsOfFile: path)
    }
}
