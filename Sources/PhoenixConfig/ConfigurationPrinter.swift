import PhoenixDomain
import Yams

/// `config show`: the effective configuration as YAML, defaults filled in, secrets as `***`.
public enum ConfigurationPrinter {
    /// The YAML text of `configuration`.
    public static func yaml(_ configuration: PhoenixConfiguration) -> String {
        let root = map([
            ("server", server(configuration.server)),
            ("catalog", map([("kind", scalar(configuration.catalog.kind.rawValue)), ("path", optional(configuration.catalog.path)),
                             ("url", optional(configuration.catalog.url?.description)),
                             ("schema", scalar(configuration.catalog.schema)),
                             ("lease_duration", scalar(DurationText.format(configuration.catalog.leaseDuration))),
                             ("heartbeat_timeout", scalar(DurationText.format(configuration.catalog.heartbeatTimeout))),
                             ("event_retention", scalar(DurationText.format(configuration.catalog.eventRetention)))])),
            ("encryption", map([("keyring_file", optional(configuration.encryption.keyringFile)),
                                ("keyring_env", optional(configuration.encryption.keyringEnvironment)),
                                ("current_key", optional(configuration.encryption.currentKey))])),
            ("stores", map(configuration.stores.map { ($0.name, map([("kind", scalar($0.kind.rawValue)), ("path", optional($0.path))])) })),
            ("regions", map(configuration.regions.map { region in
                (region.name, map([("role", scalar(region.role.rawValue)), ("health_url", optional(region.healthURL)),
                                   ("redis", map([("address", optional(region.redisAddress)), ("password", optional(region.redisPassword?.description))])),
                                   ("postgres", map([("url", optional(region.postgresURL?.description))])),
                                   ("vault", map([("address", optional(region.vaultAddress)), ("token", optional(region.vaultToken?.description))]))]))
            })),
            ("datasets", map(configuration.datasets.map { ($0.name, dataset($0)) })),
            ("recovery_steps", .sequence(.init(configuration.recoverySteps.map { step in
                map([("name", scalar(step.name)), ("timeout", scalar(DurationText.format(step.timeout))), ("retries", scalar("\(step.retries)"))])
            }))),
            ("rto_targets", objectives(configuration.rtoTargets)),
            ("rpo_targets", objectives(configuration.rpoTargets)),
            ("auth", map([("tokens", scalar(configuration.tokens.map { "\($0.count) configured" } ?? "none: an admin token is generated at first start"))])),
            ("data_tiers", .sequence(.init(configuration.dataTiers.map { tier in
                map([("name", scalar(tier.name)), ("tier", scalar(tier.tier.rawValue)),
                     ("backup_interval_minutes", scalar("\(tier.backupIntervalMinutes)")), ("retention_days", scalar("\(tier.retentionDays)")),
                     ("encryption_required", scalar("\(tier.encryptionRequired)"))])
            }))),
            ("backup", backup(configuration.backup)),
            ("dns_failover", configuration.dnsFailover.map(failover)),
            ("integrity_checks", map(configuration.integrityChecks.sorted { $0.key < $1.key }.map { name, checks in
                (name, .sequence(.init(checks.map { check in
                    map([("type", scalar(check.kind.rawValue)), ("interval", scalar(DurationText.format(check.interval))),
                         ("action", scalar(check.action.rawValue)), ("threshold", optional(check.thresholdPercent.map { "\($0)%" }))])
                })))
            })),
            ("testing_schedule", map(configuration.testingSchedule.sorted { $0.key < $1.key }.map {
                ($0.key, map([("frequency", scalar($0.value.frequency.rawValue)), ("type", scalar($0.value.mode.rawValue))]))
            })),
            ("webhooks", map([
                ("incoming", map(configuration.incomingWebhooks.map { hook in
                    (hook.name, map([("auth", scalar(hook.authentication.rawValue)), ("secret", scalar(hook.secret.description)),
                                     ("action", scalar(hook.action)), ("dataset", optional(hook.dataset))]))
                })),
                ("outgoing", .sequence(.init(configuration.outgoingWebhooks.map { hook in
                    map([("url", scalar(hook.url)), ("secret", scalar(hook.secret.description)),
                         ("events", .sequence(.init(hook.events.map(scalar))))])
                }))),
            ])),
        ])
        return (try? Yams.serialize(node: root)) ?? ""
    }

    private static func backup(_ backup: BackupSettings) -> Node {
        map([
            ("s3", backup.s3.map { s3 in
                map([("bucket", scalar(s3.bucket)), ("region", scalar(s3.region)), ("encryption", optional(s3.encryption)),
                     ("lifecycle_rules", .sequence(.init(s3.lifecycleRules.map {
                         map([("prefix", scalar($0.prefix)), ("expiration_days", scalar("\($0.expirationDays)"))])
                     }))),
                     ("endpoint", optional(s3.endpoint)), ("path_style", scalar("\(s3.pathStyle)")),
                     ("access_key_id", optional(s3.accessKeyID)), ("secret_access_key", optional(s3.secretAccessKey?.description))])
            }),
            ("redis", backup.redis.map { map([("backup_script", optional($0.backupScript)), ("schedule", optional($0.schedule))]) }),
            ("vault", backup.vault.map { map([("backup_path", optional($0.backupPath)), ("schedule", optional($0.schedule))]) }),
            ("git", backup.git.map { git in
                map([("repositories", .sequence(.init(git.repositories.map { repository in
                    map([("name", scalar(repository.name)), ("url", scalar(repository.url)), ("branch", optional(repository.branch)),
                         ("backup_schedule", optional(repository.backupSchedule)), ("token", optional(repository.token?.description))])
                })))])
            }),
        ])
    }

