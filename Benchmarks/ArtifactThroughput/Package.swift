// swift-tools-version:6.1
// The encrypt+hash stage of a backup on its own, for `make bench` (Benchmarks/Backup/bench.py):
// compared with `openssl speed` for AES-256-GCM and SHA-256 on the same machine in the same run.
import PackageDescription

let package = Package(
    name: "ArtifactThroughput",
    dependencies: [.package(name: "phoenix-dr", path: "../..")],
    targets: [
        .executableTarget(
            name: "ArtifactThroughput",
            dependencies: [.product(name: "PhoenixArtifact", package: "phoenix-dr")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
