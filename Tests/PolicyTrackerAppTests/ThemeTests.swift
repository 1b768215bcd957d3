import Foundation
import PolicyTrackerApp
import PolicyTrackerCore
import Testing

// Theme files: the bundled themes, reading theme files with exact error positions, finding
// and choosing themes, and mapping colors down to what a terminal can show.

/// The error `body` throws, or nil when it throws nothing.
private func thrownError(_ body: () throws -> Void) -> TrackerError? {
    do {
        try body()
        return nil
    } catch let error as TrackerError {
        return error
    } catch {
        return .io(path: "unexpected error type", message: "\(error)")
    }
}

/// The repository's `Themes/` folder.
private let themesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Themes")

private let bundledNames = ["default", "light", "high-contrast", "mono"]
private let allDepths: [ColorDepth] = [.none, .eight, .sixteen, .indexed256, .trueColor]

/// How a paint looks at `depth`: the terminal colors and the attributes.
private struct Shown: Hashable, CustomStringConvertible {
    var foreground: Int?
    var background: Int?
    var attributes: [String]

    init(_ paint: Paint, at depth: ColorDepth) {
        foreground = paint.foreground?.terminalColor(for: depth)
        background = paint.background?.terminalColor(for: depth)
        attributes = paint.attributeNames
    }

    var description: String { "fg \(foreground.map(String.init) ?? "-") bg \(background.map(String.init) ?? "-") \(attributes)" }
}

/// A JSON value read back as the value it would be written as (for the canonical-form check).
private func writable(_ node: JSONNode) -> JSONValue {
    switch node.kind {
    case .null: .null
    case .bool(let flag): .bool(flag)
    case .number(let digits): .int(Int(digits) ?? -1)
    case .string(let text): .string(text)
    case .array(let elements): .array(elements.map(writable))
    case .object(let members): .object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, writable($0.value)) }))
    }
}

@Suite struct BundledThemeTests {
    private func fileText(_ name: String) throws -> SourceText {
        let url = themesFolder.appendingPathComponent(name + ".json")
        return SourceText(path: "Themes/\(name).json", bytes: Array(try Data(contentsOf: url)))
    }

    @Test func theFourBundledThemesAreThereInOrder() {
        #expect(ThemeLibrary.bundled.map(\.name) == bundledNames)
        #expect(ThemeLibrary.bundled.allSatisfy { $0.isBundled })
    }

    @Test(arguments: bundledNames) func everyBundledThemeDecodes(name: String) throws {
        let entry = try #require(ThemeLibrary.bundled.first { $0.name == name })
        #expect(entry.error == nil)
        let theme = try #require(entry.theme)
        #expect(theme.name == name)
        #expect(!entry.description.isEmpty)
        #expect(Set(theme.paints.keys) == Set(Role.allCases))
        // The compiled-in copy is the file in Themes/.
        let document = try ThemeLibrary.decodeDocument(try fileText(name), expectedName: name)
        #expect(document.theme == theme)
        #expect(document.description == entry.description)
    }

    @Test(arguments: bundledNames) func everyBundledThemeNamesEveryRole(name: String) throws {
        let root = try fileText(name).parseDocument()
        guard case .object(let members) = root.kind, let roles = members.first(where: { $0.key == "roles" }),
              case .object(let given) = roles.value.kind else {
            Issue.record("no roles object in \(name).json")
            return
        }
        #expect(given.map(\.key).sorted() == Role.allCases.map(\.name).sorted())
    }

    @Test(arguments: bundledNames) func bundledFilesAreInCanonicalForm(name: String) throws {
        let text = try fileText(name)
        let canonical = JSONWriter.pretty(writable(try text.parseDocument()))
        #expect(String(decoding: text.bytes, as: UTF8.self) == canonical)
        // Writing the decoded theme back gives the same file.
        #expect(ThemeLibrary.encode(try ThemeLibrary.decodeDocument(text)) == canonical)
    }

