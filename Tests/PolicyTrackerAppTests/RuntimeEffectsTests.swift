import Foundation
import PolicyTrackerApp
import PolicyTrackerCore
import Testing

/// A terminal that replays nothing and keeps what it is asked to copy.
private final class RecordingTerminal: TerminalBackend {
    let size = Size(width: 80, height: 24)
    var terminationRequested: Bool { false }
    private(set) var copied: [String] = []

    func present(_ buffer: Buffer) {}
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent? { nil }
    func suspend<Value>(_ body: () -> Value) -> Value { body() }
    func copyToClipboard(_ text: String) { copied.append(text) }
}

/// The runtime performing `y`'s and `O`'s effects on a tracker made from the bundled agenda.
@Suite struct RuntimeEffectsTests {
    /// The runtime over a new tracker in `directory`.
    private func runtime(_ terminal: RecordingTerminal, in directory: String) throws -> BrowserRuntime {
        let store = TrackerStore(directory: directory)
        try store.initialiseIfNeeded()
        return try BrowserRuntime(store: store, backend: terminal, message: nil, now: { Timestamp("2026-01-31T12:00:00Z")! })
    }

    @Test func aCopyReachesTheBackendsClipboard() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ptrack-effects-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let terminal = RecordingTerminal()
        let runtime = try runtime(terminal, in: directory)
        let id = try #require(runtime.state.selectedId)
        runtime.dispatch(.input(.key(.character("y"))))
        runtime.dispatch(.input(.key(.character("1"))))
        #expect(terminal.copied == [id])
        #expect(runtime.state.message?.text == "Copied the id \(id)")
    }

    @Test(arguments: ["file:///etc/passwd", "javascript:alert(1)", "-made-up-flag https://example.org/", ""])
    func onlyHTTPAddressesAreEverOpened(_ address: String) {
        #expect(throws: TrackerError.self) { try WebBrowser.open(address) }
    }
}
