/// Whether a quote appears in a source's text, read as an editor reads it: letter case,
/// runs of white space, curly or straight quotation marks and the kinds of dash do not
/// count, and an ellipsis (`…`, `...`) or a bracketed insertion (`[extended]`) in the quote
/// stands for words left out or supplied, so the pieces around it must appear in order.
public enum QuoteMatch {
    /// A source's text as quotes are looked for in it, normalised once however many quotes
    /// cite it.
    public struct Text: Equatable, Sendable {
        let normalised: String

        public init(_ text: String) {
            normalised = QuoteMatch.normalised(text)
        }
    }

    /// True when every piece of `quote` appears in `text`, in order.
    public static func appears(_ quote: String, in text: Text) -> Bool {
        let haystack = text.normalised
        var from = haystack.startIndex
        for piece in pieces(of: quote) {
            guard let found = haystack.range(of: piece, range: from..<haystack.endIndex) else { return false }
            from = found.upperBound
        }
        return true
    }

    /// How many words `quote` has (runs of letters or digits with what joins them).
    public static func wordCount(_ quote: String) -> Int {
        quote.split(whereSeparator: { $0.isWhitespace }).filter { word in word.contains { $0.isLetter || $0.isNumber } }.count
    }

    /// The pieces of `quote` between ellipses and bracketed insertions, normalised.
    static func pieces(of quote: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var inBrackets = false
        for character in quote.replacingOccurrences(of: "...", with: "\u{2026}") {
            switch character {
            case "[": inBrackets = true; pieces.append(current); current = ""
            case "]": inBrackets = false
            case "\u{2026}": pieces.append(current); current = ""
            default: if !inBrackets { current.append(character) }
            }
        }
        pieces.append(current)
        return pieces.map(normalised).filter { !$0.isEmpty }
    }

    /// `text` lower-cased, with quotation marks and dashes made plain and white space
    /// collapsed to single spaces.
    static func normalised(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text.lowercased() {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" "); pendingSpace = false }
            switch character {
            case "\u{2018}", "\u{2019}", "\u{201A}", "\u{2032}": result.append("'")
            case "\u{201C}", "\u{201D}", "\u{201E}", "\u{2033}": result.append("\"")
            case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}": result.append("-")
            default: result.append(character)
            }
        }
        return result
    }
}
