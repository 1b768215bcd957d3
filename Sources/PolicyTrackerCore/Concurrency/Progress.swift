import Foundation

/// How far a long piece of work has come: what it is, and how much of it is done of how much.
public struct ProgressStep: Equatable, Sendable {
    /// What is being done ("replaying the change log").
    public var title: String
    public var done: Int
    public var total: Int
    /// What is counted ("changes", "MB").
    public var unit: String
}

/// Where long work tells how far it has come, from any thread: each ``ProgressStep`` as it
/// moves, and nil when a step ends. What shows it (the command line's progress line) decides
/// whether and how often to draw.
public final class ProgressSink: @unchecked Sendable {
    private let lock = NSLock()
    private let report: (ProgressStep?) -> Void

    /// A sink that hands every report to `report`, one at a time.
    public init(_ report: @escaping (ProgressStep?) -> Void) {
        self.report = report
    }

    /// A sink that shows nothing.
    public static let silent = ProgressSink { _ in }

    /// A step of `total` `unit`s, told as started (nothing done yet).
    public func step(_ title: String, total: Int, unit: String) -> ProgressCounter {
        let counter = ProgressCounter(ProgressStep(title: title, done: 0, total: total, unit: unit), sink: self)
        tell(counter.step)
        return counter
    }

    /// Runs `body` as a step of `total` `unit`s, which it advances; ended however `body` ends.
    public func run<Result>(
        _ title: String, total: Int, unit: String, _ body: (ProgressCounter) throws(TrackerError) -> Result
    ) throws(TrackerError) -> Result {
        let counter = step(title, total: total, unit: unit)
        defer { end() }
        return try body(counter)
    }

    /// Ends the step under way.
    public func end() { tell(nil) }

    func tell(_ step: ProgressStep?) {
        lock.lock()
        defer { lock.unlock() }
        report(step)
    }
}

/// One step's count, advanced from any thread.
public final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var step: ProgressStep
    private let sink: ProgressSink

    init(_ step: ProgressStep, sink: ProgressSink) {
        self.step = step
        self.sink = sink
    }

    /// `count` more units done.
    public func advance(by count: Int) {
        lock.lock()
        step.done = min(step.total, step.done + count)
        let now = step
        lock.unlock()
        sink.tell(now)
    }
}
