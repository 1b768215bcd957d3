import Foundation
import PolicyTrackerCore

/// A file written front to back in large blocks: bytes collect in a buffer of a few
/// megabytes and go to the kernel in one `write` each, so a log of a million lines costs a
/// few hundred system calls.
final class OutputFile {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes handed to this file so far.
    private(set) var size = 0

    private static let blockSize = 4 << 20

    /// Creates (or truncates) the file.
    init(path: String) throws(TrackerError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path, message: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.blockSize)
    }

    deinit {
        if descriptor >= 0 { Foundation.close(descriptor) }
    }

    func write(_ bytes: [UInt8]) throws(TrackerError) {
        size += bytes.count
        if buffer.count + bytes.count > Self.blockSize { try flush() }
        if bytes.count >= Self.blockSize {
            if let failure = bytes.withUnsafeBytes(writeAll) { throw failure }
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func write(_ text: String) throws(TrackerError) {
        var text = text
        var failure: TrackerError?
        text.withUTF8 { utf8 in
            do throws(TrackerError) { try write(utf8) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes `bytes`, large runs straight from the caller's memory (a catalog of 100 MB is
    /// not copied again).
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws(TrackerError) {
        size += bytes.count
        if buffer.count + bytes.count > Self.blockSize { try flush() }
        if bytes.count >= Self.blockSize {
            if let failure = writeAll(UnsafeRawBufferPointer(bytes)) { throw failure }
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes what is buffered and closes the file.
    func finish() throws(TrackerError) {
        try flush()
    }

    private func flush() throws(TrackerError) {
        guard !buffer.isEmpty else { return }
        if let failure = buffer.withUnsafeBytes(writeAll) { throw failure }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hands all of `raw` to the kernel; the error, if it refused.
    private func writeAll(_ raw: UnsafeRawBufferPointer) -> TrackerError? {
        var offset = 0
        while offset < raw.count {
            let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return .io(path: path, message: String(cString: strerror(errno)))
            }
            offset += written
        }
        return nil
    }
}

/// The directory, prepared for writing: created (with its parents) when missing, refused
/// when it is not a directory or holds anything, so nothing of someone else's is overwritten.
func prepareEmptyDirectory(_ path: String) throws(TrackerError) {
    try prepareDirectory(path, mustBeEmpty: true)
}

func prepareDirectory(_ path: String, mustBeEmpty: Bool) throws(TrackerError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else { throw .usage("\(path) exists and is not a directory") }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw .io(path: path, message: "cannot list the directory: \(error.localizedDescription)")
        }
        if mustBeEmpty, !entries.isEmpty {
            throw .usage("\(path) is not empty; give a new or empty directory (it holds \(entries.count) entr\(entries.count == 1 ? "y" : "ies"))")
        }
        return
    }
    do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
        throw .io(path: path, message: "cannot create the directory: \(error.localizedDescription)")
    }
}
