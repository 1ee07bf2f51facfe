import FoundationEssentials
import FoundationInternationalization
import PhoenixDomain

/// Completes the datasets from `datasets:` and the seed's blocks by the rules of DESIGN.md §5,
/// warning where the seed contradicts itself and naming both keys.
struct DatasetResolver {
    let configuration: PhoenixConfiguration
    let datasetNodes: ConfigNode?
    let log: DiagnosticLog

    static let allowedKeys: Set<String> = ["source", "tier", "schedule", "time_zone", "retention", "prefix", "store", "path", "repository",
                                           "url", "state_tables", "schema_version_query", "globals", "dump_compression", "mode"]

    mutating func resolve() -> [DatasetSpec] {
        var explicit: [String: (node: ConfigNode, fields: [String: ConfigNode])] = [:]
        var order: [String] = []
        for (name, node) in datasetNodes?.entries() ?? [] {
            guard let fields = node.fields(allowed: Self.allowedKeys) else { continue }
            explicit[name] = (node, fields)
            order.append(name)
        }
        for name in implicitNames() where explicit[name] == nil && !order.contains(name) { order.append(name) }
        let datasets = order.compactMap { resolve(name: $0, node: explicit[$0]?.node, fields: explicit[$0]?.fields ?? [:]) }
        checkPrefixes(datasets)
        return datasets.sorted { $0.name < $1.name }
    }

    /// Datasets the seed implies: each of `data_tiers`, Redis when `backup.redis` is set (the
    /// seed's redis_data), Vault when configured, each git repository.
    private func implicitNames() -> [String] {
        configuration.dataTiers.map(\.name)
            + (configuration.backup.redis != nil ? ["redis_data"] : [])
            + (configuration.backup.vault != nil ? ["vault"] : [])
            + (configuration.backup.git?.repositories.map { "git-\($0.name)" } ?? [])
    }

    /// Where a dataset's problems are reported: its `datasets` entry, or the seed key implying it.
    private func origin(of name: String, node: ConfigNode?) -> (path: String, line: Int?) {
        if let node { return (node.path, node.line) }
        if let index = configuration.dataTiers.firstIndex(where: { $0.name == name }) { return ("data_tiers[\(index)]", nil) }
        return ("datasets.\(name)", nil)
    }

    private func resolve(name: String, node: ConfigNode?, fields: [String: ConfigNode]) -> DatasetSpec? {
        let (path, line) = origin(of: name, node: node)
        let tierSpec = configuration.dataTiers.first { $0.name == name }
        let repository = fields["repository"]?.string() ?? (name.hasPrefix("git-") ? String(name.dropFirst(4)) : nil)
        guard let source = fields["source"].map({ $0.oneOf(DatasetSpec.SourceKind.self) }) ?? inferredSource(name) else {
            if fields["source"] == nil {  // an invalid value was reported where it was written
                log.error(path, line: line, "no source for dataset \"\(name)\": set datasets.\(name).source")
            }
            return nil
        }
        let tier = fields["tier"].map { $0.oneOf(Tier.self) } ?? tierSpec?.tier ?? defaultTier(source)
        guard let tier else {
            if fields["tier"] == nil {
                log.error(path, line: line, "dataset \"\(name)\" has no tier: add it to data_tiers or set datasets.\(name).tier")
            }
            return nil
        }
        let timeZone = fields["time_zone"]?.string() ?? "UTC"
        if TimeZone(identifier: timeZone) == nil {
            fields["time_zone"]?.error("\"\(timeZone)\" is not a time zone (use an IANA name such as Europe/Berlin)")
            return nil
        }
        let schedule = resolveSchedule(name: name, source: source, repository: repository, fields: fields, tierSpec: tierSpec)
        guard let schedule else {
            // An invalid schedule was reported where it was written; do not report it twice.
            if !log.hasError(under: "backup.\(source.rawValue)") && !log.hasError(under: path) {
                log.error(path, line: line, "dataset \"\(name)\" has no schedule: set datasets.\(name).schedule")
            }
            return nil
        }
        let retention = fields["retention"].map { SectionReader(configuration: configuration, log: log).readRetention($0) }
            ?? sourceRetention(source)
        let retentionKey = fields["retention"]?.path ?? "backup.\(source.rawValue).retention"
        checkRetention(retention, of: name, at: retentionKey, against: tierSpec)
        checkRPO(name: name, schedule: schedule, timeZone: timeZone)
        let resolved = DatasetSpec(
            name: name, source: source, tier: tier, schedule: schedule, timeZone: timeZone,
            retention: retention, retentionDays: tierSpec?.retentionDays, encryptionRequired: tierSpec?.encryptionRequired ?? true,
            prefix: fields["prefix"]?.string() ?? lifecyclePrefix(name: name, source: source),
            store: fields["store"]?.string() ?? configuration.stores.first?.name ?? EmbeddedDefaults.storeName,
            path: fields["path"]?.string(), repository: repository,
            preBackupHook: source == .redis ? configuration.backup.redis?.backupScript : nil)
        var withSource = resolved
        readPostgresFields(fields, into: &withSource)
        readRedisFields(fields, into: &withSource)
        let dataset = withSource
        checkVaultEndpoint(dataset)
        checkReferences(dataset, fields: fields, path: path, line: line)
        checkLifecycle(prefix: dataset.prefix, of: name, against: tierSpec)
        return dataset
    }

