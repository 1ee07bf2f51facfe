import FoundationEssentials
import Logging
import PhoenixAWS
import PhoenixDomain
import PhoenixHTTPClient
@testable import PhoenixStores
import PhoenixTesting

/// The moto servers `make test` starts (Deploy/dev/test-services.sh): `moto-auth` checks every
/// SigV4 signature against an IAM user made for the tests; `moto` checks none (for what moto's
/// signature check gets wrong: see `S3StoreTests`).
enum S3Harness {
    static let environment = ProcessInfo.processInfo.environment
    static let checkedEndpoint = environment["PHOENIX_TEST_S3_AUTH"] ?? "http://127.0.0.1:5056"
    static let uncheckedEndpoint = environment["PHOENIX_TEST_S3"] ?? "http://127.0.0.1:5055"
    static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Short waits, so the retry tests do not sleep for seconds.
    static let fastRetry = S3RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))

    /// The port of an `http://host:port` endpoint.
    static func port(of endpoint: String) -> Int {
        Int(endpoint.split(separator: ":").last ?? "") ?? 0
    }

    /// The IAM user's keys on `moto-auth`.
    static func credentials() throws -> AWSCredentials {
        guard let id = environment["PHOENIX_TEST_S3_AUTH_KEY_ID"], let secret = environment["PHOENIX_TEST_S3_AUTH_SECRET"] else {
            throw StoreError(.denied, "PHOENIX_TEST_S3_AUTH_KEY_ID/SECRET are not set: run the tests with `make test`")
        }
        return try AWSCredentials(accessKeyID: id, secretAccessKey: AWSSecret(secret))
    }

    /// Runs `body` with a store on a new, empty bucket, and shuts its HTTP client down after.
    static func withStore<T>(
        endpoint: String = checkedEndpoint,
        credentials: AWSCredentials? = nil,
        encryption: String? = nil,
        lifecycleRules: [LifecycleRule] = [],
        retry: S3RetryPolicy = fastRetry,
        tuning: S3Store.Tuning = S3Store.Tuning(partSize: 5 << 20, rangeSize: 1 << 20),
        _ body: (S3Store) async throws -> T
    ) async throws -> T {
        try HTTPClient.globalInitialize()
        let http = try HTTPClient(logger: quietLogger)
        do {
            let bucket = "phx-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let keys = try credentials ?? Self.credentials()
            let settings = S3Settings(bucket: bucket, region: "us-east-1", encryption: encryption, lifecycleRules: lifecycleRules,
                                      endpoint: endpoint, pathStyle: true)
            // The bucket is made with the right keys even when the test then uses wrong ones.
            let admin = try S3Store(name: "s3", settings: settings, credentials: StaticCredentialsProvider(try Self.credentials()),
                                    http: http, retry: retry, tuning: tuning, logger: quietLogger)
            try await admin.createBucket(region: "us-east-1")
            let store = try S3Store(name: "s3", settings: settings, credentials: StaticCredentialsProvider(keys),
                                    http: http, retry: retry, tuning: tuning, logger: quietLogger)
            let value = try await body(store)
            await http.shutdown()
            return value
        } catch {
            await http.shutdown()
            throw error
        }
    }
}
