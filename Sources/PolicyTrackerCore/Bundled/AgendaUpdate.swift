/// Bringing a tracker made from an earlier edition of the bundled agenda up to date with
/// the one this ptrack carries (`ptrack agenda update`).
///
/// The bundled change log is only ever appended to from one edition to the next: a claim
/// withdrawn is cancelled by a revert that says why, and new evidence is added as new lines.
/// So an update appends the bundled lines the tracker lacks (by change id) after whatever the
/// tracker holds, and replaces, in `catalog.json`, the bundled catalogs, their sources and
/// their recommendations with this edition's. The user's own changes are never touched: they
/// stay in the log, and keep applying over the new catalog. Afterwards every bundled item
/// the user never changed stands as in a new tracker.
public struct AgendaUpdate: CatalogAndLogPlan, Sendable {
    /// `catalog.json` afterwards; nil when it is already this edition's.
    public var catalog: CatalogDocument?
    /// The bundled changes the tracker lacks, in the bundled log's order.
    public var changes: [Change]
    public var summary: Summary

    /// What an update does, for people and scripts.
    public struct Summary: Equatable, Sendable {
        /// A bundled catalog's edition in the tracker (nil when it lacks it) and in ptrack.
        public struct Edition: Equatable, Sendable {
            public var id: String
            public var from: String?
            public var to: String

            public init(id: String, from: String?, to: String) {
                self.id = id
                self.from = from
                self.to = to
            }
        }

        /// The bundled catalogs whose edition changes.
        public var editions: [Edition] = []
        public var recommendationsAdded: [String] = []
        public var recommendationsRevised: [String] = []
        public var sourcesAdded: [String] = []
        public var sourcesRevised: [String] = []
        /// The bundled changes withdrawn: the reverts appended.
        public var withdrawn: [Change] = []
        /// How many status changes and reviews are added.
        public var statusChanges = 0
        public var reviews = 0
        /// Other changes added (edits, additions, watches).
        public var otherChanges = 0
    }

    public var isEmpty: Bool { catalog == nil && changes.isEmpty }

    /// The update of a tracker whose `catalog.json` is `tracker` and whose log is `history`
    /// to the agenda `bundled` with the log `bundledChanges`. A tracker with none of the
    /// bundled catalogs was not made from the agenda: ``AgendaUpdate/isForeign(_:bundled:)``
    /// says so, and its update is empty. A bundled recommendation whose id the tracker uses
    /// for an item of its own (imported into another catalog, or added) is a conflict: the
    /// update is refused, naming it.
    public static func make(
        tracker: CatalogDocument, history: [Change], bundled: CatalogDocument, bundledChanges: [Change]
    ) throws(TrackerError) -> AgendaUpdate {
        guard !isForeign(tracker, bundled: bundled) else { return AgendaUpdate(catalog: nil, changes: [], summary: Summary()) }
        try refuseConflicts(tracker: tracker, history: history, bundled: bundled)
        var summary = Summary()
        let merged = merge(tracker, with: bundled, summary: &summary)
        let known = Set(history.map(\.changeId))
        let missing = bundledChanges.filter { !known.contains($0.changeId) }
        for change in missing {
            switch change.kind {
            case .revert: summary.withdrawn.append(change)
            case .status: summary.statusChanges += 1
            case .review: summary.reviews += 1
            default: summary.otherChanges += 1
            }
        }
        return AgendaUpdate(catalog: merged == tracker ? nil : merged, changes: missing, summary: summary)
    }

    /// True when `tracker` has none of the catalogs of `bundled`: it was not made from it.
    public static func isForeign(_ tracker: CatalogDocument, bundled: CatalogDocument) -> Bool {
        !tracker.catalogs.contains { catalog in bundled.catalogs.contains { $0.id == catalog.id } }
    }

    /// True when a tracker holding `catalogs` was made from the bundled agenda and an update
    /// would bring it a newer edition (a catalog of `bundled` it lacks or has at another version).
    public static func isAvailable(for catalogs: [Catalog], bundled: [Catalog]) -> Bool {
        let versions = Dictionary(catalogs.map { ($0.id, $0.version) }, uniquingKeysWith: { first, _ in first })
        guard bundled.contains(where: { versions[$0.id] != nil }) else { return false }
        return bundled.contains { versions[$0.id] != $0.version }
    }

    /// The tracker's catalog with this edition's bundled catalogs, sources and
    /// recommendations in place of the earlier ones; everything else kept, in its order.
    private static func merge(_ tracker: CatalogDocument, with bundled: CatalogDocument, summary: inout Summary) -> CatalogDocument {
        var merged = tracker
        for catalog in bundled.catalogs {
            if let index = merged.catalogs.firstIndex(where: { $0.id == catalog.id }) {
                if merged.catalogs[index].version != catalog.version {
                    summary.editions.append(.init(id: catalog.id, from: merged.catalogs[index].version, to: catalog.version))
                }
                var replacement = catalog
                replacement.isDefault = merged.catalogs[index].isDefault
                merged.catalogs[index] = replacement
            } else {
                summary.editions.append(.init(id: catalog.id, from: nil, to: catalog.version))
                var added = catalog
                added.isDefault = false
                merged.catalogs.append(added)
            }
        }
        merged.sources = replacing(merged.sources, with: bundled.sources, added: &summary.sourcesAdded, revised: &summary.sourcesRevised)
        merged.recommendations = replacing(
            merged.recommendations, with: bundled.recommendations, added: &summary.recommendationsAdded,
            revised: &summary.recommendationsRevised)
        return merged
    }

    /// `entries` with each of `replacements` in place of the entry of its id, or after them.
    private static func replacing<Entry: Identified & Equatable>(
        _ entries: [Entry], with replacements: [Entry], added: inout [String], revised: inout [String]
    ) -> [Entry] {
        var result = entries
        var positions = Dictionary(result.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for replacement in replacements {
            if let index = positions[replacement.id] {
                if result[index] != replacement { revised.append(replacement.id) }
                result[index] = replacement
            } else {
                positions[replacement.id] = result.count
                result.append(replacement)
                added.append(replacement.id)
            }
        }
        return result
    }

    /// Refuses a bundled recommendation whose id the tracker gives an item of its own.
    private static func refuseConflicts(tracker: CatalogDocument, history: [Change], bundled: CatalogDocument) throws(TrackerError) {
        let bundledCatalogs = Set(bundled.catalogs.map(\.id))
        let bundledIds = Set(bundled.recommendations.map(\.id))
        var own = tracker.recommendations.filter { !bundledCatalogs.contains($0.catalog) }.map(\.id)
        own += history.filter { $0.kind.isAddition }.map(\.recommendationId)
        let conflicts = Set(own).intersection(bundledIds).sorted()
        guard conflicts.isEmpty else {
            throw .badData(
                path: TrackerFiles.catalog, line: nil, column: nil,
                message: "the bundled agenda now has \(conflicts.map(DisplayText.quoted).joined(separator: ", ")), which this tracker uses for an item of its own; rename that item, then update")
        }
    }
}
