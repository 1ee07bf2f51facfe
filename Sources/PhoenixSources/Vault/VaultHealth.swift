import Foundation

/// `GET /v1/sys/health` as Vault documents it: 200 active, 429 unsealed standby, 472 DR
/// secondary, 473 performance standby, 501 not initialised, 503 sealed, each with a JSON body.
struct VaultHealth: Sendable, Equatable, Decodable {
    var initialized: Bool
    var sealed: Bool
    var standby: Bool
    var performanceStandby: Bool?
    var replicationDRMode: String?
    var version: String?
    var clusterName: String?

    enum CodingKeys: String, CodingKey {
        case initialized, sealed, standby, version
        case performanceStandby = "performance_standby"
        case replicationDRMode = "replication_dr_mode"
        case clusterName = "cluster_name"
    }

    /// Parses the answer; anything that is not Vault's JSON is an error naming what came.
    static func parse(status: Int, contentType: String?, body: [UInt8], endpoint: VaultEndpoint) throws(VaultError) -> VaultHealth {
        do {
            return try JSONDecoder().decode(VaultHealth.self, from: Data(body))
        } catch {
            throw VaultAnswer.unexpected(status: status, contentType: contentType, body: body, endpoint: endpoint,
                                         what: "its health endpoint (/v1/sys/health)")
        }
    }

    /// Only the active, unsealed, initialised node takes and restores snapshots.
    func requireActive(_ endpoint: VaultEndpoint) throws(VaultError) {
        let at = endpoint.shownAddress
        if !initialized {
            throw VaultError(.uninitialized, "the Vault at \(at) is not initialised (vault operator init): there is nothing to back up or restore into")
        }
        if sealed {
            throw VaultError(.sealed, "the Vault at \(at) is sealed: unseal it (vault operator unseal) before a snapshot or a restore")
        }
        if replicationDRMode == "secondary" {
            throw VaultError(.notActive, "the Vault at \(at) is a DR replication secondary: snapshots are taken on the primary cluster")
        }
        if standby || performanceStandby == true {
            throw VaultError(.notActive, "the Vault at \(at) is a standby node: point the address at the active node (or the cluster's address that reaches it)")
        }
    }

    /// `Vault 1.15.0 (vault-cluster-1)`.
    var shownVersion: String? {
        guard let version else { return nil }
        return "Vault \(version)" + (clusterName.map { " (\($0))" } ?? "")
    }
}

/// Vault's error answers (`{"errors": ["permission denied"]}`) and everything that is not one.
enum VaultAnswer {
    private struct Errors: Decodable {
        var errors: [String]
    }

    /// The error for a non-success status of `what` (`the snapshot`).
    static func failure(status: Int, contentType: String?, body: [UInt8], endpoint: VaultEndpoint, what: String) -> VaultError {
        guard let decoded = try? JSONDecoder().decode(Errors.self, from: Data(body)) else {
            return unexpected(status: status, contentType: contentType, body: body, endpoint: endpoint, what: what)
        }
        let reasons = decoded.errors.map { endpoint.redact(String($0.prefix(300))) }.joined(separator: "; ")
        let at = endpoint.shownAddress
        switch status {
        case 403:
            return VaultError(.permissionDenied, "the Vault at \(at) refused the token for \(what) (403 \(reasons)): check the token and that its policy grants sudo on sys/storage/raft/snapshot")
        case 503 where reasons.lowercased().contains("sealed"):
            return VaultError(.sealed, "the Vault at \(at) is sealed: unseal it before a snapshot or a restore")
        default:
            return VaultError(.rejected, "the Vault at \(at) answered \(what) with HTTP \(status): \(reasons.isEmpty ? "no reason given" : reasons)")
        }
    }

    /// An answer that is not Vault's JSON: an HTML error page from a proxy, a 500 from elsewhere.
    static func unexpected(status: Int, contentType: String?, body: [UInt8], endpoint: VaultEndpoint, what: String) -> VaultError {
        let kind = contentType.map { "a \($0.split(separator: ";").first.map(String.init) ?? $0) body" } ?? "a body without a content type"
        return VaultError(.unexpectedAnswer,
                          "\(endpoint.shownAddress) answered \(what) with HTTP \(status) and \(kind), not Vault's JSON: is the address a Vault server?")
    }
}
