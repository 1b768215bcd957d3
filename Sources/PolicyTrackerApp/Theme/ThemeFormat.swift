import PolicyTrackerCore

/// A theme file's contents: the theme and the sentence that describes it.
public struct ThemeDocument: Equatable, Sendable {
    public var theme: Theme
    /// What the theme is for, e.g. "Colors for dark terminal backgrounds." (empty when the file has none).
    public var description: String

    public init(theme: Theme, description: String) {
        self.theme = theme
        self.description = description
    }
}

// MARK: - Colors as theme files write them

extension ColorValue {
    /// The names of the 16 ANSI colors in theme files, numbers 0–15 in order.
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// What a color may be in a theme file, for error messages and help.
    public static let themeExpectedForm = "a color name such as red or bright-blue, default, 0–255 or \"#rrggbb\""

    /// A color written as a string in a theme file: an ANSI color name (`red`, `bright-blue`)
    /// or `#rrggbb` (either letter case). Nil for anything else, including `default`,
    /// which means no color and is handled by the reader.
    public init?(themeString text: String) {
        if let number = Self.ansiNames.firstIndex(of: text) {
            self = .ansi(number)
            return
        }
        let digits = Array(text.utf8)
        guard digits.count == 7, digits[0] == UInt8(ascii: "#") else { return nil }
        var values: [UInt8] = []
        for index in stride(from: 1, to: 7, by: 2) {
            guard let high = Self.hexValue(digits[index]), let low = Self.hexValue(digits[index + 1]) else { return nil }
            values.append(high << 4 | low)
        }
        self = .rgb(red: values[0], green: values[1], blue: values[2])
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The color as a theme file writes it: a name, a number or `"#rrggbb"` in lowercase.
    public var themeJSON: JSONValue {
        switch self {
        case .ansi(let number): .string(Self.ansiNames[max(0, min(15, number))])
        case .indexed(let index): .int(index)
        case .rgb(let red, let green, let blue): .string("#" + [red, green, blue].map(Self.hexByte).joined())
        }
    }

    private static func hexByte(_ value: UInt8) -> String {
        let digits = String(value, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }

    /// The name of the ANSI color that stands for this one on a 16-color terminal, for
    /// describing a theme in words (`#5fd75f` → `bright-green`).
    public var nearestName: String {
        switch self {
        case .ansi(let number): return Self.ansiNames[max(0, min(15, number))]
        case .indexed(let index) where index < 16: return Self.ansiNames[index]
        default:
            let (red, green, blue) = rgb
            return Self.ansiNames[Self.ansiColor(red, green, blue, count: 16)]
        }
    }
}

extension Paint {
    /// The paint in a few words, e.g. `green bold`, `black on bright-yellow underline`,
    /// `reverse`, or `plain` when it has no color and no attribute. Colors are named by
    /// the nearest ANSI color.
    public var words: String {
        var parts: [String] = []
        switch (foreground, background) {
        case (nil, nil): break
        case (let foreground?, nil): parts.append(foreground.nearestName)
        case (nil, let background?): parts.append("on " + background.nearestName)
        case (let foreground?, let background?): parts.append(foreground.nearestName + " on " + background.nearestName)
        }
        parts += attributeNames
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }

    /// The attributes that are on, in the order theme files document them.
    public var attributeNames: [String] {
        [("bold", bold), ("underline", underline), ("reverse", reverse), ("dim", dim)].filter(\.1).map(\.0)
    }

    /// The paint as a theme file writes it: only colors that are set and attributes that are on.
    public var themeJSON: JSONValue {
        var members: [String: JSONValue] = [:]
        if let foreground { members["fg"] = foreground.themeJSON }
        if let background { members["bg"] = background.themeJSON }
        for name in attributeNames { members[name] = .bool(true) }
        return .object(members)
    }
}

extension Role {
    /// Every role by its name in theme files.
    public static let byName: [String: Role] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
}

// MARK: - Reading and writing theme files

extension ThemeLibrary {
    /// The newest theme file format this ptrack reads (the `schemaVersion` member).
    public static let schemaVersion = 1

    /// The members a role's paint may have.
    public static let paintFields = ["fg", "bg", "bold", "underline", "reverse", "dim"]

    /// Parses and checks a theme file; see ``decodeDocument(_:expectedName:)``.
    public static func decode(_ text: SourceText) throws(TrackerError) -> Theme {
        try decodeDocument(text).theme
    }

    /// Parses and checks a theme file, refusing anything it does not understand (an unknown
    /// role or member, a color that is not a name, 0–255 or `#rrggbb`, a wrong type) with
    /// the `path:line:column` of the offending text.
    ///
    /// The theme has a paint for every ``Role``: roles the file leaves out get the paint of
    /// `normal` (or no colors and no attributes when `normal` is left out too).
    /// - Parameter expectedName: for a theme found by its name (a file in the themes folder),
    ///   the name its file is called by, which the `name` member must repeat.
    public static func decodeDocument(_ text: SourceText, expectedName: String? = nil) throws(TrackerError) -> ThemeDocument {
        let root = try text.parseDocument()
        let reader = try FieldReader(
            root, in: text, what: "the theme document", fields: ["schemaVersion", "name", "description", "roles"])
        try checkSchemaVersion(reader)
        let name = try reader.parsed("name", expected: Slug.expectedForm) { Slug.isValid($0) ? $0 : nil }
        if let expectedName, name != expectedName {
            throw text.problem(
                at: try reader.requiredNode("name").offset,
                "the theme is called \"\(name)\" but its file is \(expectedName).json; the two names must match")
        }
        let description = try reader.optionalString("description") ?? ""
        let rolesNode = try reader.requiredNode("roles")
        guard case .object(let members) = rolesNode.kind else {
            throw text.problem(at: rolesNode.offset, "\"roles\" must be an object, found \(rolesNode.typeName)")
        }
        var given: [Role: Paint] = [:]
        for member in members {
            guard let role = Role.byName[member.key] else {
                throw text.problem(
                    at: member.keyOffset,
                    "unknown role \"\(member.key)\" (known roles: \(Role.allCases.map(\.name).joined(separator: ", ")))")
            }
            given[role] = try paint(member.value, role: member.key, text)
        }
        let normal = given[.normal] ?? Paint()
        var paints: [Role: Paint] = [:]
        for role in Role.allCases { paints[role] = given[role] ?? normal }
        return ThemeDocument(theme: Theme(name: name, paints: paints), description: description)
    }

    private static func checkSchemaVersion(_ reader: FieldReader) throws(TrackerError) {
        let node = try reader.requiredNode("schemaVersion")
        let version = try reader.int("schemaVersion")
        if version > schemaVersion {
            throw reader.text.problem(
                at: node.offset,
                "schemaVersion \(version) is newer than this ptrack understands (\(schemaVersion)); upgrade ptrack")
        }
        if version < 1 {
            throw reader.text.problem(at: node.offset, "schemaVersion must be 1 or more, found \(version)")
        }
    }

    private static func paint(_ node: JSONNode, role: String, _ text: SourceText) throws(TrackerError) -> Paint {
        let reader = try FieldReader(node, in: text, what: "the paint of role \"\(role)\"", fields: paintFields)
        return Paint(
            foreground: try color(reader, "fg"), background: try color(reader, "bg"),
            bold: try reader.bool("bold", default: false), underline: try reader.bool("underline", default: false),
            reverse: try reader.bool("reverse", default: false), dim: try reader.bool("dim", default: false))
    }

    /// The color member `key`: nil when absent, `null` or `"default"`.
    private static func color(_ reader: FieldReader, _ key: String) throws(TrackerError) -> ColorValue? {
        guard let node = reader.optionalNode(key) else { return nil }
        switch node.kind {
        case .number(let digits):
            guard let index = Int(digits), (0...255).contains(index) else {
                throw reader.text.problem(
                    at: node.offset, "invalid color \(digits) for \"\(key)\" (expected \(ColorValue.themeExpectedForm))")
            }
            return .indexed(index)
        case .string(let name):
            if name == "default" { return nil }
            guard let color = ColorValue(themeString: name) else {
                var written = ""
                JSONWriter.writeString(name, to: &written)
                throw reader.text.problem(
                    at: node.offset, "invalid color \(written) for \"\(key)\" (expected \(ColorValue.themeExpectedForm))")
            }
            return color
        default:
            throw reader.text.problem(
                at: node.offset, "\"\(key)\" must be a color (\(ColorValue.themeExpectedForm)), found \(node.typeName)")
        }
    }

    /// The theme file for `document` in canonical form (two-space indentation, sorted keys,
    /// a trailing newline), with a paint for every role.
    public static func encode(_ document: ThemeDocument) -> String {
        var roles: [String: JSONValue] = [:]
        for (role, paint) in document.theme.paints { roles[role.name] = paint.themeJSON }
        var members: [String: JSONValue] = [
            "schemaVersion": .int(schemaVersion), "name": .string(document.theme.name), "roles": .object(roles),
        ]
        if !document.description.isEmpty { members["description"] = .string(document.description) }
        return JSONWriter.pretty(.object(members))
    }
}
