import PolicyTrackerCore

/// What can happen to the browser: input, the clock, and the results of effects.
public enum Message: Equatable, Sendable {
    case input(InputEvent)
    /// The files were read again (after `r`, or because another process changed them).
    case reloaded(TrackerState, [Change], external: Bool)
    /// The history and what derives from it, read after the first frame (large trackers only).
    case historyLoaded([Change], HistoryViews)
    /// The runtime recorded changes; `items` are the items they are about, before and after,
    /// to take in; nil when the data was read again whole after the save and holds them.
    case recorded(changes: [Change], items: [ItemChange]?)
    /// Another process appended these changes to the log, and nothing else changed.
    case appended([Change])
    /// An effect failed; the message says why.
    case failed(String)
    /// Something the store noticed on the way (a torn last line cut away, a snapshot it
    /// could not update), shown as a warning.
    case notice(String)
    /// A change could not be saved; the browser keeps it in ``AppState/unsaved`` to save again.
    case notSaved(Effect, reason: String)
    /// The editor closed on the note of `form`: `note` is what was written, saved with the
    /// rest of the form as Enter saves it; nil when nothing was (the change is cancelled).
    case noteEdited(Form, note: String?)
}

/// Work `update` asks the runtime to do: the only way the browser touches files.
public enum Effect: Equatable, Sendable {
    /// Record the change a form asked for.
    case record(ChangeRequest)
    case setWatched(itemId: String, watched: Bool)
    /// Write the note of `form` in `$VISUAL` or `$EDITOR`, on a template that starts with
    /// what the form's Note holds, the terminal handed over meanwhile; answered by
    /// ``Message/noteEdited(_:note:)``.
    case editNote(Form)
    /// Open a web address (http or https only) in `$BROWSER` or the platform's opener, the
    /// terminal handed over meanwhile.
    case openAddress(String)
    /// Put text on the terminal's clipboard.
    case copy(String)
    /// Revert a change this session recorded.
    case undo(changeId: String)
    case reload
    case quit
}
