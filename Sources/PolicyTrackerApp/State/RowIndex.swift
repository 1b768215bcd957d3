/// Where each item and heading of the list is, built with the rows: finding the selection's
/// row, or the rows of a search's matches, needs no scan of the list's ids.
struct RowIndex: Equatable, Sendable {
    /// The items' numbers (their positions in id order), by id.
    private var numbers: [String: Int32] = [:]
    /// For each item number, its row, or -1 when the list does not show the item.
    private var rowByNumber: [Int32] = []
    /// For each row, its item's number, or -1 for a heading.
    private var numberByRow: [Int32] = []
    private var groupRows: [String: Int] = [:]

    /// The index of an empty list.
    init() {}

    /// Indexes `rows`, whose items `numbers` numbers from 0 to `count - 1`.
    init(rows: [Row], numbers: [String: Int32], count: Int) {
        self.numbers = numbers
        rowByNumber = [Int32](repeating: -1, count: count)
        numberByRow = [Int32](repeating: -1, count: rows.count)
        for (row, line) in rows.enumerated() {
            switch line {
            case .item(let id):
                guard let number = numbers[id] else { continue }
                numberByRow[row] = number
                rowByNumber[Int(number)] = Int32(row)
            case .group(let name, _, _):
                groupRows[name] = row
            }
        }
    }

    /// The row showing item `id`, if the list shows it.
    func row(ofItem id: String) -> Int? {
        guard let number = numbers[id], rowByNumber[Int(number)] >= 0 else { return nil }
        return Int(rowByNumber[Int(number)])
    }

    /// The row of the heading of category `name`, if the list is grouped.
    func row(ofGroup name: String) -> Int? { groupRows[name] }

    /// The rows showing `items` (by item number), in list order.
    func rows(of items: ItemBits) -> [Int] {
        numberByRow.indices.filter { numberByRow[$0] >= 0 && items.contains(Int(numberByRow[$0])) }
    }
}
