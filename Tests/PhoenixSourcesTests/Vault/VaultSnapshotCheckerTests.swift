import Foundation
@testable import PhoenixSources
import PhoenixTesting
import Testing

/// The verify of a Vault snapshot reads its archive as Vault does on restore: whole gzip, whole
/// tar, members matching SHA256SUMS.
@Suite struct VaultSnapshotCheckerTests {
    /// A gzip'd tar of meta.json, state.bin and a SHA256SUMS, made by GNU tar; `lying` puts a
    /// wrong sum for state.bin.
    static func archive(in directory: TemporaryDirectory, lying: Bool) async throws -> [UInt8] {
        let folder = try directory.folder("members-\(lying)")
        try Data(#"{"Index":7}"#.utf8).write(to: URL(fileURLWithPath: folder + "/meta.json"))
        try Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: folder + "/state.bin"))
        let sums = try await ProcessRunner.run("sh", ["-c", "cd '\(folder)' && sha256sum meta.json state.bin"])
        var text = sums.stdout
        if lying { text = text.replacingOccurrences(of: String(text.split(separator: "\n")[1].prefix(8)), with: "00000000") }
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/SHA256SUMS"))
        let made = try await ProcessRunner.run("tar", ["-czf", folder + ".snap", "-C", folder, "meta.json", "state.bin", "SHA256SUMS"])
        #expect(made.status == 0, "\(made.stderr)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: folder + ".snap")))
    }

    static func check(_ bytes: [UInt8]) async throws {
        let checker = try VaultSnapshotChecker()
        try checker.consume(bytes)
        _ = try await checker.finish()
    }

    @Test func anArchiveMadeByGNUTarWithRightSumsPasses() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await Self.check(try await Self.archive(in: directory, lying: false))
    }

    @Test func aStateThatDoesNotMatchItsSumsIsDamaged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let error = await #expect(throws: VaultError.self) { try await Self.check(try await Self.archive(in: directory, lying: true)) }
        #expect(error?.description.contains("state.bin does not match its SHA256SUMS") == true, "\(error?.description ?? "")")
    }

    @Test func aTruncatedSnapshotIsNotAWholeArchive() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try await Self.archive(in: directory, lying: false)
        let error = await #expect(throws: VaultError.self) { try await Self.check(Array(bytes.prefix(bytes.count / 2))) }
        #expect(error?.description.contains("not a whole archive") == true, "\(error?.description ?? "")")
    }

    @Test func aFlippedByteInsideTheGzipStreamIsFound() async throws {
        let (_, bytes) = try await FakeVaultHarness.run { try await $0.snapshot() }
        var damaged = bytes
        damaged[damaged.count / 2] ^= 0x10
        await #expect(throws: VaultError.self) { try await Self.check(damaged) }
        try await Self.check(bytes)
    }
}
