import Foundation

/// Who records the changes a command or the browser makes: `--author`, else the
/// configuration's `author`, else git's `user.name` for the data directory, else the login
/// name. Pure: the caller hands in how to ask git and the login name, so tests need neither.
public enum AuthorName {
    /// How to ask the system for the names past the configuration.
    public struct Lookups {
        /// `user.name` as git gives it for a directory; nil when git is missing, fails or has none.
        public var gitUserName: (String) -> String?
        /// The login name of the user running ptrack; nil when the system has none.
        public var loginName: () -> String?

        public init(gitUserName: @escaping (String) -> String?, loginName: @escaping () -> String?) {
            self.gitUserName = gitUserName
            self.loginName = loginName
        }
    }

    /// The first non-blank name of `explicit`, the configuration's `author`, git's
    /// `user.name` for `dataDirectory` and the login name, trimmed; nil when all are blank.
    /// Git is asked only when the names before it are blank.
    public static func resolve(
        explicit: String?, configuration: Configuration, dataDirectory: String, lookups: Lookups
    ) -> String? {
        let candidates: [() -> String?] = [
            { explicit }, { configuration.author }, { lookups.gitUserName(dataDirectory) }, lookups.loginName,
        ]
        for candidate in candidates {
            if let name = candidate().map(cleaned), !name.isEmpty { return name }
        }
        return nil
    }

    /// `name` trimmed, its line breaks and tabs made spaces: an author is one line.
    private static func cleaned(_ name: String) -> String {
        String(name.map { $0.isNewline || $0 == "\t" ? " " : $0 }).trimmingCharacters(in: .whitespaces)
    }
}