    /// Each status looks different from every other at every color depth (color themes from
    /// 8 colors up; mono, which has only attributes, everywhere).
    @Test(arguments: bundledNames) func everyStatusIsDistinct(name: String) throws {
        let theme = try #require(ThemeLibrary.bundled.first { $0.name == name }?.theme)
        for depth in name == "mono" ? allDepths : allDepths.filter({ $0 != .none }) {
            let shown = Status.allCases.map { Shown(theme.paint(for: CellStyle(.status($0))), at: depth) }
            #expect(Set(shown).count == Status.allCases.count, "\(name) at \(depth): \(shown)")
        }
    }

    /// The selection is visible at every depth (even with no colors: it reverses or has a
    /// background), and a search match never looks like the selection.
    @Test(arguments: bundledNames) func selectionAndSearchMatchAreVisibleAndDistinct(name: String) throws {
        let theme = try #require(ThemeLibrary.bundled.first { $0.name == name }?.theme)
        let selection = theme.paint(for: CellStyle(.selection))
        let match = theme.paint(for: CellStyle(.searchMatch))
        for depth in allDepths {
            let shownSelection = Shown(selection, at: depth)
            #expect(selection.reverse || shownSelection.background != nil, "\(name) at \(depth)")
            #expect(shownSelection != Shown(theme.paint(for: CellStyle(.normal)), at: depth), "\(name) at \(depth)")
            #expect(Shown(match, at: depth) != shownSelection, "\(name) at \(depth)")
        }
    }

    @Test func monoHasNoColorsAtAll() throws {
        let theme = try #require(ThemeLibrary.bundled.first { $0.name == "mono" }?.theme)
        for role in Role.allCases {
            let paint = theme.paint(for: CellStyle(role))
            #expect(paint.foreground == nil && paint.background == nil, "\(role.name)")
        }
        #expect(theme.paint(for: CellStyle(.status(.implemented))) == Paint(bold: true))
    }
}

@Suite struct ThemeFormatTests {
    /// A theme file whose `roles` object holds `normal` and then `role` on line 6, indented by
    /// four spaces: a character at 1-based position p of `role` is at column 4 + p.
    private func themeText(_ role: String, name: String = "broken", schemaVersion: String = "1") -> SourceText {
        let text = """
            {
              "schemaVersion": \(schemaVersion),
              "name": "\(name)",
              "roles": {
                "normal": {"fg": "white"},
                \(role)
              }
            }

            """
        return SourceText(path: "themes/broken.json", bytes: Array(text.utf8))
    }

    private func themeError(_ role: String, name: String = "broken", expectedName: String? = nil) -> TrackerError? {
        thrownError { _ = try ThemeLibrary.decodeDocument(themeText(role, name: name), expectedName: expectedName) }
    }

    private func bad(_ line: Int, _ column: Int, _ message: String) -> TrackerError {
        .badData(path: "themes/broken.json", line: line, column: column, message: message)
    }

    private let expected = ColorValue.themeExpectedForm

    @Test func aGoodThemeDecodes() throws {
        let document = try ThemeLibrary.decodeDocument(themeText(
            #""status.stalled": {"fg": "bright-magenta", "bg": 17, "underline": true, "dim": false, "reverse": true}"#))
        let theme = document.theme
        #expect(theme.name == "broken")
        #expect(document.description == "")
        #expect(theme.paints[.status(.stalled)] == Paint(
            foreground: .ansi(13), background: .indexed(17), underline: true, reverse: true))
        // Roles the file leaves out look like normal.
        #expect(theme.paints[.searchMatch] == Paint(foreground: .ansi(7)))
        #expect(theme.paints.count == Role.allCases.count)
    }

