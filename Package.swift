// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares (STYLE.md: Swift 6 mode, ExistentialAny, MemberImportVisibility).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// A C library from Debian, reached through a module map and a `shim.h`.
func systemLibrary(_ name: String, pkgConfig: String?, apt: [String]) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt(apt)])
}

let package = Package(
    name: "phoenix-dr",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "phoenix-dr", targets: ["PhoenixServer"]),
        // For Benchmarks/ArtifactThroughput, which measures the format on its own.
        .library(name: "PhoenixArtifact", targets: ["PhoenixArtifact"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: C at the edge: module maps and shims only (DESIGN.md §2).
        .systemLibrary(name: "CLinuxSystem"),
        systemLibrary("COpenSSL", pkgConfig: "openssl", apt: ["libssl-dev"]),
        systemLibrary("CCurl", pkgConfig: "libcurl", apt: ["libcurl4-openssl-dev"]),
        systemLibrary("CHiredis", pkgConfig: "hiredis", apt: ["libhiredis-dev"]),
        systemLibrary("CLibPQ", pkgConfig: "libpq", apt: ["libpq-dev"]),
        systemLibrary("CNGHTTP2", pkgConfig: "libnghttp2", apt: ["libnghttp2-dev"]),
        systemLibrary("CZstd", pkgConfig: "libzstd", apt: ["libzstd-dev"]),

        // MARK: Layers, lowest first.
        .target(
            name: "PhoenixSockets",
            dependencies: ["CLinuxSystem"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixConcurrency",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixRedis",
            dependencies: ["CHiredis", "PhoenixConcurrency", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixCrypto",
            dependencies: ["COpenSSL"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixArtifact",
            dependencies: ["PhoenixCrypto", "CZstd"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixAWS",
            dependencies: ["PhoenixCrypto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixHTTPClient",
            dependencies: [
                "CCurl",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixTLS",
            dependencies: ["COpenSSL", "PhoenixSockets", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixHTTP",
            dependencies: [
                "PhoenixSockets",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixHTTP2",
            dependencies: [
                "CNGHTTP2",
                "PhoenixHTTP",
                "PhoenixSockets",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixDomain",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixConfig",
            dependencies: ["PhoenixDomain", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixPostgres",
            dependencies: ["CLibPQ", "PhoenixConcurrency", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixPersistence",
            dependencies: [
                "PhoenixDomain",
                "PhoenixPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixSources",
            dependencies: ["PhoenixDomain", "PhoenixConcurrency", "PhoenixCrypto", "PhoenixPostgres", "PhoenixRedis", "PhoenixHTTPClient",
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixStores",
            dependencies: [
                "PhoenixDomain",
                "PhoenixAWS",
                "PhoenixCrypto",
                "PhoenixHTTPClient",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixEngine",
            dependencies: [
                "PhoenixDomain",
                "PhoenixConcurrency",
                "PhoenixArtifact",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PhoenixAPI",
            dependencies: [
                "PhoenixCrypto",
                "PhoenixDomain",
                "PhoenixHTTP",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PhoenixServer",
            dependencies: [
                "PhoenixAPI",
                "PhoenixConfig",
                "PhoenixCrypto",
                "PhoenixEngine",
                "PhoenixPersistence",
                "PhoenixStores",
                "PhoenixSources",
                "PhoenixAWS",
                "PhoenixHTTPClient",
                "PhoenixArtifact",
                "PhoenixConcurrency",
                "PhoenixDomain",
                "PhoenixHTTP",
                "PhoenixHTTP2",
                "PhoenixSockets",
                "PhoenixTLS",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            // Memory the binary itself holds, measured in the backup benchmark's server at idle
            // (37 MiB resident): lld packs the 98,000 relative relocations as RELR, 19 KB
            // instead of gold's 2.3 MB read at every start (about -2.5 MiB); without
            // `-export-dynamic` (static-stdlib-args.lnk adds it) the executable no longer
            // exports its 17,500 Swift symbols, which nothing resolves at run time (-1.3 MiB).
            // lld ships with the Swift toolchain, and links in 4 s where gold took 20. RELR needs
            // glibc 2.36 or newer where the binary runs (Debian 12, Ubuntu 24.04, RHEL 10).
            linkerSettings: [.unsafeFlags([
                "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
            ])]
        ),
        .target(
            name: "PhoenixTesting",
            dependencies: [
                "CLinuxSystem",
                "PhoenixAPI",
                "PhoenixConcurrency",
                "PhoenixCrypto",
                "PhoenixDomain",
                "PhoenixHTTP",
                "PhoenixHTTP2",
                "PhoenixSockets",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests.
        .testTarget(
            name: "PhoenixDomainTests",
            dependencies: ["PhoenixDomain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixConfigTests",
            dependencies: ["PhoenixConfig", "PhoenixDomain"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixEngineTests",
            dependencies: [
                "PhoenixDomain", "PhoenixEngine", "PhoenixPersistence", "PhoenixArtifact", "PhoenixSources", "PhoenixStores", "PhoenixConcurrency",
                "PhoenixTesting", "PhoenixHTTPClient",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixPersistenceTests",
            dependencies: [
                "PhoenixDomain",
                "PhoenixPersistence",
                "PhoenixPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixPostgresTests",
            dependencies: ["PhoenixPostgres", "PhoenixTesting", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixRedisTests",
            dependencies: ["PhoenixRedis", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixCryptoTests",
            dependencies: ["PhoenixCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixArtifactTests",
            dependencies: ["PhoenixArtifact", "PhoenixCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixAWSTests",
            dependencies: ["PhoenixAWS"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixSourcesTests",
            dependencies: ["PhoenixCrypto", "PhoenixSources", "PhoenixDomain", "PhoenixPostgres", "PhoenixRedis", "PhoenixTesting", "PhoenixHTTPClient",
                           "PhoenixHTTP", .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixHTTPClientTests",
            dependencies: [
                "PhoenixHTTPClient",
                "PhoenixTesting",
                "PhoenixHTTP",
                "PhoenixSockets",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixStoresTests",
            dependencies: [
                "PhoenixDomain",
                "PhoenixStores",
                "PhoenixAWS",
                "PhoenixHTTPClient",
                "PhoenixTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixSocketsTests",
            dependencies: ["PhoenixSockets", "PhoenixTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixHTTPTests",
            dependencies: [
                "PhoenixHTTP",
                "PhoenixTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixTLSTests",
            dependencies: [
                "PhoenixTLS",
                "PhoenixHTTP",
                "PhoenixHTTPClient",
                "PhoenixTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixHTTP2Tests",
            dependencies: [
                "CNGHTTP2",
                "PhoenixHTTP",
                "PhoenixHTTP2",
                "PhoenixSockets",
                "PhoenixTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoenixServerTests",
            dependencies: [
                "PhoenixAPI",
                "PhoenixConfig",
                "PhoenixCrypto",
                "PhoenixPersistence",
                "PhoenixPostgres",
                "PhoenixStores",
                "PhoenixDomain",
                "PhoenixHTTP",
                "PhoenixTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
