import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a lock file beside the data.
///
/// `flock` on a file of its own is used rather than `fcntl` locks on the data files: an
/// `fcntl` lock is silently dropped when the process closes any other descriptor of the
/// same file, and a lock on a data file stops covering it once a rename replaces it. The
/// kernel releases a `flock` when its holder dies, so a crash never leaves a stale lock.
public final class FileLock {
    private let descriptor: Int32
    public let path: String

    /// Waits up to `timeout` seconds for the lock, then fails with ``TrackerError/lockBusy(path:seconds:holder:)``,
    /// naming the holder where the system tells.
    public init(path: String, timeout: Double) throws(TrackerError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw FileSystem.failure(path, "cannot open lock file") }
        let deadline = Date().addingTimeInterval(timeout)
        var pause: UInt32 = 1_000
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let failure = FileSystem.failure(path, "cannot lock")
                close(descriptor)
                throw failure
            }
            guard Date() < deadline else {
                let holder = LockHolder.describe(descriptor: descriptor)
                close(descriptor)
                throw TrackerError.lockBusy(path: path, seconds: timeout, holder: holder)
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
        self.descriptor = descriptor
        self.path = path
    }

    private var isHeld = true

    /// Replaces the lock file's contents with `text` (a note for readers; see
    /// `TrackerStore`). Not flushed: a note lost in a crash only costs a full replay.
    public func writeNote(_ text: String) throws(TrackerError) {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count, ftruncate(descriptor, off_t(bytes.count)) == 0 else {
            throw FileSystem.failure(path, "cannot write")
        }
    }

    /// Releases the lock; called at the latest when the object goes away.
    public func release() {
        guard isHeld else { return }
        isHeld = false
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    deinit { release() }
}