    @Test func colorForms() throws {
        let theme = try ThemeLibrary.decode(themeText(
            ##""muted": {"fg": "default", "bg": null}, "header": {"fg": 0, "bg": 255}, "border": {"fg": "#FFaa0b", "bg": "black"}"##))
        #expect(theme.paints[.muted] == Paint())
        #expect(theme.paints[.header] == Paint(foreground: .indexed(0), background: .indexed(255)))
        #expect(theme.paints[.border] == Paint(foreground: .rgb(red: 255, green: 170, blue: 11), background: .ansi(0)))
        for (number, name) in ColorValue.ansiNames.enumerated() {
            #expect(ColorValue(themeString: name) == .ansi(number))
        }
        #expect(ColorValue(themeString: "default") == nil)
        #expect(ColorValue(themeString: "Red") == nil)
        #expect(ColorValue(themeString: "#12345g") == nil)
        #expect(ColorValue.rgb(red: 255, green: 170, blue: 11).themeJSON == .string("#ffaa0b"))
        #expect(ColorValue.indexed(17).themeJSON == .int(17))
        #expect(ColorValue.ansi(12).themeJSON == .string("bright-blue"))
    }

    @Test func encodingRoundTrips() throws {
        let document = try ThemeLibrary.decodeDocument(themeText(
            ##""selection": {"fg": "#5fafff", "bold": true, "reverse": true}, "status.partial": {"bg": 30, "dim": true}"##))
        let again = try ThemeLibrary.decodeDocument(SourceText(path: "again.json", bytes: Array(ThemeLibrary.encode(document).utf8)))
        #expect(again == document)
    }

    @Test func anUnknownRoleIsRefusedAtItsName() {
        let names = Role.allCases.map(\.name).joined(separator: ", ")
        #expect(themeError(#""status.done": {"bold": true}"#)
            == bad(6, 5, "unknown role \"status.done\" (known roles: \(names))"))
        #expect(themeError(#""searchMatch": {}"#) == bad(6, 5, "unknown role \"searchMatch\" (known roles: \(names))"))
    }

    @Test func aBadColorIsRefusedAtTheValue() {
        // "muted": {"fg": "#12345"} — the value starts at position 17.
        #expect(themeError(##""muted": {"fg": "#12345"}"##) == bad(6, 21, "invalid color \"#12345\" for \"fg\" (expected \(expected))"))
        #expect(themeError(#""muted": {"bg": 256}"#) == bad(6, 21, "invalid color 256 for \"bg\" (expected \(expected))"))
        #expect(themeError(#""muted": {"bg": -1}"#) == bad(6, 21, "invalid color -1 for \"bg\" (expected \(expected))"))
        #expect(themeError(#""muted": {"fg": 1.5}"#) == bad(6, 21, "invalid color 1.5 for \"fg\" (expected \(expected))"))
        #expect(themeError(#""muted": {"fg": "grey"}"#) == bad(6, 21, "invalid color \"grey\" for \"fg\" (expected \(expected))"))
        #expect(themeError(#""header": {"bold": true, "fg": "bright-purple"}"#)
            == bad(6, 36, "invalid color \"bright-purple\" for \"fg\" (expected \(expected))"))
    }

    @Test func aWrongTypeIsRefusedAtTheValue() {
        #expect(themeError(#""muted": {"bold": "yes"}"#) == bad(6, 23, "\"bold\" must be true or false, found a string"))
        #expect(themeError(#""muted": {"fg": true}"#) == bad(6, 21, "\"fg\" must be a color (\(expected)), found a boolean"))
        #expect(themeError(#""muted": {"fg": ["red"]}"#) == bad(6, 21, "\"fg\" must be a color (\(expected)), found an array"))
        #expect(themeError(#""muted": "red""#) == bad(6, 14, "expected the paint of role \"muted\" as an object, found a string"))
    }

    @Test func anUnknownMemberIsRefusedAtItsName() {
        #expect(themeError(#""muted": {"dim": true, "blink": true}"#) == bad(
            6, 28,
            "unknown field \"blink\" in the paint of role \"muted\" (known fields: bg, bold, dim, fg, reverse, underline)"))
    }

