/// Mapping theme colors down to what a terminal can show.
extension ColorValue {
    /// The terminal color number for this color at `depth`, or nil when the terminal has
    /// no colors. True color gives `0xRRGGBB` (as ncurses' direct-color entries expect);
    /// 256 colors the nearest palette entry; 16 and 8 the ANSI color of the same hue and
    /// lightness (see ``ansiColor(_:_:_:count:)``).
    ///
    /// Direct-color terminfo entries (`xterm-direct`, …) read the numbers 0–7 as the
    /// terminal's palette colors, so the RGB values `0x000000`–`0x000007` are given as
    /// `0x000008`, the nearest value that is still read as RGB.
    public func terminalColor(for depth: ColorDepth) -> Int? {
        switch (self, depth) {
        case (_, .none): return nil
        case (.ansi(let number), .eight): return number % 8
        case (.ansi(let number), _) where depth != .trueColor: return number
        case (.indexed(let index), .indexed256): return index
        case (.rgb(let red, let green, let blue), .trueColor): return Self.directColor(red, green, blue)
        case (.rgb(let red, let green, let blue), .indexed256): return Self.nearestPaletteIndex(red, green, blue)
        default:
            let (red, green, blue) = rgb
            if depth == .trueColor { return Self.directColor(red, green, blue) }
            return Self.ansiColor(red, green, blue, count: depth == .eight ? 8 : 16)
        }
    }

    /// The color as RGB (ANSI colors as xterm draws them).
    public var rgb: (UInt8, UInt8, UInt8) {
        switch self {
        case .rgb(let red, let green, let blue): return (red, green, blue)
        case .ansi(let number): return Self.ansiRGB[max(0, min(15, number))]
        case .indexed(let index):
            switch index {
            case 0..<16: return Self.ansiRGB[index]
            case 16..<232:
                let cube = index - 16
                return (Self.cubeLevels[cube / 36], Self.cubeLevels[cube / 6 % 6], Self.cubeLevels[cube % 6])
            default:
                let level = UInt8(8 + 10 * (max(232, min(255, index)) - 232))
                return (level, level, level)
            }
        }
    }

    /// `0xRRGGBB`, kept out of 0–7, which direct-color terminals take as palette colors.
    static func directColor(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Int {
        max(8, Int(red) << 16 | Int(green) << 8 | Int(blue))
    }

    static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let red = Int(a.0) - Int(b.0), green = Int(a.1) - Int(b.1), blue = Int(a.2) - Int(b.2)
        return 2 * red * red + 4 * green * green + 3 * blue * blue
    }

    /// The nearest entry of the 6×6×6 cube or the gray ramp of the 256-color palette.
    static func nearestPaletteIndex(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Int {
        let target = (red, green, blue)
        let candidates = (16..<256).map { ($0, ColorValue.indexed($0).rgb) }
        return candidates.min { distance($0.1, target) < distance($1.1, target) }!.0
    }

    /// The ANSI color (0–15, or 0–7 when `count` is 8) that stands for an RGB color.
    ///
    /// The 16 ANSI colors are too far apart for "nearest by distance" to work: by the usual
    /// weighted distances, light saturated colors such as `#5fd75f` are nearer to gray than
    /// to green.
    /// So the hue decides instead. Colors with little chroma become black, bright black,
    /// white or bright white by lightness (black or white with 8 colors); the others take the
    /// ANSI color of their 60° hue sector (red, yellow, green, cyan, blue, magenta), bright
    /// when their HSL lightness is 0.5 or more. Every ANSI color maps to itself.
    static func ansiColor(_ red: UInt8, _ green: UInt8, _ blue: UInt8, count: Int) -> Int {
        let (r, g, b) = (Double(red), Double(green), Double(blue))
        let high = max(r, g, b), low = min(r, g, b), chroma = high - low
        let lightness = (high + low) / 510
        if chroma < 32 || chroma * 4 < high {
            if count == 8 { return lightness < 0.5 ? 0 : 7 }
            return lightness < 0.2 ? 0 : lightness < 0.6 ? 8 : lightness < 0.95 ? 7 : 15
        }
        var hue: Double
        if high == r {
            hue = 60 * ((g - b) / chroma)
        } else if high == g {
            hue = 60 * ((b - r) / chroma + 2)
        } else {
            hue = 60 * ((r - g) / chroma + 4)
        }
        if hue < 0 { hue += 360 }
        let base = switch hue {
        case ..<30: 1
        case ..<90: 3
        case ..<150: 2
        case ..<210: 6
        case ..<270: 4
        case ..<330: 5
        default: 1
        }
        return count == 8 || lightness < 0.5 ? base : base + 8
    }
}
