import PhoenixDomain

/// The seed's blocks, read exactly as the seed writes them.
extension SectionReader {
    static let recoveryStepNames: Set<String> = [
        "backup_validation", "data_restoration", "consistency_check", "service_startup", "recovery_validation",
    ]

    mutating func readDataTiers(_ node: ConfigNode) {
        var seen: [String: String] = [:]
        for item in node.items() ?? [] {
            guard let fields = item.fields(allowed: ["name", "tier", "backup_interval_minutes", "retention_days", "encryption_required"]) else { continue }
            // Read every key before checking any, so all problems of an entry are reported.
            let name = required(fields, "name", in: item)?.string()
            let tier = required(fields, "tier", in: item)?.oneOf(Tier.self)
            let interval = required(fields, "backup_interval_minutes", in: item)?.int(in: 1...525_600)
            let days = required(fields, "retention_days", in: item)?.int(in: 1...36_500)
            let encryption = fields["encryption_required"]?.bool() ?? true
            guard let name, let tier, let interval, let days else { continue }
            if let first = seen[name] {
                fields["name"]?.error("duplicate \"\(name)\" (also \(first))")
                continue
            }
            seen[name] = item.path
            configuration.dataTiers.append(DataTierSpec(name: name, tier: tier, backupIntervalMinutes: interval, retentionDays: days, encryptionRequired: encryption))
        }
    }

    mutating func readBackup(_ node: ConfigNode) {
        guard let fields = node.fields(allowed: ["s3", "redis", "vault", "git"]) else { return }
        if let s3 = fields["s3"] { configuration.backup.s3 = readS3(s3) }
        if let redis = fields["redis"], let entries = redis.fields(allowed: ["backup_script", "schedule", "retention"]) {
            configuration.backup.redis = ScheduledBackupSettings(
                backupScript: entries["backup_script"]?.string(), schedule: entries["schedule"].flatMap(schedule),
                retention: entries["retention"].map(readRetention) ?? RetentionRules())
        }
        if let vault = fields["vault"], let entries = vault.fields(allowed: ["backup_path", "schedule", "retention"]) {
            configuration.backup.vault = VaultBackupSettings(
                backupPath: entries["backup_path"]?.string(), schedule: entries["schedule"].flatMap(schedule),
                retention: entries["retention"].map(readRetention) ?? RetentionRules())
        }
        if let git = fields["git"], let entries = git.fields(allowed: ["repositories"]) {
            let repositories = (entries["repositories"]?.items() ?? []).compactMap(readRepository)
            configuration.backup.git = GitBackupSettings(repositories: repositories)
        }
    }

    private func readS3(_ node: ConfigNode) -> S3Settings? {
        let allowed: Set<String> = ["bucket", "region", "encryption", "lifecycle_rules", "endpoint", "path_style", "access_key_id", "secret_access_key"]
        guard let fields = node.fields(allowed: allowed),
              let bucket = required(fields, "bucket", in: node)?.string(),
              let region = required(fields, "region", in: node)?.string()
        else { return nil }
        let rules = (fields["lifecycle_rules"]?.items() ?? []).compactMap { item -> LifecycleRule? in
            guard let rule = item.fields(allowed: ["prefix", "expiration_days"]),
                  let prefix = required(rule, "prefix", in: item)?.string(),
                  let days = required(rule, "expiration_days", in: item)?.int(in: 1...36_500)
            else { return nil }
            return LifecycleRule(prefix: prefix, expirationDays: days)
        }
        var encryption = fields["encryption"]?.string()
        if let value = encryption, !["AES256", "aws:kms"].contains(value) {
            fields["encryption"]?.error("\(fields["encryption"]?.shown(value) ?? "") is not one of \"AES256\", \"aws:kms\"")
            encryption = nil
        }
        return S3Settings(bucket: bucket, region: region, encryption: encryption, lifecycleRules: rules,
                          endpoint: fields["endpoint"]?.string(), pathStyle: fields["path_style"]?.bool() ?? false,
                          accessKeyID: fields["access_key_id"]?.string(), secretAccessKey: fields["secret_access_key"]?.string().map(Secret.init))
    }