    @Test func documentLevelProblems() {
        let text = { (body: String) in SourceText(path: "t.json", bytes: Array(body.utf8)) }
        func error(_ body: String) -> TrackerError? { thrownError { _ = try ThemeLibrary.decode(text(body)) } }
        #expect(error(#"{"schemaVersion": 1, "name": "x", "roles": [], "colors": {}}"#) == .badData(
            path: "t.json", line: 1, column: 48,
            message: "unknown field \"colors\" in the theme document (known fields: description, name, roles, schemaVersion)"))
        #expect(error(#"{"schemaVersion": 1, "name": "x", "roles": []}"#)
            == .badData(path: "t.json", line: 1, column: 44, message: "\"roles\" must be an object, found an array"))
        #expect(error(#"{"schemaVersion": 1, "name": "x"}"#)
            == .badData(path: "t.json", line: 1, column: 1, message: "missing required field \"roles\""))
        #expect(error(#"{"schemaVersion": 2, "name": "x", "roles": {}}"#) == .badData(
            path: "t.json", line: 1, column: 19,
            message: "schemaVersion 2 is newer than this ptrack understands (1); upgrade ptrack"))
        #expect(error(#"{"schemaVersion": 1, "name": "My Theme", "roles": {}}"#) == .badData(
            path: "t.json", line: 1, column: 30, message: "invalid \"name\" \"My Theme\" (expected \(Slug.expectedForm))"))
        // The parser's own refusals keep their positions.
        #expect(error(#"{"schemaVersion": 1, "name": "x", "roles": {"normal": {}, "normal": {}}}"#)
            == .badData(path: "t.json", line: 1, column: 59, message: "duplicate key \"normal\""))
        #expect(error(#"{"schemaVersion": 1, "name": "x", "roles": {"normal": {},}}"#)?.description.hasPrefix("t.json:1:57: ") == true)
    }

    @Test func aThemeFoundByNameMustBeCalledAsItsFile() {
        #expect(themeError(#""muted": {}"#, name: "other", expectedName: "broken") == bad(
            3, 11, "the theme is called \"other\" but its file is broken.json; the two names must match"))
        #expect(themeError(#""muted": {}"#, name: "broken", expectedName: "broken") == nil)
    }

    @Test func paintsInWords() {
        #expect(Paint().words == "plain")
        #expect(Paint(foreground: .rgb(red: 0x5f, green: 0xd7, blue: 0x5f), bold: true).words == "bright-green bold")
        #expect(Paint(foreground: .ansi(0), background: .indexed(220), underline: true).words == "black on bright-yellow underline")
        #expect(Paint(background: .ansi(4), reverse: true, dim: true).words == "on blue reverse dim")
    }
}

