import PolicyTrackerCore

/// A list to choose from. While a digit can choose every option, digits choose and the
/// arrows move; with more options than that the picker is searchable: what is typed
/// narrows the options to those containing it, and the arrows move among them.
public struct Picker: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        /// A status for the item, then the form for the rest of the change, its note in the
        /// editor at once when `noteInEditor`.
        case markStatus(itemId: String, noteInEditor: Bool)
        case filterStatus, filterCategory, filterActor, filterCatalog
        /// Going to a linked item: the ids of the items the options name, in their order.
        case followLink(ids: [String])
        /// Opening one of the web addresses the options are.
        case openAddress
        /// Copying one of these values, in the options' order.
        case copy([ClipboardChoice])
    }

    public var purpose: Purpose
    public var title: String
    public var options: [String]
    /// The highlighted option, by its place in ``options``.
    public var cursor: Int
    /// What has been typed to narrow the options (searchable pickers only).
    public internal(set) var query = TextField()

    public init(purpose: Purpose, title: String, options: [String], cursor: Int = 0) {
        self.purpose = purpose
        self.title = title
        self.options = options
        self.cursor = cursor
    }

    /// True when the first option is "any", which digit 0 chooses.
    public var startsWithAny: Bool { options.first == "any" }

    /// The digit that chooses the option at `index`, nil past 9.
    public func digit(of index: Int) -> Int? {
        let number = index + (startsWithAny ? 0 : 1)
        return number <= 9 ? number : nil
    }

    /// True when a digit cannot choose every option: more than nine choices besides "any".
    /// Typing then narrows the options instead of choosing by number.
    public var isSearchable: Bool { options.count > (startsWithAny ? 10 : 9) }

    /// The places in ``options`` of those that contain the query, ignoring case, as the
    /// screen shows them (sanitised); every option while the query is empty.
    public var matches: [Int] {
        let needle = query.text.lowercased()
        guard !needle.isEmpty else { return Array(options.indices) }
        return options.indices.filter { DisplayText.sanitized(options[$0]).lowercased().contains(needle) }
    }

    /// The highlighted option when it is among ``matches``: what Enter chooses.
    public var highlighted: Int? { matches.contains(cursor) ? cursor : nil }

    /// The cursor moved `delta` places among ``matches``; on the first match when the
    /// cursor is on none.
    mutating func move(by delta: Int) {
        let shown = matches
        guard let place = shown.firstIndex(of: cursor) else {
            cursor = shown.first ?? cursor
            return
        }
        cursor = shown[max(0, min(shown.count - 1, place + delta))]
    }

    /// Takes a new query; the cursor goes to the first option matching it.
    mutating func narrow(to query: TextField) {
        self.query = query
        cursor = matches.first ?? cursor
    }
}
