import ArgumentParser
import Foundation
import PhoenixArtifact
import PhoenixDomain
import PhoenixSockets

/// `phoenix-dr artifact list | verify | decrypt | restore`: work on artifacts with only the keyring and
/// the files (DESIGN.md §1.2): no server, no catalog. A DR region with an empty catalog can
/// still prove and read every backup.
struct ArtifactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifact",
        abstract: "Inspect, verify and decrypt backup artifacts offline.",
        subcommands: [List.self, Verify.self, Decrypt.self, Restore.self]
    )

    /// Where the keyring comes from: a file, a variable, or the configuration's `encryption`.
    struct KeyringOptions: ParsableArguments {
        @Option(help: "A keyring file (lines of `id base64-key`).")
        var keyring: String?

        @Option(name: .customLong("keyring-env"), help: "An environment variable holding the keyring.")
        var keyringEnvironment: String?

        @Option(help: "A configuration file whose encryption section names the keyring.")
        var config: String?

        func load() throws -> Keyring {
            if let keyring { return try Keyring(contentsOfFile: keyring) }
            if let variable = keyringEnvironment {
                guard let value = ProcessInfo.processInfo.environment[variable] else {
                    throw ValidationError("--keyring-env \(variable) is not set")
                }
                return try Keyring(environmentValue: value, variableName: variable)
            }
            let configuration = try ConfigFile.configuration(at: config)
            let spec = configuration.encryption
            if let file = spec.keyringFile { return try Keyring(contentsOfFile: file) }
            if let variable = spec.keyringEnvironment, let value = ProcessInfo.processInfo.environment[variable] {
                return try Keyring(environmentValue: value, variableName: variable)
            }
            return try Keyring(contentsOfFile: (configuration.server.dataDirectory as NSString).appendingPathComponent("keyring"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the backups whose manifests are under a folder.")

        @Argument(help: "A local store's folder, or a folder inside it.")
        var folder: String

        @Flag(help: "One JSON object per line instead of a table.")
        var json = false

        func run() async throws {
            let manifests = try ArtifactFiles.manifests(under: folder)
            if !json { print("ID                         DATASET          SNAPSHOT (UTC)          STORED BYTES  RECORDS  KEY") }
            for (path, manifest) in manifests {
                if json {
                    print(String(decoding: try ArtifactFiles.jsonLine(manifest, path: path), as: UTF8.self))
                } else {
                    print(ArtifactFiles.tableRow(manifest))
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Authenticate every chunk of an artifact and compare it with its manifest.",
            discussion: "Exits 0 when the artifact is intact, 1 with the reason when it is not.")

        @Argument(help: "The .pdr file; its .manifest.json beside it is read when present.")
        var file: String

        @OptionGroup var keys: KeyringOptions

        func run() async throws {
            ResourceLimits.tuneMallocForStreaming()
            let keyring = try keys.load()
            let report = try ArtifactFiles.verify(file, keyring: keyring)
            print(report)
        }
    }

    struct Decrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an artifact's plaintext (decompressed) to a file or to standard output.",
            discussion: "Nothing that fails authentication is written; on failure the output file is removed.")

        @Argument(help: "The .pdr file.")
        var file: String

        @Option(name: .shortAndLong, help: "Where to write; `-` for standard output.")
        var output: String = "-"

        @OptionGroup var keys: KeyringOptions

        func run() async throws {
            ResourceLimits.tuneMallocForStreaming()
            try ArtifactFiles.decrypt(file, to: output, keyring: try keys.load())
        }
    }
}