@Suite struct ThemeLibraryTests {
    /// A fresh config folder with `files` (name → contents) in its `ptrack/themes`, and the
    /// environment that points at it.
    private func configuration(_ files: [String: String], extra: [String: String] = [:]) throws -> (String, [String: String]) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ptrack-themes-\(UUID().uuidString)").path
        let folder = root + "/ptrack/themes"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, contents) in files {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        let environment = ["XDG_CONFIG_HOME": root, "HOME": "/nonexistent-home"].merging(extra) { _, new in new }
        return (folder, environment)
    }

    private func theme(_ name: String, description: String = "Mine.", roles: String = #""normal": {"fg": "red"}"#) -> String {
        """
        {
          "schemaVersion": 1,
          "name": "\(name)",
          "description": "\(description)",
          "roles": {\(roles)}
        }

        """
    }

    private let brokenTheme = """
        {
          "schemaVersion": 1,
          "name": "broken",
          "roles": {
            "normal": {"fg": 256}
          }
        }

        """

    private func bundledTheme(_ name: String) -> Theme { ThemeLibrary.bundled.first { $0.name == name }!.theme! }

    @Test func theUserFolderFollowsXDG() {
        #expect(ThemeLibrary.userDirectory(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/u"]) == "/cfg/ptrack/themes")
        #expect(ThemeLibrary.userDirectory(environment: ["XDG_CONFIG_HOME": "cfg", "HOME": "/home/u"]) == "/home/u/.config/ptrack/themes")
        #expect(ThemeLibrary.userDirectory(environment: ["XDG_CONFIG_HOME": "", "HOME": "/home/u"]) == "/home/u/.config/ptrack/themes")
        #expect(ThemeLibrary.userDirectory(environment: ["HOME": "/home/u"]) == "/home/u/.config/ptrack/themes")
    }

    @Test func valuesThatArePaths() {
        #expect(ThemeLibrary.isPath("./mine.json"))
        #expect(ThemeLibrary.isPath("mine.json"))
        #expect(ThemeLibrary.isPath("/etc/theme"))
        #expect(!ThemeLibrary.isPath("high-contrast"))
    }

    @Test func precedence() throws {
        let (_, environment) = try configuration([:])
        func chosen(_ requested: String?, _ extra: [String: String]) -> String {
            let result = ThemeLibrary.resolve(requested: requested, environment: environment.merging(extra) { _, new in new })
            #expect(result.warning == nil)
            return result.theme.name
        }
        #expect(chosen(nil, [:]) == "default")
        #expect(chosen(nil, ["NO_COLOR": "1"]) == "mono")
        #expect(chosen(nil, ["NO_COLOR": ""]) == "default")
        #expect(chosen(nil, ["PTRACK_THEME": "light"]) == "light")
        #expect(chosen(nil, ["PTRACK_THEME": "light", "NO_COLOR": "1"]) == "light")
        #expect(chosen("", ["PTRACK_THEME": "light"]) == "light")
        #expect(chosen("high-contrast", ["PTRACK_THEME": "light", "NO_COLOR": "1"]) == "high-contrast")
        #expect(chosen("high-contrast", ["NO_COLOR": "1"]) == "high-contrast")
        #expect(chosen(themesFolder.appendingPathComponent("light.json").path, ["NO_COLOR": "1"]) == "light")
        #expect(ThemeLibrary.resolve(requested: nil, environment: environment).theme == bundledTheme("default"))
        #expect(ThemeLibrary.resolve(requested: nil, environment: environment.merging(["NO_COLOR": "1"]) { _, new in new }).theme
            == bundledTheme("mono"))

        let selection = ThemeLibrary.select(requested: nil, environment: environment.merging(["NO_COLOR": "yes"]) { _, new in new })
        #expect(selection.reason == .noColor)
        #expect(selection.origin == "bundled")
    }

    @Test func anUnknownNameGivesTheDefaultAndAWarning() throws {
        let (_, environment) = try configuration([:], extra: ["PTRACK_THEME": "solarized"])
        let result = ThemeLibrary.resolve(requested: nil, environment: environment)
        #expect(result.theme == bundledTheme("default"))
        #expect(result.warning == "no theme named \"solarized\" (themes: default, high-contrast, light, mono); using the default theme")
        let missing = ThemeLibrary.resolve(requested: "/nonexistent/x.json", environment: environment)
        #expect(missing.theme == bundledTheme("default"))
        #expect(missing.warning == "theme file /nonexistent/x.json does not exist; using the default theme")
    }

    @Test func aBrokenUserThemeGivesTheDefaultAndAWarningWithItsPosition() throws {
        let (folder, environment) = try configuration(["broken.json": brokenTheme])
        let result = ThemeLibrary.resolve(requested: "broken", environment: environment)
        #expect(result.theme == bundledTheme("default"))
        let warning = try #require(result.warning)
        #expect(warning.hasPrefix("cannot use theme \(folder)/broken.json:5:22: invalid color 256 for \"fg\""))
        #expect(warning.hasSuffix("; using the default theme"))
        // The same file given by its path.
        let byPath = ThemeLibrary.select(requested: folder + "/broken.json", environment: environment)
        #expect(byPath.theme == bundledTheme("default"))
        #expect(byPath.error == .badData(
            path: folder + "/broken.json", line: 5, column: 22, message: "invalid color 256 for \"fg\" (expected \(ColorValue.themeExpectedForm))"))
    }

    @Test func userThemesOverrideBundledOnesAndBrokenOnesFallBack() throws {
        let (folder, environment) = try configuration([
            "light.json": theme("light", description: "My light."),
            "mono.json": brokenTheme.replacingOccurrences(of: "\"broken\"", with: "\"mono\""),
        ])
        let light = ThemeLibrary.select(requested: "light", environment: environment)
        #expect(light.warning == nil)
        #expect(light.origin == folder + "/light.json")
        #expect(light.theme.paints[.status(.implemented)] == Paint(foreground: .ansi(1)))
        // NO_COLOR with a broken mono.json: the bundled mono, never colors.
        let mono = ThemeLibrary.select(requested: nil, environment: environment.merging(["NO_COLOR": "1"]) { _, new in new })
        #expect(mono.theme == bundledTheme("mono"))
        #expect(mono.warning?.hasPrefix("cannot use theme \(folder)/mono.json:5:22: ") == true)
        #expect(mono.warning?.hasSuffix("; using the bundled mono theme") == true)
    }

    @Test func aBrokenUserDefaultFallsBackToTheBundledDefault() throws {
        let (_, environment) = try configuration(["default.json": brokenTheme.replacingOccurrences(of: "\"broken\"", with: "\"default\"")])
        let result = ThemeLibrary.resolve(requested: nil, environment: environment)
        #expect(result.theme == bundledTheme("default"))
        #expect(result.warning != nil)
        let (_, mine) = try configuration(["default.json": theme("default")])
        let fallback = ThemeLibrary.resolve(requested: "nonesuch", environment: mine)
        #expect(fallback.theme.paints[.normal] == Paint(foreground: .ansi(1)))
    }

    @Test func listingEveryTheme() throws {
        let (folder, environment) = try configuration([
            "zeta.json": theme("zeta"),
            "default.json": theme("default", description: "My default."),
            "broken.json": brokenTheme,
            "Bad Name.json": theme("x"),
            "notes.txt": "not a theme",
            ".hidden.json": "{",
        ])
        let entries = ThemeLibrary.all(environment: environment)
        #expect(entries.map(\.name) == ["default", "light", "high-contrast", "mono", "Bad Name", "broken", "zeta"])
        #expect(entries.map(\.origin) == [
            folder + "/default.json", "bundled", "bundled", "bundled", folder + "/Bad Name.json", folder + "/broken.json",
            folder + "/zeta.json",
        ])
        #expect(entries[0].overridesBundled && entries[0].description == "My default.")
        #expect(!entries[6].overridesBundled && entries[6].theme?.name == "zeta")
        #expect(entries[5].theme == nil)
        #expect(entries[5].error?.description.hasPrefix(folder + "/broken.json:5:22: invalid color 256") == true)
        #expect(entries[4].error == .badData(
            path: folder + "/Bad Name.json", line: nil, column: nil,
            message: "a theme's file name must be its name, \(Slug.expectedForm), followed by .json"))
        // A theme whose name differs from its file is broken.
        let (otherFolder, other) = try configuration(["mine.json": theme("yours")])
        let mine = try #require(ThemeLibrary.all(environment: other).last)
        #expect(mine.error == .badData(
            path: otherFolder + "/mine.json", line: 3, column: 11,
            message: "the theme is called \"yours\" but its file is mine.json; the two names must match"))
    }

    @Test func noUserFolderListsTheBundledThemes() {
        let entries = ThemeLibrary.all(environment: ["XDG_CONFIG_HOME": "/nonexistent-\(UUID().uuidString)"])
        #expect(entries.map(\.name) == bundledNames)
        #expect(entries.allSatisfy { $0.error == nil })
    }
}

