import PolicyTrackerCore

/// One screen cell: a grapheme cluster and how to draw it. A wide glyph (two columns) is
/// followed by a continuation cell with empty text and width 0, which backends skip.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var width: Int
    public var style: CellStyle

    public init(text: String = " ", width: Int = 1, style: CellStyle = .normal) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell()
}

/// The whole screen as a grid of cells: what `view` produces and a backend draws.
///
/// Text goes in through ``write(_:x:y:maxWidth:style:)``, which sanitises it (control and
/// bidirectional characters become visible placeholders), measures every grapheme cluster
/// (East Asian wide = 2 columns, combining = 0) and never splits a wide glyph at an edge.
public struct Buffer: Equatable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Where the terminal shows its cursor (the field being typed in); nil hides it.
    public var cursor: Point?

    public init(size: Size) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        self.cells = Array(repeating: .blank, count: self.size.width * self.size.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set { cells[y * size.width + x] = newValue }
    }

    /// Writes `text` from column `x` of row `y`, using at most `maxWidth` columns (to the
    /// right edge when nil). Returns the columns used.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, maxWidth: Int? = nil, style: CellStyle = .normal) -> Int {
        guard y >= 0, y < size.height, x >= 0, x < size.width else { return 0 }
        let limit = min(size.width - x, maxWidth ?? Int.max)
        var column = x
        for character in DisplayText.sanitized(text) {
            let width = DisplayText.width(of: character)
            if width == 0 {
                if column > x { appendCombining(character, x: column - 1, y: y) }
                continue
            }
            guard column - x + width <= limit else { break }
            put(Cell(text: String(character), width: width, style: style), x: column, y: y)
            if width == 2 { put(Cell(text: "", width: 0, style: style), x: column + 1, y: y) }
            column += width
        }
        return column - x
    }

    /// Sets one cell without leaving half of a wide glyph behind: overwriting either half of
    /// a wide glyph blanks the other half.
    private mutating func put(_ cell: Cell, x: Int, y: Int) {
        let old = self[x, y]
        if old.width == 0, cell.width != 0, x > 0, self[x - 1, y].width == 2 {
            self[x - 1, y] = Cell(text: " ", width: 1, style: self[x - 1, y].style)
        }
        if old.width == 2, cell.width != 2, x + 1 < size.width {
            self[x + 1, y] = Cell(text: " ", width: 1, style: self[x + 1, y].style)
        }
        self[x, y] = cell
    }

    /// Adds a zero-width character to the cell at (x, y), or to the wide glyph it continues.
    private mutating func appendCombining(_ character: Character, x: Int, y: Int) {
        let target = self[x, y].width == 0 && x > 0 ? x - 1 : x
        self[target, y].text.append(character)
    }

    /// Fills `rect` with spaces in `style`.
    public mutating func fill(_ rect: Rect, style: CellStyle = .normal) {
        for row in max(0, rect.y)..<min(size.height, rect.maxY) {
            for column in max(0, rect.x)..<min(size.width, rect.maxX) {
                put(Cell(text: " ", width: 1, style: style), x: column, y: row)
            }
        }
    }

    /// Sets the style of every cell in `rect`, keeping the text.
    public mutating func restyle(_ rect: Rect, style: CellStyle) {
        for row in max(0, rect.y)..<min(size.height, rect.maxY) {
            for column in max(0, rect.x)..<min(size.width, rect.maxX) {
                self[column, row].style = style
            }
        }
    }

    /// The screen's text, one string per row (continuation cells contribute nothing).
    public var lines: [String] {
        (0..<size.height).map { row in
            (0..<size.width).map { self[$0, row].text }.joined()
        }
    }
}
