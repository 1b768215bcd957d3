import CNcursesw
import PolicyTrackerApp

/// How ncurses draws one cell style: video attributes and a color pair.
public struct Pen: Equatable, Sendable {
    /// `A_BOLD`, `A_UNDERLINE`, `A_REVERSE` and `A_DIM`, combined.
    public var attributes: attr_t
    /// The color pair; 0 for default colors.
    public var pair: Int16

    /// A pen drawing with `attributes` in color pair `pair`.
    public init(attributes: attr_t, pair: Int16) {
        self.attributes = attributes
        self.pair = pair
    }
}

/// The pen of every cell style, worked out once from the theme and the color pair plan.
///
/// A role whose colors cannot be shown but which has a background color (the selection,
/// the status line, search matches) is drawn in reverse video, so it stays visible on a
/// terminal without colors.
public struct PenTable: Sendable {
    private var pens: [CellStyle: Pen] = [:]

    /// The pens of all roles with and without bold and underline.
    public init(theme: Theme, plan: ColorPairPlan) {
        for role in Role.allCases {
            for bold in [false, true] {
                for underline in [false, true] {
                    let style = CellStyle(role, bold: bold, underline: underline)
                    pens[style] = Self.pen(theme.paint(for: style), role: role, plan: plan)
                }
            }
        }
    }

    /// The pen for `style`.
    public func pen(for style: CellStyle) -> Pen {
        pens[style] ?? Pen(attributes: ptrack_attr_normal(), pair: 0)
    }

    private static func pen(_ paint: Paint, role: Role, plan: ColorPairPlan) -> Pen {
        let lostBackground = paint.background != nil && plan.uncolored.contains(role)
        var attributes = ptrack_attr_normal()
        if paint.bold { attributes |= ptrack_attr_bold() }
        if paint.underline { attributes |= ptrack_attr_underline() }
        if paint.reverse || lostBackground { attributes |= ptrack_attr_reverse() }
        if paint.dim { attributes |= ptrack_attr_dim() }
        return Pen(attributes: attributes, pair: Int16(clamping: plan.pair(for: role)))
    }
}
