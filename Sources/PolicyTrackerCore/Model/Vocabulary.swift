/// Where a recommendation stands. Trackers of this kind tell "partially implemented" from
/// "implemented" and "stalled" from "not started"; `reversed` records backsliding.
public enum Status: String, CaseIterable, Sendable, Comparable {
    case notStarted = "not-started"
    case inProgress = "in-progress"
    case partial
    case implemented
    case stalled
    case reversed

    /// The valid names, for usage errors and help.
    public static let names = allCases.map(\.rawValue)

    /// Accepts a status name in any letter case.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    public static func < (lhs: Status, rhs: Status) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A government or body a recommendation asks to act: the id of one of its catalog's
/// actors (see ``Vocabulary``), such as `US` or `European Union`.
public struct Actor: Hashable, Sendable {
    public var id: String

    public init(_ id: String) {
        self.id = id
    }
}

/// When a recommendation is meant to bear fruit: the id of one of its catalog's horizons
/// (see ``Vocabulary``), such as `short-term`.
public struct Horizon: Hashable, Sendable {
    public var id: String

    public init(_ id: String) {
        self.id = id
    }
}

/// How a recommendation relates to another it links to.
public enum LinkKind: String, CaseIterable, Sendable, Comparable {
    /// It carries the other forward, as a later agenda item does an earlier recommendation.
    case advances
    /// It takes the other's place.
    case supersedes

    public static let names = allCases.map(\.rawValue)

    /// How a link of this kind is shown on the item that has it: `Advances`.
    public var label: String {
        switch self {
        case .advances: "Advances"
        case .supersedes: "Supersedes"
        }
    }

    /// How it is shown on the item it points at: `Advanced by`.
    public var inverseLabel: String {
        switch self {
        case .advances: "Advanced by"
        case .supersedes: "Superseded by"
        }
    }

    public static func < (lhs: LinkKind, rhs: LinkKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Rules for recommendation ids: lowercase slugs such as `222-dialogue`.
public enum Slug {
    public static let expectedForm = "a lowercase slug of letters, digits and single hyphens, such as 222-dialogue"

    /// True for `[a-z0-9]+(-[a-z0-9]+)*`.
    public static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isValid)
    }

    /// ``isValid(_:)`` on UTF-8 bytes, checked byte by byte.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let hyphen = UInt8(ascii: "-")
        var previous = hyphen  // so that a leading hyphen is refused
        for byte in bytes {
            let isAlphanumeric = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            guard isAlphanumeric || (byte == hyphen && previous != hyphen) else { return false }
            previous = byte
        }
        return previous != hyphen  // refuses the empty text and a trailing hyphen
    }
}

/// Web addresses, as ptrack tells them from other citations.
public enum WebAddress {
    /// True for an `http` or `https` address, in any letter case.
    public static func isHTTP(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://")
    }
}
