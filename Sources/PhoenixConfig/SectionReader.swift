import PhoenixDomain

/// Reads the top-level sections into a `PhoenixConfiguration`, logging every problem.
struct SectionReader {
    var configuration: PhoenixConfiguration
    let log: DiagnosticLog

    mutating func read(_ fields: [String: ConfigNode]) {
        if let node = fields["server"] { readServer(node) }
        if let node = fields["data_tiers"] { readDataTiers(node) }
        if let node = fields["backup"] { readBackup(node) }
        if let node = fields["rto_targets"] {
            configuration.rtoTargets = readObjectives(node, allowedKeys: Set(Tier.allCases.map(\.rtoKey)))
        }
        if let node = fields["rpo_targets"] { configuration.rpoTargets = readObjectives(node) }
        if let node = fields["dns_failover"] { readDNSFailover(node) }
        if let node = fields["integrity_checks"] { readIntegrityChecks(node) }
        if let node = fields["recovery_steps"] { readRecoverySteps(node) }
        if let node = fields["testing_schedule"] { readTestingSchedule(node) }
        if let node = fields["regions"] { readRegions(node) }
        if let node = fields["stores"] { readStores(node) }
        if let node = fields["catalog"] { readCatalog(node) }
        if let node = fields["auth"] { readAuth(node) }
        if let node = fields["webhooks"] { readWebhooks(node) }
        if let node = fields["encryption"] { readEncryption(node) }
    }

    /// The value of a required key, or nil with an error naming it.
    func required(_ fields: [String: ConfigNode], _ key: String, in parent: ConfigNode) -> ConfigNode? {
        if let value = fields[key] { return value }
        log.error(parent.path, line: parent.line, "missing required key \"\(key)\"")
        return nil
    }

    /// A cron expression, checked now so a typo fails at load, not at the first run.
    func schedule(_ node: ConfigNode) -> String? {
        guard let text = node.string() else { return nil }
        do {
            _ = try CronSchedule(parsing: text)
            return text
        } catch {
            node.error("\"\(text)\" is not a cron expression: \(error.message)")
            return nil
        }
    }

    // MARK: - Our sections

    private mutating func readServer(_ node: ConfigNode) {
        let allowed: Set<String> = ["listeners", "connection_limit", "max_body_bytes", "header_timeout", "idle_timeout",
                                    "body_timeout", "shutdown_grace", "data_directory"]
        guard let fields = node.fields(allowed: allowed) else { return }
        var server = ServerSettings()
        if let listeners = fields["listeners"]?.items() {
            server.listeners = listeners.compactMap(readListener)
        }
        server.connectionLimit = fields["connection_limit"]?.int(in: 1...1_000_000) ?? server.connectionLimit
        server.maxBodyBytes = fields["max_body_bytes"]?.int(in: 1...(1 << 30)) ?? server.maxBodyBytes
        let bounds: ClosedRange<Duration> = .milliseconds(1)...(.seconds(86_400))
        server.headerTimeout = fields["header_timeout"]?.duration(in: bounds) ?? server.headerTimeout
        server.idleTimeout = fields["idle_timeout"]?.duration(in: bounds) ?? server.idleTimeout
        server.bodyTimeout = fields["body_timeout"]?.duration(in: bounds) ?? server.bodyTimeout
        server.shutdownGrace = fields["shutdown_grace"]?.duration(in: bounds) ?? server.shutdownGrace
        if server.listeners.isEmpty { fields["listeners"]?.error("needs at least one listener") }
        server.dataDirectory = fields["data_directory"]?.string() ?? server.dataDirectory
        configuration.server = server
    }

    private mutating func readRegions(_ node: ConfigNode) {
        let allowed: Set<String> = ["role", "health_url", "redis", "postgres", "vault"]
        for (name, entry) in node.entries() ?? [] {
            guard let fields = entry.fields(allowed: allowed),
                  let role = required(fields, "role", in: entry)?.oneOf(RegionSpec.Role.self)
            else { continue }
            let redis = fields["redis"]?.fields(allowed: ["address", "password"])
            let postgres = fields["postgres"]?.fields(allowed: ["url"])
            let vault = fields["vault"]?.fields(allowed: ["address", "token"])
            configuration.regions.append(RegionSpec(
                name: name, role: role, healthURL: fields["health_url"]?.string(),
                redisAddress: redis?["address"]?.string(), redisPassword: redis?["password"]?.string().map(Secret.init),
                postgresURL: postgres?["url"]?.string().map(Secret.init),
                vaultAddress: vault?["address"]?.string(), vaultToken: vault?["token"]?.string().map(Secret.init)))
        }
        let primaries = configuration.regions.filter { $0.role == .primary }
        if !configuration.regions.isEmpty && primaries.count != 1 {
            node.error("exactly one region must have role \"primary\" (found \(primaries.count))")
        }
    }

