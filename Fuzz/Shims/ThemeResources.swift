/// What SwiftPM generates for the bundled themes' `embedInCode` resources, for the fuzz
/// build, which compiles the sources with `swiftc` directly. The theme target reads theme
/// files from its corpus, so the bundled ones are left empty.
enum PackageResources {
    static let default_json: [UInt8] = []
    static let light_json: [UInt8] = []
    static let high_contrast_json: [UInt8] = []
    static let mono_json: [UInt8] = []
}
