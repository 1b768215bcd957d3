extension Transition {
    /// `from → to`, or `still to` when a change confirmed the status with new evidence.
    public static func text(from: Status, to: Status, style: TextStyle) -> String {
        let toText = style.status(to, to.rawValue)
        return from == to ? "still " + toText : style.status(from, from.rawValue) + " → " + toText
    }

    /// This transition as ``text(from:to:style:)`` words it.
    public func text(style: TextStyle) -> String { Self.text(from: from, to: to, style: style) }
}

extension Array where Element == Catalog {
    /// The catalogs as a report's heading names them: `Title [id]; …`.
    var names: String {
        map { "\($0.title) [\($0.id)]" }.joined(separator: "; ")
    }
}