@Suite struct ColorMappingTests {
    private let red = ColorValue.rgb(red: 0xff, green: 0, blue: 0)

    @Test func pureRedAtEveryDepth() {
        #expect(red.terminalColor(for: .trueColor) == 0xff0000)
        #expect(red.terminalColor(for: .indexed256) == 196)
        #expect(red.terminalColor(for: .sixteen) == 9)
        #expect(red.terminalColor(for: .eight) == 1)
        #expect(red.terminalColor(for: .none) == nil)
    }

    @Test func ansiColors() {
        #expect(ColorValue.ansi(12).terminalColor(for: .eight) == 4)
        #expect(ColorValue.ansi(12).terminalColor(for: .sixteen) == 12)
        #expect(ColorValue.ansi(12).terminalColor(for: .indexed256) == 12)
        #expect(ColorValue.ansi(12).terminalColor(for: .trueColor) == 0x5c5cff)
        #expect(ColorValue.ansi(3).terminalColor(for: .none) == nil)
        for number in 0..<16 {
            let (r, g, b) = ColorValue.ansi(number).rgb
            #expect(ColorValue.rgb(red: r, green: g, blue: b).terminalColor(for: .sixteen) == number)
            #expect(ColorValue.indexed(number).terminalColor(for: .sixteen) == number)
            #expect(ColorValue.indexed(number).terminalColor(for: .eight) == ColorValue.ansi(number).terminalColor(for: .eight))
        }
    }

