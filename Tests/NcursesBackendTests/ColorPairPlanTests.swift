import NcursesBackend
import PolicyTrackerApp
import PolicyTrackerCore
import Testing

@Suite struct ColorPairPlanTests {
    private static let red = ColorValue.ansi(1)
    private static let blue = ColorValue.ansi(4)

    /// Five colored roles with three distinct color combinations, and plain `normal`.
    private static let theme = Theme(name: "test", paints: [
        .normal: Paint(),
        .header: Paint(foreground: red, bold: true),
        .accent: Paint(foreground: red),
        .selection: Paint(foreground: .ansi(15), background: blue),
        .statusLine: Paint(foreground: .ansi(15), background: blue, reverse: true),
        .error: Paint(foreground: .ansi(15), background: red),
    ])

    @Test func onePairPerDistinctColorCombination() {
        let plan = ColorPairPlan(theme: Self.theme, depth: .sixteen, maxPairs: 64)
        #expect(plan.pairs == [
            .init(foreground: 1, background: -1),
            .init(foreground: 15, background: 4),
            .init(foreground: 15, background: 1),
        ])
        #expect(plan.pair(for: .header) == 1)
        #expect(plan.pair(for: .selection) == 2)
        #expect(plan.pair(for: .error) == 3)
        #expect(plan.uncolored.isEmpty)
    }

    @Test func equalColorsShareAPairWhateverTheAttributes() {
        let plan = ColorPairPlan(theme: Self.theme, depth: .sixteen, maxPairs: 64)
        #expect(plan.pair(for: .header) == plan.pair(for: .accent))
        #expect(plan.pair(for: .selection) == plan.pair(for: .statusLine))
    }

    @Test func pairZeroIsReservedForDefaultColors() {
        let plan = ColorPairPlan(theme: Self.theme, depth: .indexed256, maxPairs: 256)
        #expect(plan.pair(for: .normal) == 0)
        #expect(plan.pair(for: .muted) == 0)  // not in the theme: looks like normal
        for role in [Role.header, .accent, .selection, .statusLine, .error] {
            #expect(plan.pair(for: role) > 0)
        }
    }

    @Test func rolesTheThemeLeavesOutUseTheNormalPair() {
        let theme = Theme(name: "green", paints: [
            .normal: Paint(foreground: .ansi(2)), .header: Paint(foreground: Self.red),
        ])
        let plan = ColorPairPlan(theme: theme, depth: .eight, maxPairs: 64)
        #expect(plan.pairs == [.init(foreground: 2, background: -1), .init(foreground: 1, background: -1)])
        #expect(plan.pair(for: .muted) == plan.pair(for: .normal))
        #expect(plan.pair(for: .status(.stalled)) == 1)
    }

    @Test func noColorsMeansNoPairsAndAttributesOnly() {
        let plan = ColorPairPlan(theme: Self.theme, depth: .none, maxPairs: 64)
        #expect(plan.pairs.isEmpty)
        for role in Role.allCases {
            #expect(plan.pair(for: role) == 0)
        }
        #expect(plan.uncolored == [.header, .accent, .selection, .statusLine, .error])
    }

    @Test(arguments: [0, 1, 2, 3])
    func neverMoreThanTheTerminalAllows(_ maxPairs: Int) {
        let plan = ColorPairPlan(theme: Self.theme, depth: .sixteen, maxPairs: maxPairs)
        #expect(plan.pairs.count == max(0, maxPairs - 1))
        for role in Role.allCases {
            #expect(plan.pair(for: role) < max(1, maxPairs))
        }
    }

    @Test func rolesBeyondTheLimitFallBackToPairZero() {
        let plan = ColorPairPlan(theme: Self.theme, depth: .sixteen, maxPairs: 2)
        #expect(plan.pair(for: .header) == 1)
        #expect(plan.pair(for: .accent) == 1)  // shares the pair it got before the limit
        #expect(plan.pair(for: .selection) == 0)
        #expect(plan.pair(for: .error) == 0)
        #expect(plan.uncolored == [.selection, .statusLine, .error])
    }

    @Test func colorsAreMappedToTheTerminalsDepth() {
        let orange = ColorValue.rgb(red: 0xFF, green: 0x87, blue: 0x00)
        let theme = Theme(name: "rgb", paints: [.header: Paint(foreground: orange)])
        func pairs(_ depth: ColorDepth) -> [ColorPairPlan.Colors] {
            ColorPairPlan(theme: theme, depth: depth, maxPairs: 256).pairs
        }
        #expect(pairs(.trueColor) == [.init(foreground: 0xFF8700, background: -1)])
        #expect(pairs(.indexed256) == [.init(foreground: 208, background: -1)])
        for depth in [ColorDepth.sixteen, .eight] {
            #expect(pairs(depth) == [.init(foreground: orange.terminalColor(for: depth)!, background: -1)])
        }
    }

    @Test func withoutDefaultColorsUnsetColorsAreWhiteOnBlack() {
        let theme = Theme(name: "t", paints: [
            .header: Paint(foreground: Self.red), .selection: Paint(background: Self.blue),
            .muted: Paint(foreground: .ansi(7), background: .ansi(0)),
        ])
        let plan = ColorPairPlan(theme: theme, depth: .eight, maxPairs: 64, defaultColors: false)
        #expect(plan.pairs == [.init(foreground: 1, background: 0), .init(foreground: 7, background: 4)])
        #expect(plan.pair(for: .muted) == 0)  // white on black is what pair 0 shows
    }
}