    private mutating func readStores(_ node: ConfigNode) {
        for (name, entry) in node.entries() ?? [] {
            guard let fields = entry.fields(allowed: ["kind", "path"]),
                  let kind = required(fields, "kind", in: entry)?.oneOf(StoreSpec.Kind.self)
            else { continue }
            let path = fields["path"]?.string()
            if kind == .local && path == nil { entry.error("a local store needs \"path\"") }
            if kind == .s3 && configuration.backup.s3 == nil { entry.error("an s3 store needs the backup.s3 block") }
            configuration.stores.append(StoreSpec(name: name, kind: kind, path: path))
        }
    }

    private mutating func readCatalog(_ node: ConfigNode) {
        guard let fields = node.fields(allowed: ["kind", "path", "url", "schema", "lease_duration", "heartbeat_timeout",
                                                     "event_retention"]),
              let kind = required(fields, "kind", in: node)?.oneOf(CatalogSpec.Kind.self)
        else { return }
        let path = fields["path"]?.string() ?? (kind == .sqlite ? configuration.server.dataDirectory + "/catalog.sqlite" : nil)
        var catalog = CatalogSpec(kind: kind, path: path, url: fields["url"]?.string().map(Secret.init))
        if kind == .postgres && catalog.url == nil { node.error("a postgres catalog needs \"url\"") }
        if let schema = fields["schema"], let name = schema.string() {
            if name.wholeMatch(of: /[a-z_][a-z0-9_]{0,62}/) == nil {
                schema.error("must be a lowercase SQL identifier (letters, digits, _), not \"\(name)\"")
            }
            catalog.schema = name
        }
        if let lease = fields["lease_duration"]?.duration(in: .seconds(1)...(.seconds(600))) { catalog.leaseDuration = lease }
        if let timeout = fields["heartbeat_timeout"]?.duration(in: .seconds(1)...(.seconds(3600))) { catalog.heartbeatTimeout = timeout }
        if let retention = fields["event_retention"]?.duration(in: .seconds(3600)...(.seconds(3650 * 86_400))) {
            catalog.eventRetention = retention
        }
        configuration.catalog = catalog
    }

    private mutating func readEncryption(_ node: ConfigNode) {
        guard let fields = node.fields(allowed: ["keyring_file", "keyring_env", "current_key"]) else { return }
        configuration.encryption = EncryptionSpec(keyringFile: fields["keyring_file"]?.string(),
                                                  keyringEnvironment: fields["keyring_env"]?.string(),
                                                  currentKey: fields["current_key"]?.string())
        if configuration.encryption.keyringFile != nil && configuration.encryption.keyringEnvironment != nil {
            node.error("give \"keyring_file\" or \"keyring_env\", not both")
        }
    }

    private mutating func readAuth(_ node: ConfigNode) {
        guard let fields = node.fields(allowed: ["tokens"]) else { return }
        configuration.tokens = (fields["tokens"]?.items() ?? []).compactMap { item in
            guard let entry = item.fields(allowed: ["name", "role", "sha256"]),
                  let name = required(entry, "name", in: item)?.string(),
                  let role = required(entry, "role", in: item)?.oneOf(TokenSpec.Role.self),
                  let hash = required(entry, "sha256", in: item)?.string()
            else { return nil }
            guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0 | 0x20) }) else {
                entry["sha256"]?.error("not a SHA-256 hex digest (64 hex digits); make one with `phoenix-dr token create`")
                return nil
            }
            return TokenSpec(name: name, role: role, sha256: hash.lowercased())
        }
        if configuration.tokens?.isEmpty == true && !log.hasError(under: node.path) {
            node.error("no tokens: nobody could call the API (remove the section to get a generated admin token)")
        }
    }

    private mutating func readWebhooks(_ node: ConfigNode) {
        guard let fields = node.fields(allowed: ["incoming", "outgoing"]) else { return }
        for (name, entry) in fields["incoming"]?.entries() ?? [] {
            guard let hook = entry.fields(allowed: ["auth", "secret", "action", "dataset"]),
                  let authentication = required(hook, "auth", in: entry)?.oneOf(IncomingWebhookSpec.Authentication.self),
                  let secret = required(hook, "secret", in: entry)?.string(),
                  let action = required(hook, "action", in: entry)?.string()
            else { continue }
            guard ["backup", "verify", "drill"].contains(action) else {
                hook["action"]?.error("\"\(action)\" is not one of \"backup\", \"verify\", \"drill\"")
                continue
            }
            configuration.incomingWebhooks.append(IncomingWebhookSpec(
                name: name, authentication: authentication, secret: Secret(secret), action: action, dataset: hook["dataset"]?.string()))
        }
        configuration.outgoingWebhooks = (fields["outgoing"]?.items() ?? []).compactMap { item in
            guard let hook = item.fields(allowed: ["url", "secret", "events"]),
                  let url = required(hook, "url", in: item)?.string(),
                  let secret = required(hook, "secret", in: item)?.string()
            else { return nil }
            let events = (hook["events"]?.items() ?? []).compactMap { $0.string() }
            return OutgoingWebhookSpec(url: url, secret: Secret(secret), events: events)
        }
    }
}
