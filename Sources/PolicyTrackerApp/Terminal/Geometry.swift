/// A terminal size in columns and rows.
public struct Size: Equatable, Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// A rectangle of cells: `x`, `y` of its top-left corner, its width and height.
/// A cell's column and row.
public struct Point: Equatable, Sendable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    /// True when the point lies inside.
    public func contains(x column: Int, y row: Int) -> Bool {
        column >= x && column < maxX && row >= y && row < maxY
    }

    /// The left `columns` of the rectangle and the rest (after a one-column gap when `gap`).
    public func splitColumns(at columns: Int, gap: Int = 0) -> (Rect, Rect) {
        let left = min(width, max(0, columns))
        return (Rect(x: x, y: y, width: left, height: height),
                Rect(x: x + left + gap, y: y, width: width - left - gap, height: height))
    }

    /// The top `rows` of the rectangle and the rest.
    public func splitRows(at rows: Int) -> (Rect, Rect) {
        let top = min(height, max(0, rows))
        return (Rect(x: x, y: y, width: width, height: top), Rect(x: x, y: y + top, width: width, height: height - top))
    }

    /// The rectangle shrunk by `amount` cells on every side.
    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }
}
