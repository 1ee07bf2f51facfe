import PhoenixDomain

extension DatasetResolver {
    /// `url`, `state_tables`, `schema_version_query`, `globals` and `dump_compression` of a
    /// `postgres` dataset; on any other source they are an error, so a key put on the wrong
    /// dataset is not silently ignored.
    func readPostgresFields(_ fields: [String: ConfigNode], into dataset: inout DatasetSpec) {
        let keys = ["url", "state_tables", "schema_version_query", "globals", "dump_compression"]
        guard dataset.source == .postgres else {
            for key in keys { fields[key]?.error("applies to postgres datasets only") }
            return
        }
        dataset.url = fields["url"]?.string().map(Secret.init)
        dataset.stateTables = fields["state_tables"]?.items()?.compactMap { $0.string() } ?? []
        dataset.schemaVersionQuery = fields["schema_version_query"]?.string()
        dataset.includesGlobals = fields["globals"]?.bool() ?? true
        if let node = fields["dump_compression"], let value = node.string() {
            if Self.isDumpCompression(value) {
                // pg_dump 15 knows only levels; `none` is level 0 to every version.
                dataset.dumpCompression = value == "none" ? "0" : value
            } else {
                node.error("\(node.shown(value)) is not a pg_dump --compress value: a level 0-9, or none, gzip, lz4 or zstd with an optional :detail")
            }
        }
        if dataset.url == nil && configuration.regions.first(where: { $0.role == .primary })?.postgresURL == nil {
            log.warning("datasets.\(dataset.name)", line: nil,
                        "a postgres dataset needs datasets.\(dataset.name).url or regions.<primary>.postgres.url before it can be backed up")
        }
    }
}

extension DatasetResolver {
    /// A level (`0`–`9`) or `method[:detail]` as pg_dump 16 and later take them (`zstd`,
    /// `gzip:5`, `zstd:level=3,long`; pg_dump 15 refuses methods, and the backup then fails with
    /// its error). Nothing else reaches pg_dump's command line.
    static func isDumpCompression(_ value: String) -> Bool {
        if value.count == 1, let digit = value.first, digit.isASCII, digit.isNumber { return true }
        let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard ["none", "gzip", "lz4", "zstd"].contains(parts[0]) else { return false }
        guard parts.count == 2 else { return true }
        return !parts[1].isEmpty && parts[1].count <= 64
            && parts[1].allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "=" || $0 == ",") }
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
