/// What SwiftPM generates for the core's `embedInCode` resources, for the fuzz build,
/// which compiles the sources with `swiftc` directly. No fuzz target reads the bundled
/// agenda, so the files are left empty.
enum PackageResources {
    static let catalog_json: [UInt8] = []
    static let changes_jsonl: [UInt8] = []
}
