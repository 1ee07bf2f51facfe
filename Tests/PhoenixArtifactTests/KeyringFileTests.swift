import FoundationEssentials
import PhoenixArtifact
import Testing

@Suite struct KeyringFileTests {
    /// A fresh directory per test, removed afterwards.
    static func withDirectory(_ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.path + "/t_\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    static func write(_ text: String, to path: String, mode: Int) throws {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]))
        // createFile applies the umask; set the mode explicitly.
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func privateFileLoads() throws {
        try Self.withDirectory { directory in
            let path = directory + "/keyring"
            try Self.write("# keys\nk1 \(KeyringTests.keyA)\nk2 \(KeyringTests.keyB)\n", to: path, mode: 0o600)
            let keyring = try Keyring(contentsOfFile: path)
            #expect(keyring.keyIDs.map(\.rawValue) == ["k1", "k2"])
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func fileReadableByOthersIsRefused(mode: Int) throws {
        try Self.withDirectory { directory in
            let path = directory + "/keyring"
            try Self.write("k1 \(KeyringTests.keyA)\n", to: path, mode: mode)
            #expect(throws: ArtifactError.keyringTooOpen(path: path, mode: UInt32(mode))) {
                try Keyring(contentsOfFile: path)
            }
        }
    }

    @Test func tooOpenErrorSaysHowToFixIt() {
        let error = ArtifactError.keyringTooOpen(path: "/etc/phoenix-dr/keyring", mode: 0o644)
        #expect(error.description == "keyring file /etc/phoenix-dr/keyring has mode 644; it must not be readable by group or others (chmod 600)")
    }

    @Test func missingFileOrDirectoryIsUnreadable() throws {
        try Self.withDirectory { directory in
            #expect(throws: ArtifactError.keyringUnreadable(path: directory + "/none", reason: "does not exist")) {
                try Keyring(contentsOfFile: directory + "/none")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
            #expect(throws: ArtifactError.keyringUnreadable(path: directory, reason: "is not a regular file")) {
                try Keyring(contentsOfFile: directory)
            }
        }
    }

    @Test func badLineInAFileNamesTheFileAndLine() throws {
        try Self.withDirectory { directory in
            let path = directory + "/keyring"
            try Self.write("k1 \(KeyringTests.keyA)\n\n# next\nk2 c2hvcnQ=\n", to: path, mode: 0o600)
            #expect(throws: ArtifactError.keyringEntry(.file(path: path), line: 4, problem: .wrongKeyLength(5))) {
                try Keyring(contentsOfFile: path)
            }
        }
    }

    @Test func oversizedOrBinaryFilesAreRefused() throws {
        try Self.withDirectory { directory in
            let large = directory + "/large"
            try Self.write(String(repeating: "#\n", count: 40_000), to: large, mode: 0o600)
            #expect(throws: ArtifactError.keyringTooLarge(path: large)) { try Keyring(contentsOfFile: large) }
            let binary = directory + "/binary"
            #expect(FileManager.default.createFile(atPath: binary, contents: Data([0xff, 0xfe, 0x00])))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: binary)
            #expect(throws: ArtifactError.keyringUnreadable(path: binary, reason: "is not UTF-8 text")) {
                try Keyring(contentsOfFile: binary)
            }
        }
    }
}
