import PhoenixCrypto
import Synchronization

/// Signing keys, derived once per (day, region, service, access key) instead of on every request.
///
/// The derivation is four HMACs (`AWS4<secret>` → date → region → service → `aws4_request`) and the
/// result is valid for the whole UTC day. The secret is stored beside each key and compared on
/// lookup, so a rotated secret under the same key id is never served a stale key. At most
/// `capacity` keys are kept; when full, keys of other days go first.
public final class SigningKeyCache: Sendable {
    struct Scope: Hashable {
        let day: String
        let region: String
        let service: String
        let accessKeyID: String
    }

    struct State {
        var keys: [Scope: (secret: AWSSecret, key: [UInt8])] = [:]
        var derivations = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    /// An empty cache holding up to `capacity` keys.
    public init(capacity: Int = 32) {
        self.capacity = max(capacity, 1)
    }

    /// How many keys were derived rather than found: for tests and metrics.
    public var derivationCount: Int { state.withLock { $0.derivations } }

    /// The signing key for `scope`, derived from `secret` if not cached.
    func key(for scope: Scope, secret: AWSSecret) -> [UInt8] {
        state.withLock { state in
            if let entry = state.keys[scope], entry.secret == secret { return entry.key }
            if state.keys.count >= capacity {
                state.keys = state.keys.filter { $0.key.day == scope.day }
                if state.keys.count >= capacity { state.keys.removeAll() }
            }
            let key = Self.derive(secret: secret, scope: scope)
            state.keys[scope] = (secret, key)
            state.derivations += 1
            return key
        }
    }

    /// SigV4's key derivation ("Calculate the signature", IAM user guide).
    static func derive(secret: AWSSecret, scope: Scope) -> [UInt8] {
        var key = Array("AWS4\(secret.value)".utf8)
        for part in [scope.day, scope.region, scope.service, "aws4_request"] {
            key = HMACSHA256.authenticate(Array(part.utf8), key: key)
        }
        return key
    }
}