    private func inferredSource(_ name: String) -> DatasetSpec.SourceKind? {
        switch name {
        case "redis_data": .redis
        case "agent_state": .postgres
        case "metrics": .directory
        case "vault": .vault
        default: name.hasPrefix("git-") ? .git : nil
        }
    }

    /// DESIGN.md §5: Vault and Git default to Critical and Important unless data_tiers says
    /// otherwise; the seed's Redis data is Critical (§3.1).
    private func defaultTier(_ source: DatasetSpec.SourceKind) -> Tier? {
        switch source {
        case .vault, .redis: .critical
        case .git: .important
        default: nil
        }
    }

    /// Two datasets in one store must not share a prefix, or retention of one would prune the
    /// other's backups.
    private func checkPrefixes(_ datasets: [DatasetSpec]) {
        for (index, first) in datasets.enumerated() {
            for second in datasets[(index + 1)...] where first.store == second.store {
                if first.prefix.hasPrefix(second.prefix) || second.prefix.hasPrefix(first.prefix) {
                    log.error("datasets.\(second.name).prefix", line: nil,
                              "\"\(second.prefix)\" overlaps \"\(first.prefix)\" of dataset \(first.name) in store \(first.store)")
                }
            }
        }
    }

    private func sourceRetention(_ source: DatasetSpec.SourceKind) -> RetentionRules {
        switch source {
        case .redis: configuration.backup.redis?.retention ?? RetentionRules()
        case .vault: configuration.backup.vault?.retention ?? RetentionRules()
        default: RetentionRules()
        }
    }

    /// DESIGN.md §5: the prefix of the matching lifecycle rule (redis_data → redis/,
    /// agent_state → agent-state/), else `<name>/`.
    private func lifecyclePrefix(name: String, source: DatasetSpec.SourceKind) -> String {
        let candidates = [name.replacing("_", with: "-"), source.rawValue, name]
        for rule in configuration.backup.s3?.lifecycleRules ?? [] {
            let bare = rule.prefix.hasSuffix("/") ? String(rule.prefix.dropLast()) : rule.prefix
            if candidates.contains(bare) { return rule.prefix }
        }
        return name + "/"
    }

    private func checkReferences(_ dataset: DatasetSpec, fields: [String: ConfigNode], path: String, line: Int?) {
        if !configuration.stores.isEmpty, !configuration.stores.contains(where: { $0.name == dataset.store }) {
            let node = fields["store"]
            log.error(node?.path ?? path, line: node?.line ?? line, "store \"\(dataset.store)\" is not defined in stores")
        }
        if dataset.source == .git, let repository = dataset.repository,
           configuration.backup.git?.repositories.contains(where: { $0.name == repository }) != true {
            log.error(path, line: line, "repository \"\(repository)\" is not in backup.git.repositories")
        }
        if dataset.source == .directory && dataset.path == nil {
            log.warning(path, line: line, "directory dataset \"\(dataset.name)\" has no path: set datasets.\(dataset.name).path")
        }
        if let tierName = fields["tier"], configuration.dataTiers.contains(where: { $0.name == dataset.name && $0.tier != dataset.tier }) {
            tierName.warning("overrides the tier given in data_tiers")
        }
        if !configuration.rtoTargets.isEmpty && configuration.rtoTargets[dataset.tier.rtoKey] == nil {
            log.warning(path, line: line, "no rto_targets.\(dataset.tier.rtoKey) for tier \(dataset.tier.rawValue)")
        }
    }
}
