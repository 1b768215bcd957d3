import PolicyTrackerCore

/// What a piece of text *is* on the screen. Views speak only in roles; a theme decides
/// what each role looks like, so views never name a color.
public enum Role: Hashable, Sendable, CaseIterable {
    case normal
    /// Less important text: dates, ids in passing, hints.
    case muted
    /// Screen titles and table headings.
    case header
    /// Lines between panes.
    case border
    /// The selected row.
    case selection
    /// Keys in help, counts, emphasis.
    case accent
    /// Text matching the current search.
    case searchMatch
    /// The status line at the bottom.
    case statusLine
    /// Errors on the status line.
    case error
    /// The watch mark.
    case watched
    /// A status badge.
    case status(Status)

    public static var allCases: [Role] {
        [.normal, .muted, .header, .border, .selection, .accent, .searchMatch, .statusLine, .error, .watched]
            + Status.allCases.map(Role.status)
    }

    /// The role's name in theme files: `normal`, `status.in-progress`, …
    public var name: String {
        switch self {
        case .normal: "normal"
        case .muted: "muted"
        case .header: "header"
        case .border: "border"
        case .selection: "selection"
        case .accent: "accent"
        case .searchMatch: "search-match"
        case .statusLine: "status-line"
        case .error: "error"
        case .watched: "watched"
        case .status(let status): "status." + status.rawValue
        }
    }
}

/// How a cell is drawn: its role, and emphasis the view adds on top of the theme.
public struct CellStyle: Hashable, Sendable {
    public var role: Role
    public var bold: Bool
    public var underline: Bool

    public init(_ role: Role = .normal, bold: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.underline = underline
    }

    public static let normal = CellStyle()
}
