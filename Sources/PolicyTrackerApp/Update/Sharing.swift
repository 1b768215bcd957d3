import PolicyTrackerCore

/// `O` and `y`: the selected item's web addresses opened in a browser, and its id, citation
/// or an address copied to the terminal's clipboard.
extension AppState {
    /// `O`: the item's one web address opened, or a chooser of them; a message when it has none.
    mutating func openSource() -> [Effect] {
        guard let item = focusedItem else { return [] }
        let addresses = webAddresses(of: item)
        switch addresses.count {
        case 0:
            message = StatusMessage("\(item.id) cites no web address to open")
            return []
        case 1:
            return open(address: addresses[0])
        default:
            openPicker(.openAddress, title: "Open a source of \(item.id)", options: addresses)
            return []
        }
    }

    /// Asks the runtime to open `address`, an http or https address.
    mutating func open(address: String) -> [Effect] {
        guard WebAddress.isHTTP(address) else { return [] }
        message = StatusMessage("Opening \(address)")
        return [.openAddress(address)]
    }

    /// `y`: a chooser of the item's id, its citation and its web addresses.
    mutating func pickCopy() {
        guard let item = focusedItem else { return }
        let source = item.recommendation.source.source
        let choices = [ClipboardChoice(name: "id", text: item.id),
                       ClipboardChoice(name: "citation", text: tracker.source(source)?.citation ?? source)]
            + webAddresses(of: item).map { ClipboardChoice(name: "address", text: $0) }
        openPicker(.copy(choices), title: "Copy from \(item.id)", options: choices.map { DisplayText.padded($0.name, to: 9) + $0.text })
    }

    /// Asks the runtime to copy `choice` and says what was copied.
    mutating func copy(_ choice: ClipboardChoice) -> [Effect] {
        message = StatusMessage("Copied the \(choice.name) \(choice.text)")
        return [.copy(choice.text)]
    }

    /// The http and https addresses of `item`'s evidence, each once: its changes' sources,
    /// the latest change first (a catalog source's location, or the address typed as the
    /// source), then the source of the recommendation itself.
    func webAddresses(of item: Item) -> [String] {
        let sources = (changesByItem[item.id] ?? []).compactMap(\.source) + [item.recommendation.source.source]
        var seen: Set<String> = []
        return sources.map { tracker.source($0)?.location ?? $0 }.filter { WebAddress.isHTTP($0) && seen.insert($0).inserted }
    }
}
