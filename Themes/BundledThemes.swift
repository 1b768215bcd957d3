/// The themes that ship inside ptrack: the JSON files in this folder, compiled into the
/// binary so an installed `ptrack` has them everywhere.
public enum BundledThemes {
    /// Each bundled theme's name and the bytes of its file, `default` first.
    public static var files: [(name: String, bytes: [UInt8])] {
        [
            ("default", PackageResources.default_json),
            ("light", PackageResources.light_json),
            ("high-contrast", PackageResources.high_contrast_json),
            ("mono", PackageResources.mono_json),
        ]
    }
}