    func readRetention(_ node: ConfigNode) -> RetentionRules {
        let keys = ["keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly"]
        guard let fields = node.fields(allowed: Set(keys)) else { return RetentionRules() }
        func count(_ key: String) -> Int? { fields[key]?.int(in: 0...1_000_000) }
        return RetentionRules(keepLast: count("keep_last"), keepHourly: count("keep_hourly"), keepDaily: count("keep_daily"),
                              keepWeekly: count("keep_weekly"), keepMonthly: count("keep_monthly"), keepYearly: count("keep_yearly"))
    }

    private func readRepository(_ node: ConfigNode) -> GitRepositorySpec? {
        let allowed: Set<String> = ["name", "url", "branch", "backup_schedule", "ssh_key_file", "known_hosts_file", "token"]
        guard let fields = node.fields(allowed: allowed),
              let name = required(fields, "name", in: node)?.string(),
              let url = required(fields, "url", in: node)?.string()
        else { return nil }
        return GitRepositorySpec(name: name, url: url, branch: fields["branch"]?.string(),
                                 backupSchedule: fields["backup_schedule"].flatMap(schedule),
                                 sshKeyFile: fields["ssh_key_file"]?.string(), knownHostsFile: fields["known_hosts_file"]?.string(),
                                 token: fields["token"]?.string().map(Secret.init))
    }

    /// `rto_targets` (keys: the three tiers' service classes) and `rpo_targets` (keys: datasets).
    mutating func readObjectives(_ node: ConfigNode, allowedKeys: Set<String>? = nil) -> [String: ObjectiveTarget] {
        var targets: [String: ObjectiveTarget] = [:]
        for (name, entry) in node.entries(allowed: allowedKeys) ?? [] {
            guard let fields = entry.fields(allowed: ["target_minutes", "acceptable_minutes"]), !log.hasError(under: entry.path) else { continue }
            let target = required(fields, "target_minutes", in: entry)?.int(in: 1...525_600)
            let acceptable = required(fields, "acceptable_minutes", in: entry)?.int(in: 1...525_600)
            guard let target, let acceptable else { continue }
            if acceptable < target { entry.error("acceptable_minutes (\(acceptable)) is below target_minutes (\(target))") }
            targets[name] = ObjectiveTarget(targetMinutes: target, acceptableMinutes: acceptable)
        }
        return targets
    }

    mutating func readDNSFailover(_ node: ConfigNode) {
        guard let fields = node.fields(allowed: ["provider", "health_check", "primary_region", "dr_region", "failover_policy"]) else { return }
        // Each part is read before any is checked, so every missing or bad key is reported.
        let provider = required(fields, "provider", in: node)?.oneOf(DNSFailoverSettings.Provider.self)
        let check = required(fields, "health_check", in: node)?.fields(allowed: ["protocol", "port", "path", "interval", "failure_threshold"])
        let primary = required(fields, "primary_region", in: node).flatMap(readFailoverRegion)
        let dr = required(fields, "dr_region", in: node).flatMap(readFailoverRegion)
        guard let provider, let check, let primary, let dr else { return }
        let policy = fields["failover_policy"]?.fields(allowed: ["type", "ttl"])
        let policyType = policy?["type"]?.string() ?? "active-passive"
        if policyType != "active-passive" {
            policy?["type"]?.error("\(policy?["type"]?.shown(policyType) ?? "") is not supported; phoenix-dr fails over active-passive")
        }
        let protocolName = check["protocol"]?.string() ?? "HTTPS"
        if !["HTTP", "HTTPS"].contains(protocolName) { check["protocol"]?.error("\"\(protocolName)\" is not one of \"HTTP\", \"HTTPS\"") }
        // DESIGN.md §5: this interval is in seconds; Route 53 allows only 10 (fast) or 30.
        let interval = check["interval"]?.int(in: 1...3600) ?? 30
        if provider == .route53 && ![10, 30].contains(interval) {
            check["interval"]?.error("Route 53 health checks run every 10 or 30 seconds, not \(interval)")
        }
        let healthCheck = HealthCheckSettings(
            protocol: protocolName, port: check["port"]?.int(in: 1...65_535) ?? 443, path: check["path"]?.string() ?? "/health",
            intervalSeconds: interval, failureThreshold: check["failure_threshold"]?.int(in: 1...10) ?? 3)
        configuration.dnsFailover = DNSFailoverSettings(
            provider: provider, healthCheck: healthCheck, primaryRegion: primary, drRegion: dr,
            policyType: policyType, ttlSeconds: policy?["ttl"]?.int(in: 1...86_400) ?? 60)
    }

