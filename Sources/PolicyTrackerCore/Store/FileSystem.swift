import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the store is built on, each turning a failure into a
/// ``TrackerError/io(path:message:)`` that names the file and the system's reason.
public enum FileSystem {
    /// What identifies a file's version cheaply, as git's index does: size, modification
    /// and status-change times in nanoseconds, and inode. Any write through a new file (an
    /// editor, git checkout, rename) changes the inode; any write in place changes the
    /// status-change time, which, unlike the modification time, no program can set back.
    public struct Fingerprint: Equatable, Sendable {
        public var size: Int
        public var modifiedNanoseconds: Int
        public var changedNanoseconds: Int
        public var inode: UInt64

        public init(size: Int, modifiedNanoseconds: Int, changedNanoseconds: Int, inode: UInt64) {
            self.size = size
            self.modifiedNanoseconds = modifiedNanoseconds
            self.changedNanoseconds = changedNanoseconds
            self.inode = inode
        }
    }

    static func failure(_ path: String, _ action: String, errno code: Int32 = errno) -> TrackerError {
        .io(path: path, message: "\(action): \(String(cString: strerror(code)))")
    }

    /// The file's fingerprint, or nil when it does not exist.
    public static func fingerprint(_ path: String) throws(TrackerError) -> Fingerprint? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return try absent(path) }
            throw failure(path, "cannot inspect")
        }
        #if canImport(Darwin)
        let (modified, changed) = (nanoseconds(info.st_mtimespec), nanoseconds(info.st_ctimespec))
        #else
        let (modified, changed) = (nanoseconds(info.st_mtim), nanoseconds(info.st_ctim))
        #endif
        return Fingerprint(size: Int(info.st_size), modifiedNanoseconds: modified, changedNanoseconds: changed, inode: UInt64(info.st_ino))
    }

    private static func nanoseconds(_ time: timespec) -> Int {
        Int(time.tv_sec) * 1_000_000_000 + Int(time.tv_nsec)
    }

    /// Nil, for a file that does not exist; but a symbolic link to nothing is refused, so
    /// that ptrack neither takes the file it stands for as empty nor writes through the link.
    private static func absent<Value>(_ path: String) throws(TrackerError) -> Value? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
        throw TrackerError.io(path: path, message: "is a symbolic link to \(target), which does not exist")
    }

    /// True when `path` names an existing directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The whole file, or nil when it does not exist.
    public static func read(_ path: String) throws(TrackerError) -> [UInt8]? {
        try read(path, from: 0)
    }

    /// Opens `path` for reading and gives `body` the descriptor and the file's size; nil when
    /// the file does not exist. A directory is refused.
    private static func withOpenFile<Result>(
        _ path: String, _ body: (Int32, Int) throws(TrackerError) -> Result
    ) throws(TrackerError) -> Result? {
        guard let file = try openForReading(path) else { return nil }
        // Open until `body` is done: the descriptor alone does not keep the file open.
        defer { withExtendedLifetime(file) {} }
        return try body(file.descriptor, file.count)
    }

    /// The file's bytes from `offset` to its end, or nil when it does not exist.
    public static func read(_ path: String, from offset: Int) throws(TrackerError) -> [UInt8]? {
        try withOpenFile(path) { descriptor, size throws(TrackerError) in
            let expected = max(0, size - offset)
            // Read straight into the array: the file is the size fstat gave, unless it grows meanwhile.
            var failed = false
            var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
                while count < expected {
                    let read = pread(descriptor, buffer.baseAddress! + count, expected - count, off_t(offset + count))
                    if read < 0, errno == EINTR { continue }
                    if read <= 0 { failed = read < 0; return }
                    count += read
                }
            }
            if failed { throw failure(path, "cannot read") }
            try readRest(descriptor, path: path, from: offset, into: &bytes)
            return bytes
        }
    }

    /// Gives `body` the whole file in order, a piece of up to `pieceSize` bytes at a time,
    /// each read into the same buffer (valid during the call only); false when the file
    /// does not exist. Reads to the end, past the size it had when opened if it grows, or
    /// to byte `end`.
    @discardableResult
    public static func readInPieces(
        _ path: String, upTo end: Int = .max, pieceSize: Int = 1 << 20, _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) throws(TrackerError) -> Bool {
        try withOpenFile(path) { descriptor, _ throws(TrackerError) in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: pieceSize)
            defer { buffer.deallocate() }
            var offset = 0
            while offset < end {
                let count = pread(descriptor, buffer.baseAddress, min(pieceSize, end - offset), off_t(offset))
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, "cannot read")
                }
                if count == 0 { return true }
                body(UnsafeBufferPointer(rebasing: buffer[..<count]))
                offset += count
            }
            return true
        } ?? false
    }

    /// False when none of `ids` occurs as a JSON string in the file's first `end` bytes: each
    /// is looked for as `"id"`. An id holding `"` or `\`, or bytes holding an escape that
    /// could spell one in another way (`\u`, `\/`), count as perhaps there.
    public static func mayHold(
        _ ids: [String], path: String, before end: Int, pieceSize: Int = 1 << 20
    ) throws(TrackerError) -> Bool {
        guard !ids.contains(where: { $0.contains("\"") || $0.contains("\\") }) else { return true }
        let needles = ids.map { Array("\"\($0)\"".utf8) } + [Array("\\u".utf8), Array("\\/".utf8)]
        let overlap = needles.map(\.count).max()! - 1
        var window: [UInt8] = []
        var found = false
        try readInPieces(path, upTo: end, pieceSize: pieceSize) { piece in
            guard !found else { return }
            window.append(contentsOf: piece)
            found = window.withUnsafeBytes { bytes in needles.contains { occurs($0, in: bytes) } }
            window.removeFirst(max(0, window.count - overlap))
        }
        return found
    }

    /// Whether `needle` (not empty) occurs in `bytes`.
    static func occurs(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, needle.count <= bytes.count else { return false }
        let last = base + (bytes.count - needle.count)
        return needle.withUnsafeBytes { pattern in
            var cursor = base
            while cursor <= last, let found = memchr(cursor, Int32(needle[0]), last - cursor + 1) {
                if memcmp(found, pattern.baseAddress!, needle.count) == 0 { return true }
                cursor = UnsafeRawPointer(found) + 1
            }
            return false
        }
    }

    /// Appends what the file holds past `bytes` (when it grew while being read).
    private static func readRest(_ descriptor: Int32, path: String, from offset: Int, into bytes: inout [UInt8]) throws(TrackerError) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset + bytes.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot read")
            }
            if count == 0 { return }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// A file open for reading, read through its descriptor a piece at a time (`pread`),
    /// closed when released. Never mapped: a mapped page past the end of a file another
    /// program cut short meanwhile (a copy or an editor writing it in place) kills the reader
    /// with SIGBUS, where a read only comes up short. Reads keep to the file opened, even
    /// once another is renamed over its name.
    public final class OpenFile: @unchecked Sendable {
        let descriptor: Int32
        /// The file's size when opened.
        public fileprivate(set) var count = 0

        init(descriptor: Int32) {
            self.descriptor = descriptor
        }

        deinit { close(descriptor) }

        /// The bytes `range`, fewer when the file ends before (none on a failed read).
        public func bytes(_ range: Range<Int>) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                while initialized < range.count {
                    let read = pread(descriptor, buffer.baseAddress! + initialized, range.count - initialized, off_t(range.lowerBound + initialized))
                    if read < 0, errno == EINTR { continue }
                    if read <= 0 { return }
                    initialized += read
                }
            }
        }
    }

    /// The file open for reading, or nil when it does not exist. A directory is refused.
    public static func openForReading(_ path: String) throws(TrackerError) -> OpenFile? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return try absent(path) }
            throw failure(path, "cannot open")
        }
        // Closed when released, on the way out of an error too.
        let file = OpenFile(descriptor: descriptor)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, "cannot inspect") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw TrackerError.io(path: path, message: "is a directory, not a file") }
        file.count = Int(info.st_size)
        return file
    }

    /// Writes all of `bytes` to an open descriptor, retrying short writes and interruptions.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(TrackerError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot write")
            }
            // Nothing written and no error: retrying could go on for ever.
            if count == 0 { throw failure(path, "cannot write", errno: EIO) }
            written += count
        }
    }

    /// Fails with the system's reason when the file cannot be opened for reading.
    public static func checkReadable(_ path: String) throws(TrackerError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot open") }
        close(descriptor)
    }

    /// Flushes a descriptor's data to the disk.
    static func sync(_ descriptor: Int32, path: String) throws(TrackerError) {
        guard fsync(descriptor) == 0 else { throw failure(path, "cannot flush to disk (fsync)") }
    }

    /// Flushes a directory, so that a rename or a new file in it survives a power loss.
    public static func syncDirectory(_ path: String) throws(TrackerError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot open directory") }
        defer { close(descriptor) }
        try sync(descriptor, path: path)
    }

    /// Replaces the file at `path` with `bytes` so that, whatever happens, the file holds
    /// either its old or its new contents: a temporary file in the same directory is
    /// written and flushed, renamed over the old one, and the directory flushed. A symlink
    /// is followed (its target is replaced, the link kept) and the old file's permissions,
    /// and where the system allows its owner and group, are kept.
    public static func replaceAtomically(_ path: String, with bytes: [UInt8]) throws(TrackerError) {
        let target = resolvingSymlinks(path)
        let (directory, name) = split(target)
        let temporary = "\(directory.isEmpty ? "." : directory)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var info = stat()
        let exists = stat(target, &info) == 0
        let mode = exists ? info.st_mode & 0o7777 : 0o666
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw failure(temporary, "cannot create temporary file") }
        do throws(TrackerError) {
            if mode != 0o666 { fchmod(descriptor, mode_t(mode)) }
            // The new file keeps the old one's owner and group, where the system lets us
            // (always as root; as another user only a group of ours): best effort.
            if exists, info.st_uid != geteuid() || info.st_gid != getegid() {
                _ = fchown(descriptor, info.st_uid, info.st_gid)
                if mode & 0o6000 != 0 { fchmod(descriptor, mode_t(mode)) }
            }
            try writeAll(descriptor, bytes, path: temporary)
            try sync(descriptor, path: temporary)
            close(descriptor)
            guard rename(temporary, target) == 0 else { throw failure(target, "cannot replace") }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory.isEmpty ? "." : directory)
    }

    /// Whether `name` is one of the temporary files ``replaceAtomically(_:with:)`` makes.
    public static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp-")
    }

    static func resolvingSymlinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Appends `bytes` to the file at `path` (creating it) and flushes it. Should the write
    /// fail part way, the file is cut back to its old length so no half line remains; when
    /// nothing was written it is left alone, its modification time included.
    public static func append(_ bytes: [UInt8], to path: String, truncatingTo length: Int? = nil) throws(TrackerError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure(path, "cannot open for appending") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, "cannot inspect") }
        let start = length ?? Int(info.st_size)
        if start != Int(info.st_size) {
            guard ftruncate(descriptor, off_t(start)) == 0 else { throw failure(path, "cannot truncate") }
        }
        guard lseek(descriptor, off_t(start), SEEK_SET) >= 0 else { throw failure(path, "cannot seek") }
        do throws(TrackerError) {
            try writeAll(descriptor, bytes, path: path)
            try sync(descriptor, path: path)
        } catch {
            if fstat(descriptor, &info) != 0 || Int(info.st_size) != start {
                _ = ftruncate(descriptor, off_t(start))
                _ = fsync(descriptor)
            }
            throw error
        }
    }

    /// `path` as the directory it is in and its last name: `a/b/c` is `a/b` and `c`, `/c` is
    /// `/` and `c`, a bare `c` is `""` and `c`; a trailing `/` is ignored. (Foundation's
    /// `deletingLastPathComponent` traps on a one-letter relative path on Linux.)
    static func split(_ path: String) -> (directory: String, name: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return ("", String(trimmed)) }
        let directory = slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
        return (directory, String(trimmed[trimmed.index(after: slash)...]))
    }

    /// Creates `path` and any missing parents, each flushed into its parent, so that a
    /// directory made for a file that is flushed survives a power loss with it.
    public static func createDirectory(_ path: String) throws(TrackerError) {
        if isDirectory(path) { return }
        let parent = split(path).directory
        if !parent.isEmpty, parent != path { try createDirectory(parent) }
        guard mkdir(path, 0o777) == 0 else {
            if errno == EEXIST { return }
            throw failure(path, "cannot create directory")
        }
        try syncDirectory(parent.isEmpty ? "." : parent)
    }

    /// The names in a directory, or nil when it does not exist.
    public static func contents(_ path: String) throws(TrackerError) -> [String]? {
        guard let directory = opendir(path) else {
            if errno == ENOENT { return nil }
            throw failure(path, "cannot list directory")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
