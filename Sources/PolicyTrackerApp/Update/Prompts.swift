import PolicyTrackerCore

/// Keys while a prompt or picker is open.
enum Prompts {
    /// Incremental search: the selection jumps to the first match as the query grows.
    static func search(_ key: Key, field: TextField, origin: String?, in state: inout AppState) -> [Effect] {
        var field = field
        switch key {
        case .enter:
            state.lastSearch = field.text
            state.searchMatches = state.matches(of: field.text)
            state.mode = .browse
            if !field.text.isEmpty, state.searchMatches.isEmpty {
                state.message = StatusMessage(state.noMatchText(field.text))
            }
            return []
        case .escape:
            state.mode = .browse
            state.searchMatches = []
            if let origin { state.reveal(origin) }
            return []
        default:
            guard edit(&field, with: key) else { return [] }
        }
        state.mode = .search(field: field, origin: origin)
        state.searchMatches = state.matches(of: field.text)
        let start = origin.flatMap(state.rowIndex.row(ofItem:)) ?? 0
        if let first = state.searchMatches.first(where: { $0 >= start }) ?? state.searchMatches.first {
            state.select(row: first)
        } else if let origin {
            state.reveal(origin)
        }
        return []
    }

    /// A picker: digits choose directly, arrows move, Enter chooses, Esc cancels; a
    /// searchable one takes typing instead of digits (see ``search(_:picker:in:)``).
    static func pick(_ key: Key, picker: Picker, in state: inout AppState) -> [Effect] {
        if picker.isSearchable { return search(key, picker: picker, in: &state) }
        var picker = picker
        switch key {
        case .escape:
            state.mode = .browse
            return []
        case .up, .character("k"):
            picker.move(by: -1)
        case .down, .character("j"):
            picker.move(by: 1)
        case .enter:
            return choose(picker.cursor, of: picker, in: &state)
        case .character(let character):
            if let number = character.wholeNumberValue, let index = picker.options.indices.first(where: { picker.digit(of: $0) == number }) {
                return choose(index, of: picker, in: &state)
            }
        default:
            break
        }
        state.mode = .picker(picker)
        return []
    }

    /// A searchable picker: typing (and Backspace, Ctrl-U, Ctrl-W, a paste) narrows the
    /// options, ↑ ↓ move among those left, Enter chooses the highlighted one; Esc clears
    /// what was typed, and cancels when nothing was.
    private static func search(_ key: Key, picker: Picker, in state: inout AppState) -> [Effect] {
        var picker = picker
        switch key {
        case .escape where picker.query.text.isEmpty:
            state.mode = .browse
            return []
        case .escape:
            picker.narrow(to: TextField())
        case .up:
            picker.move(by: -1)
        case .down:
            picker.move(by: 1)
        case .enter:
            guard let index = picker.highlighted else { return [] }
            return choose(index, of: picker, in: &state)
        default:
            var query = picker.query
            guard edit(&query, with: key) else { return [] }
            picker.narrow(to: query)
        }
        state.mode = .picker(picker)
        return []
    }

    private static func choose(_ index: Int, of picker: Picker, in state: inout AppState) -> [Effect] {
        let option = picker.options[index]
        state.mode = .browse
        switch picker.purpose {
        case let .markStatus(itemId, noteInEditor):
            guard let item = state.tracker.items[itemId] else { return [] }
            let form = Form.mark(item, status: Status(rawValue: option)!, today: state.today)
            if noteInEditor { return [.editNote(form)] }
            state.mode = .form(form)
            return []
        case .filterStatus:
            state.filter.statuses = option == "any" ? [] : [Status(rawValue: option)!]
        case .filterCategory:
            state.filter.category = option == "any" ? nil : option
        case .filterActor:
            state.filter.actor = option == "any" ? nil : Actor(option)
        case .filterCatalog:
            state.filter.catalog = option == "any" ? nil : option
        case .followLink(let ids):
            state.follow(link: ids[index])
            return []
        case .openAddress:
            return state.open(address: option)
        case .copy(let choices):
            return state.copy(choices[index])
        }
        state.rebuildRows()
        state.scrollToSelection()
        return []
    }

    /// Applies a typing key to a field; false when the key does not edit text. A paste is
    /// typed whole (see ``pasted(_:)``), so nothing in it submits or cancels the prompt.
    static func edit(_ field: inout TextField, with key: Key) -> Bool {
        switch key {
        case .character(let character):
            field.text.append(character)
        case .paste(let text):
            field.text += pasted(text)
        case .backspace:
            if !field.text.isEmpty { field.text.removeLast() }
        case .control("u"):
            field.text = ""
        case .control("w"), .alt("\u{7F}"):
            let trimmed = field.text.reversed().drop { $0 == " " }.drop { $0 != " " }
            field.text = String(trimmed.reversed())
        default:
            return false
        }
        return true
    }

    /// Pasted text as one line a field may hold: line breaks and tabs become spaces, and
    /// every other control character (Esc, DEL, C1 controls) is dropped.
    static func pasted(_ text: String) -> String {
        String(text.compactMap { character -> Character? in
            if character.isNewline || character == "\t" { return " " }
            let isControl = character.unicodeScalars.contains { $0.properties.generalCategory == .control }
            return isControl ? nil : character
        })
    }
}
