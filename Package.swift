// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mltrack",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mltrack", targets: ["mltrack"]),
        .library(name: "GoldTables", targets: ["GoldTables"]),
        .library(name: "Linalg", targets: ["Linalg"]),
        .library(name: "Features", targets: ["Features"]),
        .library(name: "Trainers", targets: ["Trainers"]),
        .library(name: "ModelPackage", targets: ["ModelPackage"]),
        .library(name: "Tracking", targets: ["Tracking"]),
        .library(name: "Registry", targets: ["Registry"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "Serving", targets: ["Serving"]),
        .library(name: "TrackingServer", targets: ["TrackingServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries (Debian -dev packages, installed by `make deps`).
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .systemLibrary(
            name: "CCompression",
            path: "Sources/CCompression",
            providers: [.apt(["libsnappy-dev", "libzstd-dev", "zlib1g-dev", "liblz4-dev", "libbrotli-dev"])]
        ),
        .target(name: "Linalg", dependencies: ["CBLAS"]),
        .target(name: "GoldTables", dependencies: ["CCompression"]),
        .target(name: "Features", dependencies: ["GoldTables", "Linalg", .product(name: "Yams", package: "Yams")]),
        .target(name: "Trainers", dependencies: ["Linalg", "Features"]),
        .target(name: "ModelPackage", dependencies: ["Features", "Trainers", .product(name: "Yams", package: "Yams")]),
        .target(name: "Tracking", dependencies: ["GoldTables", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Registry", dependencies: ["Tracking", "Features", "ModelPackage", .product(name: "Yams", package: "Yams")]),
        .target(name: "Experiments", dependencies: [
            "GoldTables", "Features", "Trainers", "ModelPackage", "Tracking", "Registry",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "HTTPService", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "Serving", dependencies: [
            "GoldTables", "Features", "Trainers", "ModelPackage", "Tracking", "Registry", "HTTPService",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "TrackingServer", dependencies: [
            "Tracking", "Registry", "HTTPService",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(
            name: "mltrack",
            dependencies: [
                "GoldTables", "Linalg", "Features", "Trainers", "ModelPackage", "Tracking", "Registry", "Experiments", "Serving", "TrackingServer", "HTTPService",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Python peers and test paths shared by every test target.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GoldTablesTests", dependencies: ["GoldTables", "TestSupport"]),
        .testTarget(name: "LinalgTests", dependencies: ["Linalg", "TestSupport"]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "TestSupport"]),
        .testTarget(name: "TrainersTests", dependencies: ["Trainers", "Features", "TestSupport"]),
        .testTarget(name: "ModelPackageTests", dependencies: ["ModelPackage", "Trainers", "Features", "TestSupport"]),
        .testTarget(name: "TrackingTests", dependencies: ["Tracking", "TestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Tracking", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "TestSupport"]),
        .testTarget(name: "TrackingServerTests", dependencies: [
            "TrackingServer", "Tracking", "Registry", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], exclude: ["Peers"]),
        .testTarget(name: "ServingTests", dependencies: [
            "Serving", "Registry", "Tracking", "ModelPackage", "Features", "Trainers", "GoldTables", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
