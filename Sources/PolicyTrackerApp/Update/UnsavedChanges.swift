/// What happens to a change the runtime could not save: the browser keeps it, says so on
/// the status line until it is saved, saves it again on `W`, and asks before quitting
/// without it.
extension AppState {
    /// Keeps `effect`, which could not be saved for `reason`, to save again.
    mutating func keepUnsaved(_ effect: Effect, reason: String) {
        if !unsaved.contains(effect) { unsaved.append(effect) }
        quitIsConfirmed = false
        message = StatusMessage("Not saved: \(reason) · kept: W saves again", isError: true)
    }

    /// The unsaved changes, oldest first, to save again; those that fail again come back
    /// through ``keepUnsaved(_:reason:)``.
    mutating func takeUnsaved() -> [Effect] {
        guard !unsaved.isEmpty else {
            message = StatusMessage("Nothing waits to be saved")
            return []
        }
        defer { unsaved = [] }
        return unsaved
    }

    /// Says the files were read again, and that changes still wait to be saved, if they do.
    mutating func noteReloaded(external: Bool) {
        let reloaded = external ? "Changed by another process: reloaded" : "Reloaded"
        message = unsaved.isEmpty
            ? StatusMessage(reloaded)
            : StatusMessage("\(reloaded); \(unsavedCount) not saved: W saves again", isError: true)
    }

    /// Quits, unless changes wait to be saved: then the first request warns and the next quits.
    mutating func requestQuit() -> [Effect] {
        guard unsaved.isEmpty || quitIsConfirmed else {
            quitIsConfirmed = true
            message = StatusMessage("\(unsavedCount) not saved: W saves again; q or Ctrl-C again quits without them", isError: true)
            return []
        }
        quitting = true
        return [.quit]
    }

    /// "1 change", "3 changes" waiting to be saved.
    var unsavedCount: String { unsaved.count == 1 ? "1 change" : "\(unsaved.count) changes" }
}
