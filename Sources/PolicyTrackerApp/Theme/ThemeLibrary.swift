import BundledThemes
import Foundation
import PolicyTrackerCore

/// One theme `ptrack themes` lists: bundled or the user's own, usable or broken.
public struct ThemeEntry: Equatable, Sendable {
    /// The name `--theme` selects it by (for a user's theme, its file name without `.json`).
    public var name: String
    /// ``ThemeLibrary/bundledOrigin`` for a theme built into ptrack, else the path of its file.
    public var origin: String
    /// The file's description (empty when it has none or is broken).
    public var description: String
    /// The theme, or nil when its file is broken.
    public var theme: Theme?
    /// What is wrong with the file, when it is broken.
    public var error: TrackerError?
    /// True for a user's theme that has a bundled theme's name and so replaces it.
    public var overridesBundled: Bool

    public init(
        name: String, origin: String, description: String = "", theme: Theme? = nil, error: TrackerError? = nil,
        overridesBundled: Bool = false
    ) {
        self.name = name
        self.origin = origin
        self.description = description
        self.theme = theme
        self.error = error
        self.overridesBundled = overridesBundled
    }

    /// True for a theme built into ptrack.
    public var isBundled: Bool { origin == ThemeLibrary.bundledOrigin }
}

/// Which theme a run of ptrack uses, where it came from and why.
public struct ThemeSelection: Equatable, Sendable {
    /// Why this theme was asked for.
    public enum Reason: String, Sendable {
        /// `--theme NAME|PATH`.
        case option = "--theme"
        /// `$PTRACK_THEME`.
        case environment = "PTRACK_THEME"
        /// `$NO_COLOR`, which asks for the `mono` theme.
        case noColor = "NO_COLOR"
        /// The configuration file's `theme`.
        case configuration = "config.json"
        /// Nothing was asked for.
        case standard = "default"
    }

    /// The theme to draw with (always usable).
    public var theme: Theme
    /// The theme file's description.
    public var description: String
    /// ``ThemeLibrary/bundledOrigin`` or the path of the theme's file.
    public var origin: String
    /// What was asked for (a name or a path), and why.
    public var requested: String
    public var reason: Reason
    /// When the theme asked for could not be used: one sentence for the status line saying
    /// why (with the file's `path:line:column` for a broken file) and that the default is shown.
    public var warning: String?
    /// The broken file's error behind ``warning``, if a file was broken (nil for an unknown name).
    public var error: TrackerError?
}

/// Finds, reads and chooses themes: the ones bundled into ptrack and the user's own in
/// ``userDirectory(environment:)``.
public enum ThemeLibrary {
    /// The ``ThemeEntry/origin`` of a bundled theme.
    public static let bundledOrigin = "bundled"
    /// The theme used when nothing else is asked for, and instead of a broken one.
    public static let defaultName = "default"
    /// The theme `NO_COLOR` asks for: attributes only.
    public static let monoName = "mono"

    // MARK: Where themes are