    @Test func paletteColors() {
        #expect(ColorValue.indexed(196).terminalColor(for: .indexed256) == 196)
        #expect(ColorValue.indexed(196).terminalColor(for: .sixteen) == 9)
        #expect(ColorValue.indexed(196).terminalColor(for: .trueColor) == 0xff0000)
        #expect(ColorValue.indexed(244).terminalColor(for: .trueColor) == 0x808080)
        #expect(ColorValue.indexed(244).terminalColor(for: .sixteen) == 8)
        #expect(ColorValue.indexed(17).terminalColor(for: .trueColor) == 0x00005f)
        #expect(ColorValue.rgb(red: 0x80, green: 0x80, blue: 0x80).terminalColor(for: .indexed256) == 244)
        #expect(ColorValue.rgb(red: 0x5f, green: 0xaf, blue: 0xff).terminalColor(for: .indexed256) == 75)
        #expect(ColorValue.rgb(red: 0x10, green: 0x10, blue: 0x10).terminalColor(for: .indexed256) == 233)
    }

    /// Light saturated colors keep their hue on 16 and 8 colors (a weighted-distance
    /// "nearest" made them gray).
    @Test func hueSurvivesOnFewColors() {
        let green = ColorValue.rgb(red: 0x5f, green: 0xd7, blue: 0x5f)
        #expect(green.terminalColor(for: .sixteen) == 10)
        #expect(green.terminalColor(for: .eight) == 2)
        let magenta = ColorValue.rgb(red: 0xd7, green: 0x5f, blue: 0xd7)
        #expect(magenta.terminalColor(for: .sixteen) == 13)
        #expect(magenta.terminalColor(for: .eight) == 5)
        #expect(ColorValue.rgb(red: 0x00, green: 0x5f, blue: 0xd7).terminalColor(for: .sixteen) == 4)
        #expect(ColorValue.rgb(red: 0xaf, green: 0x87, blue: 0x00).terminalColor(for: .eight) == 3)
        // Grays go by lightness.
        #expect(ColorValue.indexed(250).terminalColor(for: .sixteen) == 7)
        #expect(ColorValue.indexed(250).terminalColor(for: .eight) == 7)
        #expect(ColorValue.indexed(237).terminalColor(for: .sixteen) == 8)
        #expect(ColorValue.indexed(237).terminalColor(for: .eight) == 0)
        #expect(ColorValue.indexed(255).terminalColor(for: .sixteen) == 7)
        #expect(ColorValue.rgb(red: 255, green: 255, blue: 255).terminalColor(for: .sixteen) == 15)
    }

    /// Direct-color terminals read 0–7 as palette colors, so near-black RGB stays out of them.
    @Test func nearBlackStaysRGBInTrueColor() {
        #expect(ColorValue.rgb(red: 0, green: 0, blue: 5).terminalColor(for: .trueColor) == 8)
        #expect(ColorValue.ansi(0).terminalColor(for: .trueColor) == 8)
        #expect(ColorValue.rgb(red: 0, green: 0, blue: 9).terminalColor(for: .trueColor) == 9)
    }

    @Test func depthsFromColorCounts() {
        #expect(ColorDepth(colors: 16_777_216) == .trueColor)
        #expect(ColorDepth(colors: 256) == .indexed256)
        #expect(ColorDepth(colors: 88) == .sixteen)
        #expect(ColorDepth(colors: 8) == .eight)
        #expect(ColorDepth(colors: -1) == .none)
    }
}
