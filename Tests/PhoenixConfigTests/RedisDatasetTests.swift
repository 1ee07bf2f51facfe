import PhoenixConfig
import PhoenixDomain
import Testing

@Suite struct RedisDatasetTests {
    @Test func aRedisDatasetIsBackedUpAsAnRDBUnlessItsModeSaysLogical() throws {
        let yaml = """
        datasets:
          redis_data: {source: redis, schedule: "*/15 * * * *"}
          sessions: {source: redis, mode: logical, prefix: sessions/, tier: Critical, schedule: "*/15 * * * *"}
        """
        let loaded = try ConfigurationLoader.load(yaml: yaml)
        #expect(try #require(loaded.configuration.dataset(named: "redis_data")).redisMode == .rdb)
        #expect(try #require(loaded.configuration.dataset(named: "sessions")).redisMode == .logical)
        #expect(ConfigurationPrinter.yaml(loaded.configuration).contains("mode: logical"))
    }

    @Test func anUnknownModeOrAModeOnAnotherSourceIsAnError() {
        let unknown = "datasets:\n  redis_data: {source: redis, mode: aof, schedule: \"*/15 * * * *\"}\n"
        #expect(errors(unknown).contains { $0.hasPrefix("datasets.redis_data.mode:") && $0.contains("\"rdb\", \"logical\"") }, "\(errors(unknown))")
        let elsewhere = "datasets:\n  metrics: {source: directory, path: /m, tier: Standard, schedule: \"0 * * * *\", mode: logical}\n"
        #expect(errors(elsewhere).contains { $0.hasPrefix("datasets.metrics.mode:") && $0.hasSuffix("applies to redis datasets only") })
    }
}
