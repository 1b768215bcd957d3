/// What the lock file holds besides the lock: the *seal*, the log's size, modification and
/// status-change times and inode as ptrack's last write left it, and the *epoch*, how many
/// times a writer found the seal broken (another program had written the log) and sealed it
/// again. A reader that finds the seal whole and the epoch unchanged since it last read
/// knows that only ptrack appended to the log since; see `docs/data-format.md`.
struct LockNote: Equatable {
    /// `changes.jsonl SIZE MTIME-NANOSECONDS CTIME-NANOSECONDS INODE`, or `changes.jsonl absent`.
    var seal: String
    var epoch: Int

    /// The note in `bytes` (the lock file's contents); a note of one line, as earlier
    /// versions wrote it, has epoch 0. Nil when there is none.
    init?(_ bytes: [UInt8]?) {
        guard let bytes, !bytes.isEmpty else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        seal = String(lines[0])
        epoch = lines.count > 1 ? lines[1].split(separator: " ").last.flatMap { Int($0) } ?? 0 : 0
    }

    init(seal: String, epoch: Int) {
        self.seal = seal
        self.epoch = epoch
    }

    /// The note as the lock file holds it.
    var text: String { "\(seal)\nepoch \(epoch)\n" }
}

extension TrackerStore {
    /// The lock file's note, or nil when there is none or it cannot be read.
    func lockNote() -> LockNote? {
        LockNote((try? FileSystem.read(lockPath)) ?? nil)
    }

    /// Whether `note` is the seal of the log as it is now.
    func isSealed(_ note: LockNote?) throws(TrackerError) -> Bool {
        guard let note else { return false }
        return note.seal == (try currentSeal())
    }

    /// The epoch to seal with, `found` being the note the lock file holds now, before the
    /// log is written: the same when its seal is whole, the next when another program had
    /// written the log.
    func epoch(after found: LockNote?) throws(TrackerError) -> Int {
        (found?.epoch ?? 0) + (try isSealed(found) ? 0 : 1)
    }
}
