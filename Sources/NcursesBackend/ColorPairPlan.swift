import PolicyTrackerApp

/// Which color pairs to create for a theme, and which pair each role draws with. Pure: the
/// terminal creates the pairs once at start, never while drawing.
///
/// Every distinct (foreground, background) among the roles' paints gets one pair, in the
/// order of `Role.allCases`. Pair 0 is reserved: it shows the terminal's default colors,
/// so roles that use the defaults on both sides draw with it. Roles whose colors cannot be
/// shown (no colors, or no pairs left) also draw with pair 0 and are listed in
/// ``uncolored``.
public struct ColorPairPlan: Equatable, Sendable {
    /// The colors of one pair as terminal color numbers; -1 is the terminal's default.
    public struct Colors: Hashable, Sendable {
        public var foreground: Int
        public var background: Int

        /// Colors `foreground` on `background`.
        public init(foreground: Int, background: Int) {
            self.foreground = foreground
            self.background = background
        }
    }

    /// The pairs to create: `pairs[0]` is pair 1, `pairs[1]` pair 2, and so on.
    public private(set) var pairs: [Colors] = []
    /// Roles whose paint names a color the plan could not give them.
    public private(set) var uncolored: Set<Role> = []
    private var rolePairs: [Role: Int] = [:]

    /// Plans the pairs of `theme` for a terminal of `depth` that allows `maxPairs` pairs
    /// (ncurses' `COLOR_PAIRS`, counting pair 0). `defaultColors` tells whether the
    /// terminal accepted `use_default_colors()`; when not, an unset color is white on black,
    /// which is what pair 0 shows then.
    public init(theme: Theme, depth: ColorDepth, maxPairs: Int, defaultColors: Bool = true) {
        let base = defaultColors ? Colors(foreground: -1, background: -1) : Colors(foreground: 7, background: 0)
        for role in Role.allCases {
            let paint = theme.paint(for: CellStyle(role))
            guard paint.foreground != nil || paint.background != nil else { continue }
            guard depth != .none else {
                uncolored.insert(role)
                continue
            }
            let colors = Colors(foreground: paint.foreground?.terminalColor(for: depth) ?? base.foreground,
                                background: paint.background?.terminalColor(for: depth) ?? base.background)
            if colors != base { assign(colors, to: role, maxPairs: maxPairs) }
        }
    }

    /// The pair `role` draws with; 0 for the terminal's default colors or attributes only.
    public func pair(for role: Role) -> Int {
        rolePairs[role] ?? 0
    }

    /// Gives `role` the pair of `colors`, creating it while pair numbers below `maxPairs` remain.
    private mutating func assign(_ colors: Colors, to role: Role, maxPairs: Int) {
        if let index = pairs.firstIndex(of: colors) {
            rolePairs[role] = index + 1
        } else if pairs.count + 1 < maxPairs {
            pairs.append(colors)
            rolePairs[role] = pairs.count
        } else {
            uncolored.insert(role)
        }
    }
}
