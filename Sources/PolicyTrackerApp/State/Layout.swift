/// Where each part of the screen goes, computed from the size and screen alone, so the
/// view draws and the update hit-tests mouse clicks against the same rectangles.
public struct Layout: Equatable, Sendable {
    /// Below this the browser only says the terminal is too small.
    public static let minimumSize = Size(width: 40, height: 10)

    public let size: Size

    public init(size: Size) { self.size = size }

    public var isTooSmall: Bool { size.width < Self.minimumSize.width || size.height < Self.minimumSize.height }

    /// The tab bar at the top.
    public var tabBar: Rect { Rect(x: 0, y: 0, width: size.width, height: 1) }
    /// The status line at the bottom.
    public var statusLine: Rect { Rect(x: 0, y: size.height - 1, width: size.width, height: 1) }
    /// Everything between them.
    public var content: Rect { Rect(x: 0, y: 1, width: size.width, height: size.height - 2) }

    /// On wide terminals (120 columns or more) the detail stands beside the list.
    public var isWide: Bool { size.width >= 120 }

    /// The list pane: all of the content, or its left part on wide terminals.
    public var listPane: Rect {
        isWide ? content.splitColumns(at: size.width * 55 / 100, gap: 1).0 : content
    }

    /// The detail pane beside the list on wide terminals (after a one-column border).
    public var detailPane: Rect {
        isWide ? content.splitColumns(at: size.width * 55 / 100, gap: 1).1 : content
    }

    /// The column of the border between list and detail (wide terminals).
    public var borderColumn: Int { listPane.maxX }

    /// The list's rows under its column headings.
    public var listBody: Rect { listPane.splitRows(at: 1).1 }

    /// The timeline's rows under its heading.
    public var timelineBody: Rect { content.splitRows(at: 1).1 }
}
