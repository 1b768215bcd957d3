import ArgumentParser
import Foundation
import PolicyTrackerCore
import TrackerGenerator

/// ptrack's in-process benchmark suite: generates synthetic trackers and times what users
/// feel — loading, reports, a mark, undo, each search keystroke, a frame, sort, filter,
/// `--as-of`, whole `ptrack` processes and the browser's start-up through tmux.
struct PtrackBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ptrack-bench",
        abstract: "Time ptrack's operations on synthetic trackers of several sizes.",
        discussion: """
            For each size a tracker is generated once (SyntheticTracker.write, fixed seed) into a \
            temporary directory, then each operation runs several times (after an untimed warm-up \
            when it takes under a second) and its median, minimum and maximum are reported in \
            milliseconds. Rows starting with "process:" run the ptrack binary beside ptrack-bench \
            as a whole process and report its peak RSS. See docs/performance.md.
            """)

    @Option(help: ArgumentHelp("Tracker sizes (numbers of recommendations), comma-separated.", valueName: "n,n,…"))
    var sizes = "1000,10000,100000"

    @Option(help: "Changes per recommendation.")
    var changes = 10

    @Option(help: "Timed runs per operation (default: 10 up to 1,000 recommendations, 5 up to 10,000, 3 above).")
    var runs: Int?

    @Option(help: ArgumentHelp("Write the Markdown tables to this file.", valueName: "file.md"))
    var output: String?

    @Option(help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file.json"))
    var json: String?

    @Flag(help: "A quick check for `make test`: 1,000 recommendations, 2 runs; fails only when an operation did not run or the table was not written, never on times.")
    var smoke = false

    @Option(help: "Seed of the synthetic trackers.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Keep generated trackers in this directory and reuse them on later runs (delete it when the generator changes).", valueName: "dir"))
    var dataCache: String?

    @Option(help: ArgumentHelp("The ptrack binary for the process and tmux rows (default: the one beside ptrack-bench).", valueName: "path"))
    var ptrack: String?

    @Option(help: "Stop repeating an operation once its runs have taken this many seconds (it keeps at least one run).")
    var budget: Double = 60

    @Option(help: "Give up on the browser's first frame after this many seconds.")
    var startTimeout: Double = 180

    @Flag(help: "Skip the browser start-up through tmux.")
    var noTmux = false

    @Option(help: ArgumentHelp("Run only operations whose name contains this text (for profiling); repeat it for several.", valueName: "text"))
    var only: [String] = []

    @Option(help: ArgumentHelp("Where to put the generated trackers (default: a new temporary directory, removed at the end).", valueName: "dir"))
    var workDir: String?

    mutating func validate() throws {
        if smoke, runs == nil { runs = 2 }
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1") }
        guard changes >= 1 else { throw ValidationError("--changes must be at least 1") }
        guard !parsedSizes.isEmpty, parsedSizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--sizes wants positive numbers separated by commas, such as 1000,10000")
        }
    }

    var parsedSizes: [Int] {
        if smoke { return [1000] }
        return sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")) }
    }

    /// Lines past the snapshot of the tail rows.
    var tailLengths: [Int] { smoke ? Operation.smokeTailLengths : Operation.tailLengths }

    func runsFor(_ count: Int) -> Int {
        if let runs { return runs }
        return count <= 1000 ? 10 : count <= 10000 ? 5 : 3
    }

    func run() throws {
        let fileManager = FileManager.default
        let ownWorkDir = workDir == nil
        let work = workDir ?? NSTemporaryDirectory() + "ptrack-bench-\(getpid())"
        try fileManager.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { if ownWorkDir { try? fileManager.removeItem(atPath: work) } }

        let ptrackBinary = ptrack ?? {
            let candidate = Child.ownDirectory + "/ptrack"
            return access(candidate, X_OK) == 0 ? candidate : nil
        }()
        let tmux = noTmux ? nil : Child.which("tmux")
        if ptrackBinary == nil { FileHandle.standardError.write(Data("ptrack-bench: no ptrack binary beside ptrack-bench: the process and tmux rows are skipped\n".utf8)) }

        var results: [SizeResult] = []
        for count in parsedSizes {
            results.append(try runSize(count, work: work, ptrack: ptrackBinary, tmux: tmux))
            // Write after every size, so a long run leaves its tables behind as it goes.
            try write(results)
        }
        if smoke { try checkSmoke(results, tmuxPresent: tmux != nil) }
        let failures = results.flatMap(\.rows).filter { $0.failure != nil }
        if !failures.isEmpty {
            FileHandle.standardError.write(Data("ptrack-bench: \(failures.count) operation(s) failed: \(failures.map(\.operation).joined(separator: ", "))\n".utf8))
        }
    }

    private func runSize(_ count: Int, work: String, ptrack: String?, tmux: String?) throws -> SizeResult {
        let label = Format.grouped(count)
        let bench = Bench(runs: runsFor(count), budgetSeconds: budget, only: only.isEmpty ? nil : only, warmUp: !smoke, label: label)
        let fileManager = FileManager.default
        let sizeDir = work + "/n\(count)"
        try? fileManager.removeItem(atPath: sizeDir)
        let readDir = sizeDir + "/tracker", writeDir = sizeDir + "/tracker-write"
        try fileManager.createDirectory(atPath: readDir, withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: writeDir, withIntermediateDirectories: true)
        defer { if workDir == nil { try? fileManager.removeItem(atPath: sizeDir) } }

        // Generate once per size (or take the cached copy), then copy the two data files.
        var source = readDir
        var generation = 0.0
        var generatedBy = "generated by SyntheticTracker.write (seed \(seed))"
        if let dataCache {
            source = dataCache + "/n\(count)-k\(changes)-s\(seed)"
            if fileManager.fileExists(atPath: source + "/catalog.json") {
                generatedBy = "taken from the data cache \(source)"
            } else {
                try fileManager.createDirectory(atPath: source, withIntermediateDirectories: true)
                generation = try generate(count, into: source, bench: bench)
            }
        } else {
            generation = try generate(count, into: readDir, bench: bench)
        }
        for name in ["catalog.json", "changes.jsonl"] {
            for target in [readDir, writeDir] where target != source {
                try? fileManager.removeItem(atPath: target + "/" + name)
                try fileManager.copyItem(atPath: source + "/" + name, toPath: target + "/" + name)
            }
        }
        let catalogBytes = (try? fileManager.attributesOfItem(atPath: readDir + "/catalog.json")[.size] as? Int) ?? 0
        let logBytes = (try? fileManager.attributesOfItem(atPath: readDir + "/changes.jsonl")[.size] as? Int) ?? 0

        let suite = SizeSuite(
            count: count, readDirectory: readDir, writeDirectory: writeDir, bench: bench, ptrack: ptrack, tmux: tmux,
            gnuTime: access("/usr/bin/time", X_OK) == 0 ? "/usr/bin/time" : nil,
            tmuxRuns: min(bench.runs, 5), tmuxTimeoutSeconds: startTimeout,
            scratchDirectory: sizeDir, keepTrackers: workDir != nil,
            tailLengths: tailLengths, quick: smoke)
        do {
            try suite.run()
        } catch {
            bench.fail("setting up the \(label) tracker", error)
        }
        return SizeResult(
            count: count, changesPerItem: changes, catalogBytes: catalogBytes, logBytes: logBytes,
            generationSeconds: generation, generatedBy: generatedBy, rows: bench.rows, benchPeakRSSKiB: ownPeakRSSKiB())
    }

    private func generate(_ count: Int, into directory: String, bench: Bench) throws -> Double {
        bench.progress("generating \(Format.grouped(count)) recommendations × \(changes) changes into \(directory)")
        let (ms, _) = try bench.time {
            try SyntheticTracker.write(count: count, changesPerItem: changes, seed: seed, to: directory)
        }
        bench.progress("generated in \(String(format: "%.1f", ms / 1000)) s")
        return ms / 1000
    }

    private var commandLine: String {
        (["ptrack-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }

    private var machine: String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        let memory = ProcessInfo.processInfo.physicalMemory / 1_073_741_824
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(memory) GiB, \(ProcessInfo.processInfo.operatingSystemVersionString)"
    }

    private func write(_ results: [SizeResult]) throws {
        let date = Timestamp(Date()).text
        let header = [
            "`\(commandLine)` on \(machine), \(date).",
            "",
            "Times are wall-clock milliseconds (ContinuousClock) over the runs: median, min and max. Keystroke rows time "
                + "`Update.update` and then `View.render`; \"render … ms of it\" is the render's share. Rows starting with "
                + "\"process:\" run the release `ptrack` binary to completion (peak RSS: one more run under `/usr/bin/time -f %M`). See docs/performance.md for what each row measures.",
        ]
        let markdown = Output.markdown(results, header: header)
        if let output {
            try writeFile(output, markdown)
        } else {
            print(markdown, terminator: "")
        }
        if let json {
            try writeFile(json, Output.json(results, header: [
                "command": .string(commandLine), "machine": .string(machine), "date": .string(date),
            ]))
        }
    }

    private func writeFile(_ path: String, _ text: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try FileSystem.replaceAtomically(path, with: Array(text.utf8))
    }

    /// The smoke run's only verdict: every operation ran and the table holds it. Times never fail it.
    private func checkSmoke(_ results: [SizeResult], tmuxPresent: Bool) throws {
        var problems: [String] = []
        let table = try output.map { try String(contentsOfFile: $0, encoding: .utf8) }
        for result in results {
            for operation in Operation.all(tailLengths: tailLengths) {
                if Operation.tmuxRows.contains(operation), !tmuxPresent { continue }
                guard let row = result.rows.first(where: { $0.operation == operation }) else {
                    problems.append("\(operation): did not run")
                    continue
                }
                if let failure = row.failure { problems.append("\(operation): \(failure)") }
                else if let skipped = row.skipped { problems.append("\(operation): skipped (\(skipped))") }
                else if row.samples.isEmpty { problems.append("\(operation): no timed run") }
                if let table, !table.contains("| \(operation) |") { problems.append("\(operation): missing from \(output!)") }
            }
            for row in result.rows where row.failure != nil && !Operation.all(tailLengths: tailLengths).contains(row.operation) {
                problems.append("\(row.operation): \(row.failure!)")
            }
        }
        if !problems.isEmpty {
            FileHandle.standardError.write(Data("ptrack-bench: smoke run incomplete:\n  \(problems.joined(separator: "\n  "))\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardError.write(Data("ptrack-bench: smoke run complete: \(Operation.all(tailLengths: tailLengths).count) operations ran\(output.map { ", table in \($0)" } ?? "")\n".utf8))
    }
}

PtrackBench.main()
