import Foundation

/// One line of a results table: the samples of one operation at one size.
struct Row {
    var operation: String
    /// Wall-clock milliseconds, one per timed run.
    var samples: [Double] = []
    /// For keystroke rows: the part of each sample spent in `View.render`.
    var renderSamples: [Double] = []
    /// For whole-process rows: the child's peak resident set (getrusage via wait4), in KiB.
    var peakRSSKiB: [Int] = []
    var notes: [String] = []
    /// Why the operation did not run (an error); the smoke run fails on any.
    var failure: String?
    /// Why the operation was left out on purpose (no tmux, no ptrack binary).
    var skipped: String?

    var median: Double? { Statistics.median(samples) }
    var minimum: Double? { samples.min() }
    var maximum: Double? { samples.max() }
}

enum Statistics {
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

extension Duration {
    /// The duration in milliseconds.
    var ms: Double { Double(components.seconds) * 1e3 + Double(components.attoseconds) / 1e15 }
}

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {}

/// Collects timings in the order operations are first seen.
final class Bench {
    let clock = ContinuousClock()
    /// Timed runs per operation.
    let runs: Int
    /// After this many seconds an operation stops repeating (it keeps the runs it has, at least one).
    let budgetSeconds: Double
    /// Only operations whose name contains one of these texts run (nil: all).
    let only: [String]?
    /// A run slower than this is not repeated as a warm-up: the first run counts.
    let warmUpLimitMs = 1000.0
    /// Whether operations run once untimed first (the smoke run does without).
    let warmUp: Bool
    let label: String

    private(set) var rows: [Row] = []
    private var positions: [String: Int] = [:]

    init(runs: Int, budgetSeconds: Double, only: [String]?, warmUp: Bool = true, label: String) {
        self.warmUp = warmUp
        self.runs = max(1, runs)
        self.budgetSeconds = budgetSeconds
        self.only = only
        self.label = label
    }

    func wants(_ operation: String) -> Bool {
        guard let only else { return true }
        return only.contains { operation.localizedCaseInsensitiveContains($0) }
    }

    private func index(_ operation: String) -> Int {
        if let index = positions[operation] { return index }
        rows.append(Row(operation: operation))
        positions[operation] = rows.count - 1
        return rows.count - 1
    }

    func add(_ operation: String, ms: Double, renderMs: Double? = nil, peakRSSKiB: Int? = nil) {
        let i = index(operation)
        rows[i].samples.append(ms)
        if let renderMs { rows[i].renderSamples.append(renderMs) }
        if let peakRSSKiB { rows[i].peakRSSKiB.append(peakRSSKiB) }
    }

    /// Records a whole process's peak RSS for `operation` (the table shows the largest).
    func attachRSS(_ operation: String, _ kib: Int) {
        rows[index(operation)].peakRSSKiB.append(kib)
    }

    func note(_ operation: String, _ text: String) {
        let i = index(operation)
        if !rows[i].notes.contains(text) { rows[i].notes.append(text) }
    }

    func fail(_ operation: String, _ error: Error) {
        rows[index(operation)].failure = "\(error)"
        progress("\(operation): FAILED: \(error)")
    }

    func skip(_ operation: String, _ reason: String) {
        rows[index(operation)].skipped = reason
    }

    func row(_ operation: String) -> Row? { positions[operation].map { rows[$0] } }

    func progress(_ text: String) {
        FileHandle.standardError.write(Data("[\(label)] \(text)\n".utf8))
    }

    func reportProgress(_ operation: String) {
        guard let row = row(operation), let median = row.median else { return }
        progress("\(operation): median \(Format.ms(median)) ms over \(row.samples.count) run(s)")
    }

    /// Milliseconds `body` takes.
    func time<T>(_ body: () throws -> T) rethrows -> (ms: Double, value: T) {
        let start = clock.now
        let value = try body()
        return ((clock.now - start).ms, value)
    }

    /// Times `body` `runs` times after an untimed warm-up run (a warm-up slower than a
    /// second is kept as the first sample instead, so slow operations are not run twice for
    /// nothing). `prepare` runs before each run, untimed. `runs` overrides the suite's number.
    func measure<T>(_ operation: String, note: String? = nil, runs: Int? = nil, prepare: () throws -> Void = {}, _ body: () throws -> T) {
        guard wants(operation) else { return }
        if let note { self.note(operation, note) }
        let runs = runs ?? self.runs
        do {
            var done = 0
            if warmUp {
                try prepare()
                let warmUp = try time(body)
                blackHole(warmUp.value)
                if warmUp.ms >= warmUpLimitMs {
                    add(operation, ms: warmUp.ms)
                    done = 1
                }
            }
            let start = clock.now
            while done < runs {
                if done > 0, (clock.now - start).ms / 1000 > budgetSeconds {
                    self.note(operation, "stopped after \(done) run(s): over the \(Int(budgetSeconds)) s budget")
                    break
                }
                try prepare()
                let run = try time(body)
                blackHole(run.value)
                add(operation, ms: run.ms)
                done += 1
            }
            reportProgress(operation)
        } catch {
            fail(operation, error)
        }
    }

    /// Repeats `pass` (which records its own samples, several operations per pass) up to
    /// `runs` times after a warm-up pass, within the budget. `pass` is told whether to record.
    func passes(_ operations: [String], runs: Int? = nil, _ pass: (_ record: Bool) throws -> Void) {
        let wanted = operations.filter(wants)
        guard !wanted.isEmpty else { return }
        let runs = runs ?? self.runs
        do {
            if warmUp {
                let warmUp = try time { try pass(false) }
                if warmUp.ms >= warmUpLimitMs {
                    // Too slow to run once for nothing: run again, recording, within the budget.
                    progress("\(wanted.first!) …: a pass takes \(Format.ms(warmUp.ms)) ms")
                }
            }
            var done = 0
            let start = clock.now
            while done < runs {
                if done > 0, (clock.now - start).ms / 1000 > budgetSeconds {
                    for operation in wanted { note(operation, "stopped after \(done) run(s): over the \(Int(budgetSeconds)) s budget") }
                    break
                }
                try pass(true)
                done += 1
            }
            for operation in wanted { reportProgress(operation) }
        } catch {
            for operation in wanted { fail(operation, error) }
        }
    }
}

enum Format {
    /// Milliseconds with about three significant digits.
    static func ms(_ value: Double) -> String {
        switch value {
        case ..<1: String(format: "%.3f", value)
        case ..<10: String(format: "%.2f", value)
        case ..<100: String(format: "%.1f", value)
        default: String(format: "%.0f", value)
        }
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }

    /// 100000 → "100,000".
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
