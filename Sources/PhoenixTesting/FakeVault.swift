import FoundationEssentials
import HTTPTypes
import PhoenixCrypto
import PhoenixHTTP
import Synchronization

/// A stand-in for HashiCorp Vault (not installable here, DESIGN.md §1.1) on our own HTTP server:
/// the documented calls the Vault source and restore use, with Vault's status codes and JSON
/// error bodies. It is not Vault: no raft, no real seal, no policies; tests that use it say
/// "fake Vault" in their names.
///
/// - `GET /v1/sys/health`: 200 active, 429 standby, 501 not initialised, 503 sealed.
/// - `PUT /v1/sys/seal`, `PUT /v1/sys/unseal`.
/// - `GET /v1/sys/storage/raft/snapshot`: a gzip'd tar like Vault's (`FakeVaultSnapshot`).
/// - `POST /v1/sys/storage/raft/snapshot`: restore; 400 for a snapshot of another cluster
///   (its sealed sums do not verify under this cluster's key), as Vault does.
/// - `POST /v1/sys/storage/raft/snapshot-force`: restore without that check.
/// - KV v2 `GET|POST|PUT /v1/secret/data/{path}`, so a test can see a restore change the data.
///
/// A missing or wrong `X-Vault-Token` gets 403 `{"errors":["permission denied"]}`; a sealed
/// node answers 503 `{"errors":["Vault is sealed"]}`. Two fakes are one cluster when they share
/// `clusterKey`.
///
/// ```swift
/// let vault = FakeVault()
/// let server = try vault.start()
/// defer { Task { await server.stop() } }
/// let endpoint = try VaultEndpoint(address: server.baseURL, token: vault.token)
/// ```
public final class FakeVault: Sendable {
    /// What the node is, as its health endpoint says.
    public enum Mode: Sendable {
        case active, standby, uninitialized
    }

    /// A broken answer a test asks for.
    public enum Fault: Sendable {
        /// Every `/v1/sys/*` call answers this status with an HTML page, as a proxy in front of
        /// a dead Vault does.
        case htmlPage(status: Int)
    }

    struct State {
        var mode = Mode.active
        var isSealed = false
        var fault: Fault?
        var data: [String: [String: String]] = [:]
        var snapshotIndex = 0
        var restores: [(forced: Bool, bytes: Int)] = []
    }

    /// The root token the fake accepts.
    public let token: String
    let clusterKey: [UInt8]
    let state = Mutex(State())

    /// A fake with `token`; fakes given the same `clusterKey` are one cluster.
    public init(token: String = "fake-vault-root-token", clusterKey: [UInt8]? = nil) {
        self.token = token
        self.clusterKey = clusterKey ?? ((try? SecureRandom.bytes(32)) ?? Array(token.utf8))
    }

    /// Serves the fake on 127.0.0.1 port 0; snapshots up to 256 MiB are accepted.
    public func start() throws -> LiveServer {
        try LiveServer(responder: router()) { configuration in
            configuration.limits.maxBodyBytes = 256 << 20
        }
    }

    // MARK: - What tests change and read

    public func seal() { state.withLock { $0.isSealed = true } }
    public func unseal() { state.withLock { $0.isSealed = false } }
    public func setMode(_ mode: Mode) { state.withLock { $0.mode = mode } }
    public func inject(_ fault: Fault?) { state.withLock { $0.fault = fault } }

    /// Writes KV data as `POST /v1/secret/data/{path}` would.
    public func write(_ path: String, _ data: [String: String]) { state.withLock { $0.data[path] = data } }

    /// The KV data at `path`.
    public func read(_ path: String) -> [String: String]? { state.withLock { $0.data[path] } }

    /// The restores accepted so far: whether forced, and the snapshot's size.
    public var restores: [(forced: Bool, bytes: Int)] { state.withLock { $0.restores } }

    /// A snapshot of the current data, as `GET /v1/sys/storage/raft/snapshot` returns it.
    public func snapshotBytes() -> [UInt8] {
        let (data, index) = state.withLock { state in
            state.snapshotIndex += 1
            return (state.data, state.snapshotIndex)
        }
        return FakeVaultSnapshot.encode(data, clusterKey: clusterKey, index: index)
    }
}
