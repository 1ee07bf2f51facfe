import PhoenixDomain

/// The seed's blocks, read exactly as the seed writes them.
extension SectionReader {
    mutating func readDataTiers(_ node: ConfigNode) {
        for item in node.items() ?? [] {
            guard let fields = item.fields(allowed: ["name", "tier", "backup_interval_minutes", "retention_days", "encryption_required"]) else { continue }
            guard let name = required(fields, "name", in: item)?.string(),
                  let tier = required(fields, "tier", in: item)?.oneOf(Tier.self),
                  let interval = required(fields, "backup_interval_minutes", in: item)?.int(in: 1...525_600),
                  let days = required(fields, "retention_days", in: item)?.int(in: 1...36_500)
            else { continue }
            let encryption = fields["encryption_required"]?.bool() ?? true
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
        if let encryption = fields["encryption"]?.string(), !["AES256", "aws:kms"].contains(encryption) {
            fields["encryption"]?.error("\"\(encryption)\" is not one of \"AES256\", \"aws:kms\"")
        }
        return S3Settings(bucket: bucket, region: region, encryption: fields["encryption"]?.string(), lifecycleRules: rules,
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

    mutating func readObjectives(_ node: ConfigNode) -> [String: ObjectiveTarget] {
        var targets: [String: ObjectiveTarget] = [:]
        for (name, entry) in node.entries() ?? [] {
            guard let fields = entry.fields(allowed: ["target_minutes", "acceptable_minutes"]),
                  let target = required(fields, "target_minutes", in: entry)?.int(in: 1...525_600),
                  let acceptable = required(fields, "acceptable_minutes", in: entry)?.int(in: 1...525_600)
            else { continue }
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
        if let type = policy?["type"]?.string(), type != "active-passive" {
            policy?["type"]?.error("\"\(type)\" is not supported; phoenix-dr fails over active-passive")
        }
        let healthCheck = HealthCheckSettings(
            protocol: check["protocol"]?.string() ?? "HTTPS", port: check["port"]?.int(in: 1...65_535) ?? 443,
            path: check["path"]?.string() ?? "/health",
            // DESIGN.md §5: this interval is in seconds (Route 53 allows 10 or 30).
            intervalSeconds: check["interval"]?.int(in: 1...3600) ?? 30,
            failureThreshold: check["failure_threshold"]?.int(in: 1...10) ?? 3)
        configuration.dnsFailover = DNSFailoverSettings(
            provider: provider, healthCheck: healthCheck, primaryRegion: primary, drRegion: dr,
            policyType: policy?["type"]?.string() ?? "active-passive", ttlSeconds: policy?["ttl"]?.int(in: 1...86_400) ?? 60)
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
                guard let fields = item.fields(allowed: ["type", "interval", "action", "threshold"]),
                      let kind = required(fields, "type", in: item)?.oneOf(IntegrityCheckSpec.Kind.self),
                      let interval = required(fields, "interval", in: item)?.duration(),
                      let action = required(fields, "action", in: item)?.oneOf(IntegrityCheckSpec.Action.self)
                else { return nil }
                return IntegrityCheckSpec(kind: kind, interval: interval, action: action, thresholdPercent: fields["threshold"].flatMap(percent))
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
        configuration.recoverySteps = (node.items() ?? []).compactMap { item in
            guard let fields = item.fields(allowed: ["name", "timeout", "retries"]),
                  let name = required(fields, "name", in: item)?.string(),
                  let timeout = required(fields, "timeout", in: item)?.duration()
            else { return nil }
            return RecoveryStepSpec(name: name, timeout: timeout, retries: fields["retries"]?.int(in: 0...100) ?? 0)
        }
    }

    mutating func readTestingSchedule(_ node: ConfigNode) {
        for (name, entry) in node.entries() ?? [] {
            guard let fields = entry.fields(allowed: ["frequency", "type"]),
                  let frequency = required(fields, "frequency", in: entry)?.oneOf(TestingScheduleEntry.Frequency.self),
                  let mode = required(fields, "type", in: entry)?.oneOf(TestingScheduleEntry.Mode.self)
            else { continue }
            configuration.testingSchedule[name] = TestingScheduleEntry(frequency: frequency, mode: mode)
        }
    }
}
