// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mltrack",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mltrack", targets: ["mltrack"]),
        .library(name: "GoldTables", targets: ["GoldTables"]),
        .library(name: "Linalg", targets: ["Linalg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        .executableTarget(
            name: "mltrack",
            dependencies: [
                "GoldTables",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GoldTablesTests", dependencies: ["GoldTables"]),
        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
    ],
    swiftLanguageModes: [.v6]
)
