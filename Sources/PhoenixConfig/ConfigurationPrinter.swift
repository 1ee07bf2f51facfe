import PhoenixDomain
import Yams

/// `config show`: the effective configuration as YAML, defaults filled in, secrets as `***`.
public enum ConfigurationPrinter {
    /// The YAML text of `configuration`.
    public static func yaml(_ configuration: PhoenixConfiguration) -> String {
        let root = map([
            ("server", server(configuration.server)),
            ("catalog", map([("kind", scalar(configuration.catalog.kind.rawValue)), ("path", optional(configuration.catalog.path)),
                             ("url", optional(configuration.catalog.url?.description))])),
            ("stores", map(configuration.stores.map { ($0.name, map([("kind", scalar($0.kind.rawValue)), ("path", optional($0.path))])) })),
            ("regions", map(configuration.regions.map { region in
                (region.name, map([("role", scalar(region.role.rawValue)), ("health_url", optional(region.healthURL)),
                                   ("redis", optional(region.redisAddress)), ("postgres", optional(region.postgresURL?.description)),
                                   ("vault", optional(region.vaultAddress))]))
            })),
            ("datasets", map(configuration.datasets.map { ($0.name, dataset($0)) })),
            ("recovery_steps", .sequence(.init(configuration.recoverySteps.map { step in
                map([("name", scalar(step.name)), ("timeout", scalar(DurationText.format(step.timeout))), ("retries", scalar("\(step.retries)"))])
            }))),
            ("rto_targets", objectives(configuration.rtoTargets)),
            ("rpo_targets", objectives(configuration.rpoTargets)),
            ("auth", map([("tokens", scalar(configuration.tokens.map { "\($0.count) configured" } ?? "none: an admin token is generated at first start"))])),
        ])
        return (try? Yams.serialize(node: root)) ?? ""
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
        ])
    }

    private static func server(_ server: ServerSettings) -> Node {
        map([
            ("listeners", .sequence(.init(server.listeners.map { map([("address", scalar($0.address)), ("tls_certificate", optional($0.tlsCertificateFile))]) }))),
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
