// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ptrack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ptrack", targets: ["ptrack"]),
        .library(name: "PolicyTrackerCore", targets: ["PolicyTrackerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "PolicyTrackerCore",
            resources: [
                .embedInCode("Bundled/catalog.json"),
                .embedInCode("Bundled/changes.jsonl"),
            ]
        ),
        .target(name: "PolicyTrackerApp", dependencies: ["PolicyTrackerCore"]),
        .executableTarget(
            name: "ptrack",
            dependencies: [
                "PolicyTrackerCore",
                "PolicyTrackerApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PolicyTrackerCoreTests", dependencies: ["PolicyTrackerCore"]),
    ]
)