    private func readFailoverRegion(_ node: ConfigNode) -> FailoverRegion? {
        guard let fields = node.fields(allowed: ["domain", "health_check_id"]),
              let domain = required(fields, "domain", in: node)?.string()
        else { return nil }
        return FailoverRegion(domain: domain, healthCheckID: fields["health_check_id"]?.string())
    }

    mutating func readIntegrityChecks(_ node: ConfigNode) {
        for (dataset, list) in node.entries() ?? [] {
            configuration.integrityChecks[dataset] = (list.items() ?? []).compactMap { item in
                guard let fields = item.fields(allowed: ["type", "interval", "action", "threshold"]) else { return nil }
                let kind = required(fields, "type", in: item)?.oneOf(IntegrityCheckSpec.Kind.self)
                let interval = required(fields, "interval", in: item)?.duration()
                let action = required(fields, "action", in: item)?.oneOf(IntegrityCheckSpec.Action.self)
                let threshold = fields["threshold"].flatMap(percent)
                guard let kind, let interval, let action else { return nil }
                if kind == .recordCount && threshold == nil && fields["threshold"] == nil {
                    item.error("a record_count check needs \"threshold\" (e.g. 5%)")
                }
                return IntegrityCheckSpec(kind: kind, interval: interval, action: action, thresholdPercent: threshold)
            }
        }
    }

    private func percent(_ node: ConfigNode) -> Double? {
        guard let text = node.string() else { return nil }
        let number = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Double(number), (0...100).contains(value) else {
            node.error("\"\(text)\" is not a percentage (e.g. 5%)")
            return nil
        }
        return value
    }

    mutating func readRecoverySteps(_ node: ConfigNode) {
        var seen = Set<String>()
        configuration.recoverySteps = (node.items() ?? []).compactMap { item in
            guard let fields = item.fields(allowed: ["name", "timeout", "retries"]) else { return nil }
            let name = required(fields, "name", in: item)?.string()
            let timeout = required(fields, "timeout", in: item)?.duration()
            let retries = fields["retries"]?.int(in: 0...100)
            guard let name, let timeout, fields["retries"] == nil || retries != nil else { return nil }
            // DESIGN.md §3: recovery runs these five steps; a misspelt one would never run.
            guard Self.recoveryStepNames.contains(name) else {
                var message = "\"\(name)\" is not a recovery step"
                if let suggestion = KeySuggester.suggestion(for: name, among: Self.recoveryStepNames) { message += "; did you mean \"\(suggestion)\"?" }
                fields["name"]?.error(message)
                return nil
            }
            guard seen.insert(name).inserted else {
                fields["name"]?.error("\"\(name)\" appears twice")
                return nil
            }
            return RecoveryStepSpec(name: name, timeout: timeout, retries: retries ?? 0)
        }
    }

    mutating func readTestingSchedule(_ node: ConfigNode) {
        for (name, entry) in node.entries(allowed: ["backup_verification", "recovery_testing", "failover_testing", "full_dr_test"]) ?? [] {
            guard let fields = entry.fields(allowed: ["frequency", "type"]) else { continue }
            let frequency = required(fields, "frequency", in: entry)?.oneOf(TestingScheduleEntry.Frequency.self)
            let mode = required(fields, "type", in: entry)?.oneOf(TestingScheduleEntry.Mode.self)
            guard let frequency, let mode else { continue }
            configuration.testingSchedule[name] = TestingScheduleEntry(frequency: frequency, mode: mode)
        }
    }
}
