import Foundation

/// The terminal's clipboard, reached through the terminal itself: xterm's OSC 52, which
/// terminals and tmux (`set-clipboard on`) honour, over SSH too.
public enum Clipboard {
    /// `ESC ] 52 ; c ; <text in base64> BEL`: puts `text` on the clipboard. Base64 leaves no
    /// byte of `text` that the terminal could take for a control.
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}
