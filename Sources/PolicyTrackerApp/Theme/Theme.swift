/// A color as a theme names it: one of the 16 ANSI colors, an index of the 256-color
/// palette, or an RGB value. Backends map it down to what the terminal can show.
public enum ColorValue: Hashable, Sendable {
    /// 0–15: black, red, green, yellow, blue, magenta, cyan, white, then their bright forms.
    case ansi(Int)
    /// 0–255 of the xterm palette.
    case indexed(Int)
    case rgb(red: UInt8, green: UInt8, blue: UInt8)
}

/// How many colors a terminal can show.
public enum ColorDepth: Int, Comparable, Sendable {
    /// No colors: attributes only (bold, underline, reverse).
    case none = 0
    case eight = 8
    case sixteen = 16
    case indexed256 = 256
    /// 24-bit color (a `*-direct` terminfo entry).
    case trueColor = 16_777_216

    /// The depth of a terminal reporting `colors` colors.
    public init(colors: Int) {
        switch colors {
        case 16_777_216...: self = .trueColor
        case 256...: self = .indexed256
        case 16...: self = .sixteen
        case 8...: self = .eight
        default: self = .none
        }
    }

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a role looks like: colors (nil = the terminal's default) and attributes.
public struct Paint: Hashable, Sendable {
    public var foreground: ColorValue?
    public var background: ColorValue?
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(foreground: ColorValue? = nil, background: ColorValue? = nil, bold: Bool = false,
                underline: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }
}

/// A named set of paints, one per ``Role``. Roles a theme leaves out look like `normal`.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var paints: [Role: Paint]

    public init(name: String, paints: [Role: Paint]) {
        self.name = name
        self.paints = paints
    }

    /// The paint of a cell: its role's paint with the cell's own emphasis added.
    public func paint(for style: CellStyle) -> Paint {
        var paint = paints[style.role] ?? paints[.normal] ?? Paint()
        if style.bold { paint.bold = true }
        if style.underline { paint.underline = true }
        return paint
    }
}
