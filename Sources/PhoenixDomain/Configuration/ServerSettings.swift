/// Our `server:` section: where and how the API listens.
public struct ServerSettings: Sendable, Equatable {
    public var listeners: [ListenerSpec]
    public var connectionLimit: Int
    public var maxBodyBytes: Int
    public var headerTimeout: Duration
    public var idleTimeout: Duration
    public var bodyTimeout: Duration
    public var shutdownGrace: Duration
    /// Directory for the embedded catalog, local backups and the generated admin token.
    public var dataDirectory: String

    public init(listeners: [ListenerSpec] = [ListenerSpec(address: "127.0.0.1:8080")], connectionLimit: Int = 10_000,
                maxBodyBytes: Int = 1 << 20, headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60),
                bodyTimeout: Duration = .seconds(30), shutdownGrace: Duration = .seconds(10), dataDirectory: String = "./phoenix-data") {
        self.listeners = listeners
        self.connectionLimit = connectionLimit
        self.maxBodyBytes = maxBodyBytes
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.shutdownGrace = shutdownGrace
        self.dataDirectory = dataDirectory
    }
}

/// `server.listeners[]`: an address, with TLS when a certificate is given.
public struct ListenerSpec: Sendable, Equatable {
    /// A PEM certificate chain and its key.
    public struct Certificate: Sendable, Equatable {
        public var chainFile: String
        public var keyFile: String

        public init(chainFile: String, keyFile: String) {
            self.chainFile = chainFile
            self.keyFile = keyFile
        }
    }

    public var address: String
    /// Empty for plain HTTP. The first is served by default, the others by SNI host name.
    public var tlsCertificates: [Certificate]
    /// How long a client may take to finish its TLS handshake.
    public var tlsHandshakeTimeout: Duration

    public init(address: String, tlsCertificates: [Certificate] = [], tlsHandshakeTimeout: Duration = .seconds(10)) {
        self.address = address
        self.tlsCertificates = tlsCertificates
        self.tlsHandshakeTimeout = tlsHandshakeTimeout
    }

    public var isTLS: Bool { !tlsCertificates.isEmpty }
}

/// `regions.<name>`: one region's endpoints.
public struct RegionSpec: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable, CaseIterable {
        case primary, dr
    }

    public var name: String
    public var role: Role
    /// The `/health` URL of this region's phoenix-dr.
    public var healthURL: String?
    public var redisAddress: String?
    public var redisPassword: Secret?
    public var postgresURL: Secret?
    public var vaultAddress: String?
    public var vaultToken: Secret?

    public init(name: String, role: Role, healthURL: String? = nil, redisAddress: String? = nil, redisPassword: Secret? = nil,
                postgresURL: Secret? = nil, vaultAddress: String? = nil, vaultToken: Secret? = nil) {
        self.name = name
        self.role = role
        self.healthURL = healthURL
        self.redisAddress = redisAddress
        self.redisPassword = redisPassword
        self.postgresURL = postgresURL
        self.vaultAddress = vaultAddress
        self.vaultToken = vaultToken
    }
}

/// `stores.<name>`: where artifacts go.
public struct StoreSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case local, s3
    }

    public var name: String
    public var kind: Kind
    /// For `local`: the root folder.
    public var path: String?

    public init(name: String, kind: Kind, path: String? = nil) {
        self.name = name
        self.kind = kind
        self.path = path
    }
}

/// `catalog:`: the embedded SQLite file, or a PostgreSQL shared by the region's instances.
public struct CatalogSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case sqlite, postgres
    }

    public var kind: Kind
    public var path: String?
    public var url: Secret?
    /// PostgreSQL: the schema holding the catalog's tables.
    public var schema: String
    /// PostgreSQL: how long the leader lease lasts unless renewed; a successor takes over
    /// within this time after the leader dies.
    public var leaseDuration: Duration
    /// PostgreSQL: how long a worker may miss heartbeats before the leader marks its running
    /// jobs `interrupted`.
    public var heartbeatTimeout: Duration
    /// How long the event history keeps an entry before it is pruned.
    public var eventRetention: Duration

    public init(kind: Kind, path: String? = nil, url: Secret? = nil, schema: String = "phoenix",
                leaseDuration: Duration = .seconds(15), heartbeatTimeout: Duration = .seconds(60),
                eventRetention: Duration = .seconds(90 * 86_400)) {
        self.eventRetention = eventRetention
        self.kind = kind
        self.path = path
        self.url = url
        self.schema = schema
        self.leaseDuration = leaseDuration
        self.heartbeatTimeout = heartbeatTimeout
    }
}

/// `auth.tokens[]`: a bearer token, stored as its SHA-256 hash.
public struct TokenSpec: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable, CaseIterable {
        case viewer, `operator`, admin
    }

    public var name: String
    public var role: Role
    public var sha256: String

    public init(name: String, role: Role, sha256: String) {
        self.name = name
        self.role = role
        self.sha256 = sha256
    }
}

/// `webhooks.incoming.<name>`: an authenticated trigger at `/v1/hooks/{name}`.
public struct IncomingWebhookSpec: Sendable, Equatable {
    public enum Authentication: String, Sendable, Equatable, CaseIterable {
        case bearer, github, standard
    }

    public var name: String
    public var authentication: Authentication
    public var secret: Secret
    /// What the hook triggers: `backup`, `verify`, `drill`.
    public var action: String
    public var dataset: String?

    public init(name: String, authentication: Authentication, secret: Secret, action: String, dataset: String? = nil) {
        self.name = name
        self.authentication = authentication
        self.secret = secret
        self.action = action
        self.dataset = dataset
    }
}

/// `webhooks.outgoing[]`: a signed notification of job events.
public struct OutgoingWebhookSpec: Sendable, Equatable {
    public var url: String
    public var secret: Secret
    public var events: [String]

    public init(url: String, secret: Secret, events: [String]) {
        self.url = url
        self.secret = secret
        self.events = events
    }
}

/// `encryption:`: where the keyring with the artifacts' master keys comes from (DESIGN.md §4).
/// With neither a file nor a variable, the first start writes a random key to
/// `<data_directory>/keyring` (mode 0600), which must be copied to the DR region.
public struct EncryptionSpec: Sendable, Equatable {
    /// A keyring file: one `id base64-key` per line.
    public var keyringFile: String?
    /// An environment variable holding the same text, for secrets injected by an orchestrator.
    public var keyringEnvironment: String?
    /// The key id new artifacts are encrypted with; default: the file's last key.
    public var currentKey: String?

    public init(keyringFile: String? = nil, keyringEnvironment: String? = nil, currentKey: String? = nil) {
        self.keyringFile = keyringFile
        self.keyringEnvironment = keyringEnvironment
        self.currentKey = currentKey
    }
}
