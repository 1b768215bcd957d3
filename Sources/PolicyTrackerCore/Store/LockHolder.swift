import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a `flock`, for the message of a writer that gave up waiting.
///
/// Linux lists every lock in `/proc/locks` (`2: FLOCK ADVISORY WRITE 4711 fe:00:1234 0 EOF`:
/// the holder's pid, then the locked file's device and inode). Reading it names the holder
/// without anything written beside the lock, so the answer can never be stale. Where the
/// list is missing, or the holder is outside this process's view, there is no answer.
enum LockHolder {
    /// "process 4711 (ptrack)" for the process holding a `flock` on the file open at `descriptor`.
    static func describe(descriptor: Int32, locks: String? = try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) -> String? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, let locks,
              let pid = holderPid(in: locks, device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        else { return nil }
        return "process \(pid)" + (commandName(of: pid).map { " (\($0))" } ?? "")
    }

    /// The pid on the first `FLOCK` line of `locks` naming the file (`device`, `inode`).
    static func holderPid(in locks: String, device: UInt64, inode: UInt64) -> Int32? {
        let wanted = fileKey(device: device, inode: inode)
        for line in locks.split(separator: "\n") where !line.contains("->") {
            let fields = line.split(separator: " ")
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5] == wanted,
                  let pid = Int32(fields[4]), pid > 0 else { continue }
            return pid
        }
        return nil
    }

    /// The file as `/proc/locks` names it: major and minor device numbers in hex, then the inode.
    static func fileKey(device: UInt64, inode: UInt64) -> Substring {
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)
        let minor = (device & 0xff) | ((device >> 12) & ~0xff)
        return Substring(String(format: "%02llx:%02llx:%llu", major, minor, inode))
    }

    private static func commandName(of pid: Int32) -> String? {
        guard let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { return nil }
        let trimmed = name.trimmingCharacters(in: .newlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
