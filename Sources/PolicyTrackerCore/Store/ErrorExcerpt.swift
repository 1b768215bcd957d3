extension TrackerError {
    /// The line of its file a bad-data or configuration error is about, read again from that
    /// file and shown as ``SourceText/excerpt(line:column:)`` shows it; nil for other errors,
    /// for an error about a whole file, and when the file can no longer be read.
    public func excerpt() -> String? {
        let located: (path: String, line: Int?, column: Int?)? = switch self {
        case let .badData(path, line, column, _), let .badConfiguration(path, line, column, _): (path, line, column)
        default: nil
        }
        guard let located, let line = located.line, let bytes = try? FileSystem.read(located.path) else { return nil }
        let (path, column) = (located.path, located.column)
        return SourceText(path: path, bytes: bytes).excerpt(line: line, column: column)
    }
}
