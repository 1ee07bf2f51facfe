// swift-tools-version:6.1
import PackageDescription

// The reference server of `make bench`: Hummingbird 2 (SwiftNIO) serving the same /health body
// as phoenix-dr. Its own package, so the product never depends on Hummingbird.
let package = Package(
    name: "HummingbirdPeer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdPeer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
