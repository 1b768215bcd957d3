import ArgumentParser
import Foundation
import PolicyTrackerCore

/// What the shells complete beyond the option names: recommendation ids, catalogs and the
/// catalogs' actors, categories and horizons from the tracker, and statuses. The shell runs `ptrack` itself to complete an id, so that path
/// never writes (a missing tracker gives no ids rather than a new one) and prints nothing
/// but the ids.
enum Completions {
    static let statuses = CompletionKind.list(Status.names)
    static let actors = CompletionKind.custom { words, _, prefix in
        names(startingWith: prefix, words: words) { $0.vocabulary.actors.map(\.id) }
    }
    static let horizons = CompletionKind.custom { words, _, prefix in
        names(startingWith: prefix, words: words) { $0.vocabulary.horizons.map(\.id) }
    }
    static let ids = CompletionKind.custom { words, _, prefix in ids(startingWith: prefix, words: words) }
    static let catalogs = CompletionKind.custom { words, _, prefix in
        names(startingWith: prefix, words: words) { $0.catalogs.map(\.id).sorted() }
    }
    static let categories = CompletionKind.custom { words, _, prefix in
        names(startingWith: prefix, words: words) { state in
            let declared = state.vocabulary.categories.map(\.id)
            return declared + Set(state.items.values.map(\.recommendation.category)).subtracting(declared).sorted()
        }
    }

    /// At most this many ids are offered.
    static let idLimit = 500

    /// The ids of the tracker the command line names (its `--data`, else the environment's)
    /// that start with `prefix`.
    static func ids(startingWith prefix: String, words: [String]) -> [String] {
        (try? store(words).ids(startingWith: prefix.lowercased(), limit: idLimit)) ?? []
    }

    /// The names `kind` gives (catalog ids, categories) of the tracker the command line
    /// names that start with `prefix` (case ignored), from a read of its state.
    static func names(startingWith prefix: String, words: [String], of kind: (TrackerState) -> [String]) -> [String] {
        guard let state = try? store(words).load() else { return [] }
        return kind(state).filter { $0.lowercased().hasPrefix(prefix.lowercased()) }
    }

    /// The store of the tracker the command line names (its `--data`, else the usual one).
    private static func store(_ words: [String]) -> TrackerStore {
        let configured = (try? Configuration.current())?.data
        let environment = ProcessInfo.processInfo.environment
        return TrackerStore(directory: TrackerFiles.dataDirectory(explicit: dataOption(in: words), configured: configured, environment: environment))
    }

    /// The value of `--data DIR` or `--data=DIR` among the words typed so far.
    static func dataOption(in words: [String]) -> String? {
        for (index, word) in words.enumerated() {
            if word == "--data", index + 1 < words.count { return words[index + 1] }
            if word.hasPrefix("--data=") { return String(word.dropFirst("--data=".count)) }
        }
        return nil
    }
}
