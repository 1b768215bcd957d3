import CNcursesw
import NcursesBackend
import PolicyTrackerApp
import Testing

@Suite struct PenTableTests {
    private static let theme = Theme(name: "test", paints: [
        .header: Paint(foreground: .ansi(3), bold: true, underline: true),
        .muted: Paint(dim: true),
        .selection: Paint(foreground: .ansi(0), background: .ansi(6)),
        .accent: Paint(foreground: .ansi(5)),
        .border: Paint(reverse: true),
    ])

    private func pens(_ depth: ColorDepth) -> (PenTable, ColorPairPlan) {
        let plan = ColorPairPlan(theme: Self.theme, depth: depth, maxPairs: 64)
        return (PenTable(theme: Self.theme, plan: plan), plan)
    }

    @Test func attributesComeFromThePaint() {
        let (table, _) = pens(.sixteen)
        #expect(table.pen(for: CellStyle(.header)).attributes == ptrack_attr_bold() | ptrack_attr_underline())
        #expect(table.pen(for: CellStyle(.muted)).attributes == ptrack_attr_dim())
        #expect(table.pen(for: CellStyle(.border)).attributes == ptrack_attr_reverse())
        #expect(table.pen(for: .normal).attributes == ptrack_attr_normal())
    }

    @Test func cellEmphasisAddsBoldAndUnderline() {
        let (table, plan) = pens(.sixteen)
        let pen = table.pen(for: CellStyle(.accent, bold: true, underline: true))
        #expect(pen.attributes == ptrack_attr_bold() | ptrack_attr_underline())
        #expect(Int(pen.pair) == plan.pair(for: .accent))
        #expect(pen.pair == table.pen(for: CellStyle(.accent)).pair)
    }

    @Test func pensUseThePlannedPairs() {
        let (table, plan) = pens(.sixteen)
        for role in Role.allCases {
            #expect(Int(table.pen(for: CellStyle(role)).pair) == plan.pair(for: role))
        }
        #expect(table.pen(for: CellStyle(.selection)).pair != 0)
    }

    @Test func withoutColorsABackgroundBecomesReverseVideo() {
        let (table, _) = pens(.none)
        #expect(table.pen(for: CellStyle(.selection)) == Pen(attributes: ptrack_attr_reverse(), pair: 0))
        #expect(table.pen(for: CellStyle(.accent)) == Pen(attributes: ptrack_attr_normal(), pair: 0))
        #expect(table.pen(for: CellStyle(.header)).attributes == ptrack_attr_bold() | ptrack_attr_underline())
    }

    @Test func withColorsABackgroundIsNotReversed() {
        let (table, _) = pens(.eight)
        #expect(table.pen(for: CellStyle(.selection)).attributes == ptrack_attr_normal())
    }
}
