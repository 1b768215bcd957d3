/// The distinct words of a text (runs of bytes between spaces and field separators) and the
/// items having each.
///
/// A query without a space occurs in an item exactly when it occurs in one of the item's
/// words, so scanning the distinct words, a small part of the text, answers it: no need to
/// look for a first match inside every item, the cost of a query most items contain.
struct WordIndex: Equatable, Sendable {
    /// Ends words, with ``SearchText/separator``.
    static let space = UInt8(ascii: " ")

    /// Every distinct word, each followed by the separator, then ``ByteSearch/padding`` bytes.
    private let text: [UInt8]
    /// Word `w` is `text[starts[w]..<starts[w + 1] - 1]`.
    private let starts: [Int]
    /// The items having each word.
    private let postings: [Postings]

    /// Indexes `count` items, item `n` being `text[starts[n]..<starts[n + 1]]`, whose last
    /// byte is a separator.
    init(text: UnsafeBufferPointer<UInt8>, starts: [Int]) {
        var collector = WordCollector()
        var lists: [[UInt32]] = []
        // For each word, the last item listed (items come in order): cheaper to read than the list.
        var lastItem: [Int32] = []
        for item in 0..<starts.count - 1 {
            Self.forEachWord(in: UnsafeBufferPointer(rebasing: text[starts[item]..<starts[item + 1]])) { word in
                let number = collector.number(of: word)
                if number == lists.count {
                    lists.append([])
                    lastItem.append(-1)
                }
                if lastItem[number] != Int32(item) {
                    lastItem[number] = Int32(item)
                    lists[number].append(UInt32(item))
                }
            }
        }
        self.text = collector.text + repeatElement(SearchText.separator, count: ByteSearch.padding)
        self.starts = collector.starts
        postings = lists.map { Postings($0, count: starts.count - 1) }
    }

    /// Calls `body` with each word of `item`, whose last byte is a separator.
    private static func forEachWord(in item: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let space = Self.space, separator = SearchText.separator
        var wordStart = 0
        for index in item.indices where item[index] == space || item[index] == separator {
            if index > wordStart { body(UnsafeBufferPointer(rebasing: item[wordStart..<index])) }
            wordStart = index + 1
        }
    }

    /// Calls `body` with the number and the bytes of every word.
    func forEachWord(_ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        text.withUnsafeBufferPointer { text in
            for number in 0..<starts.count - 1 {
                body(number, UnsafeBufferPointer(rebasing: text[starts[number]..<starts[number + 1] - 1]))
            }
        }
    }

    /// The items having word `number`.
    func postings(of number: Int) -> Postings { postings[number] }

    /// The words containing `needle` (two bytes or more, no space): among `previous` (the
    /// words containing a query `needle` extends) when given, else among all.
    func words(containing needle: [UInt8], among previous: [Int32]?) -> [Int32] {
        text.withUnsafeBufferPointer { text in
            needle.withUnsafeBufferPointer { needle in
                guard let previous else { return allWords(containing: needle, in: text) }
                return previous.filter { ByteSearch.firstMatch(of: needle, in: text, from: starts[Int($0)], to: starts[Int($0) + 1]) != nil }
            }
        }
    }

    /// The items having any of `words`, out of `count`.
    func items(having words: [Int32], count: Int) -> ItemBits {
        var items = ItemBits(count: count)
        for word in words { postings[Int(word)].add(to: &items) }
        return items
    }

    /// One pass over all the words: after a match, the scan goes on at the next word.
    private func allWords(containing needle: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> [Int32] {
        var found: [Int32] = []
        var position = 0
        while let match = ByteSearch.firstMatch(of: needle, in: text, from: position, to: starts[starts.count - 1]) {
            let word = self.word(at: match)
            found.append(Int32(word))
            position = starts[word + 1]
        }
        return found
    }

    /// The word holding text position `position`.
    private func word(at position: Int) -> Int {
        var low = 0, high = starts.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if starts[middle] <= position { low = middle } else { high = middle }
        }
        return low
    }
}

/// Numbers distinct words in order of appearance, with an open-addressing hash table.
private struct WordCollector {
    /// The words so far, each followed by the separator.
    private(set) var text: [UInt8] = []
    /// Word `w` is `text[starts[w]..<starts[w + 1] - 1]`.
    private(set) var starts = [0]
    /// Word numbers by hash, -1 for free; never more than half full.
    private var slots = [Int32](repeating: -1, count: 1 << 12)

    /// The number of `word`, a new one the first time it is met.
    mutating func number(of word: UnsafeBufferPointer<UInt8>) -> Int {
        var slot = Self.hash(word) & (slots.count - 1)
        while slots[slot] >= 0 {
            let known = Int(slots[slot])
            if text.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: $0[starts[known]..<starts[known + 1] - 1]).elementsEqual(word) }) {
                return known
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        let number = starts.count - 1
        text.append(contentsOf: word)
        text.append(SearchText.separator)
        starts.append(text.count)
        slots[slot] = Int32(number)
        if 2 * starts.count > slots.count { grow() }
        return number
    }

    /// Doubles the table and places every word again.
    private mutating func grow() {
        slots = [Int32](repeating: -1, count: 2 * slots.count)
        text.withUnsafeBufferPointer { text in
            for number in 0..<starts.count - 1 {
                var slot = Self.hash(UnsafeBufferPointer(rebasing: text[starts[number]..<starts[number + 1] - 1])) & (slots.count - 1)
                while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
                slots[slot] = Int32(number)
            }
        }
    }

    /// FNV-1a.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash)
    }
}
