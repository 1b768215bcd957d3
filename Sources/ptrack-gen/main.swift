import ArgumentParser
import Foundation
import PolicyTrackerCore
import TrackerGenerator

/// `ptrack-gen`: writes a synthetic tracker, and optionally the same data for the peers of
/// the benchmark comparison (jq, Python, Taskwarrior).
struct PtrackGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ptrack-gen",
        abstract: "Write a synthetic ptrack tracker for benchmarks and tests.",
        discussion: """
            Writes catalog.json and changes.jsonl into the output directory, in the form ptrack \
            writes them: COUNT recommendations (rec-000001, …) in four catalogs and eight \
            categories, one in ten in Korean or Japanese, each with CHANGES status changes that \
            happened between 1998 and 2024. The same arguments always give the same bytes.

            With --peers, also writes into that directory tracker.json (the same data as one \
            JSON document, each recommendation with its history) and taskwarrior.json (a file \
            for `task import`).

            Example: ptrack-gen --count 100000 --changes 10 --seed 1 --output /tmp/big --peers /tmp/big-peers
            """)

    @Option(name: .long, help: ArgumentHelp("How many recommendations (1 to \(SyntheticTracker.maximumCount)).", valueName: "n"))
    var count: Int

    @Option(name: .long, help: ArgumentHelp("How many status changes each recommendation has (0 to \(SyntheticTracker.maximumChangesPerItem)).", valueName: "k"))
    var changes: Int = 10

    @Option(name: .long, help: ArgumentHelp("The seed: the same seed gives the same data.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("The tracker directory to write; it must be missing or empty.", valueName: "dir"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Also write tracker.json and taskwarrior.json into this directory.", valueName: "dir"))
    var peers: String?

    @Flag(name: .long, help: "Print nothing on success.")
    var quiet = false

    func validate() throws {
        guard (1...SyntheticTracker.maximumCount).contains(count) else {
            throw ValidationError("--count must be between 1 and \(SyntheticTracker.maximumCount).")
        }
        guard (0...SyntheticTracker.maximumChangesPerItem).contains(changes) else {
            throw ValidationError("--changes must be between 0 and \(SyntheticTracker.maximumChangesPerItem).")
        }
        guard !output.isEmpty else { throw ValidationError("--output must name a directory.") }
    }

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let tracker = try SyntheticTracker(count: count, changesPerItem: changes, seed: seed)
            let generated = tracker.generate()
            var files = try generated.writeTracker(to: output)
            if let peers { files += try generated.writePeers(to: peers) }
            guard !quiet else { return }
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            for file in files {
                print("\(file.path)\t\(file.bytes) bytes (\(String(format: "%.1f", Double(file.bytes) / 1_048_576)) MiB)")
            }
            print("\(count) recommendations, \(generated.changeCount) changes, seed \(seed), in \(String(format: "%.2f", seconds)) s")
        } catch {
            FileHandle.standardError.write(Data("ptrack-gen: \(error)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }
}

PtrackGen.main()
