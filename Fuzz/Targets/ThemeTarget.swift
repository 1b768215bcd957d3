import PolicyTrackerCore

/// Theme files: what reads must survive a round trip through the writer.
enum ThemeTarget {
    static func check(_ bytes: [UInt8]) {
        guard let document = try? ThemeLibrary.decodeDocument(SourceText(path: "fuzz.json", bytes: bytes)) else { return }
        checkRoundTrip(document, path: "fuzz.json", encode: { Array(ThemeLibrary.encode($0).utf8) }) { text throws(TrackerError) in
            try ThemeLibrary.decodeDocument(text)
        }
    }
}