    private static func failover(_ failover: DNSFailoverSettings) -> Node {
        let check = failover.healthCheck
        return map([
            ("provider", scalar(failover.provider.rawValue)),
            ("health_check", map([("protocol", scalar(check.protocol)), ("port", scalar("\(check.port)")), ("path", scalar(check.path)),
                                  ("interval", scalar("\(check.intervalSeconds)")), ("failure_threshold", scalar("\(check.failureThreshold)"))])),
            ("primary_region", map([("domain", scalar(failover.primaryRegion.domain)), ("health_check_id", optional(failover.primaryRegion.healthCheckID))])),
            ("dr_region", map([("domain", scalar(failover.drRegion.domain)), ("health_check_id", optional(failover.drRegion.healthCheckID))])),
            ("failover_policy", map([("type", scalar(failover.policyType)), ("ttl", scalar("\(failover.ttlSeconds)"))])),
        ])
    }

    private static func dataset(_ dataset: DatasetSpec) -> Node {
        let rules = dataset.retention
        let retention: [(String, Int?)] = [("keep_last", rules.keepLast), ("keep_hourly", rules.keepHourly), ("keep_daily", rules.keepDaily),
                                           ("keep_weekly", rules.keepWeekly), ("keep_monthly", rules.keepMonthly), ("keep_yearly", rules.keepYearly)]
        return map([
            ("source", scalar(dataset.source.rawValue)), ("tier", scalar(dataset.tier.rawValue)),
            ("schedule", scalar(dataset.schedule)), ("time_zone", scalar(dataset.timeZone)),
            ("retention", map(retention.compactMap { key, value in value.map { (key, scalar("\($0)")) } })),
            ("retention_days", optional(dataset.retentionDays.map(String.init))),
            ("encryption_required", scalar("\(dataset.encryptionRequired)")), ("prefix", scalar(dataset.prefix)),
            ("store", scalar(dataset.store)), ("path", optional(dataset.path)), ("repository", optional(dataset.repository)),
        ] + postgresFields(dataset) + (dataset.source == .redis ? [("mode", scalar(dataset.redisMode.rawValue))] : []))
    }

    /// The postgres keys, only on postgres datasets (the URL as `***`: it holds a password).
    private static func postgresFields(_ dataset: DatasetSpec) -> [(String, Node?)] {
        guard dataset.source == .postgres else { return [] }
        return [("url", optional(dataset.url?.description)),
                ("state_tables", .sequence(.init(dataset.stateTables.map { scalar($0) }))),
                ("schema_version_query", optional(dataset.schemaVersionQuery)), ("globals", scalar("\(dataset.includesGlobals)")),
                ("dump_compression", scalar(dataset.dumpCompression))]
    }

    /// Certificate and key paths are printed (they are not secrets); the keys' contents never are.
    private static func listener(_ listener: ListenerSpec) -> Node {
        guard listener.isTLS else { return map([("address", scalar(listener.address))]) }
        let certificates = listener.tlsCertificates.map { map([("certificate", scalar($0.chainFile)), ("key", scalar($0.keyFile))]) }
        return map([("address", scalar(listener.address)), ("tls_certificates", .sequence(.init(certificates))),
                    ("tls_handshake_timeout", scalar(DurationText.format(listener.tlsHandshakeTimeout)))])
    }

    private static func server(_ server: ServerSettings) -> Node {
        map([
            ("listeners", .sequence(.init(server.listeners.map(listener)))),
            ("connection_limit", scalar("\(server.connectionLimit)")), ("max_body_bytes", scalar("\(server.maxBodyBytes)")),
            ("header_timeout", scalar(DurationText.format(server.headerTimeout))), ("idle_timeout", scalar(DurationText.format(server.idleTimeout))),
            ("body_timeout", scalar(DurationText.format(server.bodyTimeout))), ("shutdown_grace", scalar(DurationText.format(server.shutdownGrace))),
            ("data_directory", scalar(server.dataDirectory)),
        ])
    }

    private static func objectives(_ targets: [String: ObjectiveTarget]) -> Node {
        map(targets.sorted { $0.key < $1.key }.map { ($0.key, map([("target_minutes", scalar("\($0.value.targetMinutes)")),
                                                                   ("acceptable_minutes", scalar("\($0.value.acceptableMinutes)"))])) })
    }

    private static func scalar(_ text: String) -> Node { Node(text) }

    private static func optional(_ text: String?) -> Node? { text.map { Node($0) } }

    private static func map(_ pairs: [(String, Node?)]) -> Node {
        .mapping(.init(pairs.compactMap { key, value in value.map { (Node(key), $0) } }))
    }
}
