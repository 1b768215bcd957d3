// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ptrack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ptrack", targets: ["ptrack"]),
        .executable(name: "ptrack-gen", targets: ["ptrack-gen"]),
        .library(name: "PolicyTrackerCore", targets: ["PolicyTrackerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibcrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "PolicyTrackerCore",
            dependencies: ["CLibcrypto"],
            resources: [
                .embedInCode("Bundled/catalog.json"),
                .embedInCode("Bundled/changes.jsonl"),
            ]
        ),
        .target(name: "PolicyTrackerApp", dependencies: ["PolicyTrackerCore", "BundledThemes"]),
        .target(
            name: "BundledThemes", path: "Themes", exclude: ["README.md"],
            resources: [
                .embedInCode("default.json"), .embedInCode("light.json"),
                .embedInCode("high-contrast.json"), .embedInCode("mono.json"),
            ]
        ),
        .systemLibrary(
            name: "CNcursesw", pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "NcursesBackend", dependencies: ["CNcursesw", "PolicyTrackerApp"]),
        .executableTarget(
            name: "ptrack",
            dependencies: [
                "PolicyTrackerCore",
                "PolicyTrackerApp",
                "NcursesBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TrackerGenerator", dependencies: ["PolicyTrackerCore"]),
        .executableTarget(
            name: "ptrack-gen",
            dependencies: ["TrackerGenerator", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "ptrack-bench",
            dependencies: [
                "TrackerGenerator", "PolicyTrackerCore", "PolicyTrackerApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PolicyTrackerCoreTests", dependencies: ["PolicyTrackerCore", "TrackerGenerator"]),
        .testTarget(
            name: "PolicyTrackerAppTests", dependencies: ["PolicyTrackerApp", "PolicyTrackerCore", "TrackerGenerator"], exclude: ["Snapshots"]),
        .testTarget(name: "NcursesBackendTests", dependencies: ["NcursesBackend"]),
    ]
)