    /// The user's themes folder: `$XDG_CONFIG_HOME/ptrack/themes` when `XDG_CONFIG_HOME` is
    /// an absolute path (a relative one is ignored, as the XDG specification says), else
    /// `$HOME/.config/ptrack/themes`.
    public static func userDirectory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/ptrack/themes" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/ptrack/themes"
    }

    /// The bundled themes, decoded, `default` first. A bundled file that does not decode
    /// (which the tests prevent) is listed as broken.
    public static var bundled: [ThemeEntry] {
        BundledThemes.files.map { file in
            let text = SourceText(path: "Themes/\(file.name).json", bytes: file.bytes)
            do throws(TrackerError) {
                let document = try decodeDocument(text, expectedName: file.name)
                return ThemeEntry(
                    name: file.name, origin: bundledOrigin, description: document.description, theme: document.theme)
            } catch {
                return ThemeEntry(name: file.name, origin: bundledOrigin, error: error)
            }
        }
    }

    /// Every theme: the bundled ones (in their order, `default` first), then the user's
    /// own in name order. A user's theme with a bundled theme's name takes that theme's
    /// place. Broken files are listed with their ``ThemeEntry/error``; so is a themes
    /// folder that cannot be read (its entry's name is the folder's path).
    public static func all(environment: [String: String]) -> [ThemeEntry] {
        var entries = bundled
        let directory = userDirectory(environment: environment)
        let names: [String]
        do throws(TrackerError) {
            names = try FileSystem.contents(directory) ?? []
        } catch {
            entries.append(ThemeEntry(name: directory, origin: directory, error: error))
            return entries
        }
        for fileName in names.sorted() where isThemeFileName(fileName) {
            guard var entry = userEntry(directory: directory, fileName: fileName) else { continue }
            if let index = entries.firstIndex(where: { $0.isBundled && $0.name == entry.name }) {
                entry.overridesBundled = true
                entries[index] = entry
            } else {
                entries.append(entry)
            }
        }
        return entries
    }

    /// Files in the themes folder that are read as themes: `*.json`, not hidden.
    static func isThemeFileName(_ fileName: String) -> Bool {
        fileName.hasSuffix(".json") && !fileName.hasPrefix(".") && fileName.count > ".json".count
    }

    /// The entry for one file of the user's themes folder, or nil when it vanished meanwhile.
    static func userEntry(directory: String, fileName: String) -> ThemeEntry? {
        let name = String(fileName.dropLast(".json".count))
        let path = directory + "/" + fileName
        guard Slug.isValid(name) else {
            return ThemeEntry(
                name: name, origin: path,
                error: .badData(
                    path: path, line: nil, column: nil,
                    message: "a theme's file name must be its name, \(Slug.expectedForm), followed by .json"))
        }
        do throws(TrackerError) {
            guard let bytes = try FileSystem.read(path) else { return nil }
            let document = try decodeDocument(SourceText(path: path, bytes: bytes), expectedName: name)
            return ThemeEntry(name: name, origin: path, description: document.description, theme: document.theme)
        } catch {
            return ThemeEntry(name: name, origin: path, error: error)
        }
    }

    // MARK: Choosing a theme

    /// True when a `--theme` or `PTRACK_THEME` value names a file rather than a theme:
    /// it contains `/` or ends in `.json`.
    public static func isPath(_ value: String) -> Bool {
        value.contains("/") || value.hasSuffix(".json")
    }

    /// The theme to draw with, and a warning for the status line when the one asked for
    /// could not be used; see ``select(requested:environment:)``.
    public static func resolve(requested: String?, configured: String? = nil, environment: [String: String]) -> (theme: Theme, warning: String?) {
        let selection = select(requested: requested, configured: configured, environment: environment)
        return (selection.theme, selection.warning)
    }

    /// Chooses the theme: `requested` (the `--theme` value) when given and not empty, else
    /// `$PTRACK_THEME`, else `mono` when `$NO_COLOR` is set and not empty, else `configured`
    /// (the configuration file's `theme`), else `default`.
    /// A value with `/` in it or ending in `.json` is a path to a theme file; any other is a
    /// name, looked up first in the user's folder, then among the bundled themes.
    ///
    /// An unknown name, a missing file or a broken one gives the `default` theme (the user's
    /// own `default.json` when it is usable, else the bundled one) and a ``ThemeSelection/warning``.
    public static func select(requested: String?, configured: String? = nil, environment: [String: String]) -> ThemeSelection {
        let (value, reason): (String, ThemeSelection.Reason) =
            if let requested, !requested.isEmpty { (requested, .option) }
            else if let variable = environment["PTRACK_THEME"], !variable.isEmpty { (variable, .environment) }
            else if let noColor = environment["NO_COLOR"], !noColor.isEmpty { (monoName, .noColor) }
            else if let configured, !configured.isEmpty { (configured, .configuration) }
            else { (defaultName, .standard) }
        switch load(value, environment: environment) {
        case .success(let (document, origin)):
            return ThemeSelection(
                theme: document.theme, description: document.description, origin: origin, requested: value, reason: reason,
                warning: nil, error: nil)
        case .failure(let failure):
            // NO_COLOR asks for no colors: a broken user mono.json falls back to the bundled mono.
            let fallbackName = reason == .noColor ? monoName : defaultName
            let (document, origin) = fallback(fallbackName, environment: environment)
            let shown = fallbackName == defaultName ? "the default theme" : "the bundled \(fallbackName) theme"
            let warning = DisplayText.sanitized("\(failure.sentence); using \(shown)")
            return ThemeSelection(
                theme: document.theme, description: document.description, origin: origin, requested: value, reason: reason,
                warning: warning, error: failure.error)
        }
    }

    /// Why a theme could not be loaded.
    struct LoadFailure: Error {
        var sentence: String
        var error: TrackerError?
    }

    /// The theme `value` names (a path or a name) and its origin.
    static func load(_ value: String, environment: [String: String]) -> Result<(ThemeDocument, String), LoadFailure> {
        if isPath(value) {
            do throws(TrackerError) {
                guard let bytes = try FileSystem.read(value) else {
                    return .failure(LoadFailure(sentence: "theme file \(value) does not exist", error: nil))
                }
                return .success((try decodeDocument(SourceText(path: value, bytes: bytes)), value))
            } catch {
                return .failure(LoadFailure(sentence: "cannot use theme \(error.description)", error: error))
            }
        }
        if Slug.isValid(value) {
            let directory = userDirectory(environment: environment)
            if let entry = userEntry(directory: directory, fileName: value + ".json") {
                if let theme = entry.theme {
                    return .success((ThemeDocument(theme: theme, description: entry.description), entry.origin))
                }
                if let error = entry.error {
                    return .failure(LoadFailure(sentence: "cannot use theme \(error.description)", error: error))
                }
            }
            if let entry = bundled.first(where: { $0.name == value }), let theme = entry.theme {
                return .success((ThemeDocument(theme: theme, description: entry.description), bundledOrigin))
            }
        }
        let known = Set(all(environment: environment).filter { $0.theme != nil }.map(\.name)).sorted()
        return .failure(LoadFailure(
            sentence: "no theme named \"\(value)\" (themes: \(known.joined(separator: ", ")))", error: nil))
    }

    /// The user's theme `name` when usable, else the bundled one (else, should even that
    /// be broken, a theme with no colors).
    static func fallback(_ name: String, environment: [String: String]) -> (ThemeDocument, String) {
        let directory = userDirectory(environment: environment)
        for entry in [userEntry(directory: directory, fileName: name + ".json"), bundled.first { $0.name == name }] {
            if let entry, let theme = entry.theme {
                return (ThemeDocument(theme: theme, description: entry.description), entry.origin)
            }
        }
        return (ThemeDocument(theme: Theme(name: name, paints: [:]), description: ""), bundledOrigin)
    }
}
