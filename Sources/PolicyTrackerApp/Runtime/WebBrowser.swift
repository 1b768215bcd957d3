import Foundation
import PolicyTrackerCore

/// Opens a web address: `$BROWSER` when set (its words split on whitespace, the address
/// added as the last argument, never through a shell), else the platform's opener
/// (`open` on macOS, `xdg-open` elsewhere), with the terminal handed over meanwhile.
public enum WebBrowser {
    /// The program and arguments that open `address` under `environment`.
    public static func command(for address: String, environment: [String: String]) -> [String] {
        let words = (environment["BROWSER"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        return (words.isEmpty ? [platformOpener] : words) + [address]
    }

    /// What opens an address when `$BROWSER` is not set.
    #if os(macOS)
    public static let platformOpener = "open"
    #else
    public static let platformOpener = "xdg-open"
    #endif

    /// Opens `address`, an http or https address (anything else is refused); an error when
    /// the browser could not be run or failed.
    public static func open(_ address: String) throws(TrackerError) {
        guard WebAddress.isHTTP(address) else {
            throw .usage("only http and https addresses are opened, not \(DisplayText.quoted(address))")
        }
        let environment = ProcessInfo.processInfo.environment
        let command = command(for: address, environment: environment)
        let status: Int32
        do {
            status = try ChildProcess.run(command, environment: environment)
        } catch {
            throw .unavailable("cannot run \(DisplayText.quoted(command[0])) to open the address: \(error.reason)")
        }
        guard status == 0 else {
            throw .unavailable("\(DisplayText.quoted(command[0])) failed (\(ChildProcess.describe(status))) opening the address")
        }
    }
}
