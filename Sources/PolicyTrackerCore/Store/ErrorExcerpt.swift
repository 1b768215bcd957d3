extension TrackerError {
    /// The line of its file a bad-data error is about, read again from that file and shown as
    /// ``SourceText/excerpt(line:column:)`` shows it; nil for other errors, for an error
    /// about a whole file, and when the file can no longer be read.
    public func excerpt() -> String? {
        guard case let .badData(path, line?, column, _) = self, let bytes = try? FileSystem.read(path) else { return nil }
        return SourceText(path: path, bytes: bytes).excerpt(line: line, column: column)
    }
}
