import PhoenixDomain

extension DatasetResolver {
    /// `url`, `state_tables`, `schema_version_query` and `globals` of a `postgres` dataset; on any
    /// other source they are an error, so a key put on the wrong dataset is not silently ignored.
    func readPostgresFields(_ fields: [String: ConfigNode], into dataset: inout DatasetSpec) {
        let keys = ["url", "state_tables", "schema_version_query", "globals"]
        guard dataset.source == .postgres else {
            for key in keys { fields[key]?.error("applies to postgres datasets only") }
            return
        }
        dataset.url = fields["url"]?.string().map(Secret.init)
        dataset.stateTables = fields["state_tables"]?.items()?.compactMap { $0.string() } ?? []
        dataset.schemaVersionQuery = fields["schema_version_query"]?.string()
        dataset.includesGlobals = fields["globals"]?.bool() ?? true
        if dataset.url == nil && configuration.regions.first(where: { $0.role == .primary })?.postgresURL == nil {
            log.warning("datasets.\(dataset.name)", line: nil,
                        "a postgres dataset needs datasets.\(dataset.name).url or regions.<primary>.postgres.url before it can be backed up")
        }
    }
}

extension DatasetResolver {
    /// `mode` (`rdb` or `logical`) of a `redis` dataset; an error on any other source.
    func readRedisFields(_ fields: [String: ConfigNode], into dataset: inout DatasetSpec) {
        guard let node = fields["mode"] else { return }
        guard dataset.source == .redis else {
            node.error("applies to redis datasets only")
            return
        }
        if let mode = node.oneOf(DatasetSpec.RedisMode.self) { dataset.redisMode = mode }
    }
}
