import Foundation
import PolicyTrackerCore

/// How far long work has come, on standard error when it is a terminal: once the command
/// has run for ``delay``, the step under way shows as one line redrawn in place (carriage
/// return) up to ten times a second — what is done of the total, the rate and the time left
/// — and the line is cleared when the step ends. A timer draws it, so it shows on time even
/// while a step's count moves in large pieces. Quick work shows nothing.
final class ProgressLine: @unchecked Sendable {
    /// Work that ends sooner shows nothing; longer work shows within this and a tick.
    static let delay = 0.25
    /// How often the timer looks at the step under way.
    private static let tickInterval = 0.05
    /// The least time between two draws.
    private static let redraw = 0.1

    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    /// When the command began (the sink is made as it opens its tracker).
    private let workStarted = Date()
    private var stepStarted = Date()
    private var current: ProgressStep?
    private var shown = false
    private var lastDraw = Date.distantPast

    /// A sink that draws on standard error when it is a terminal and `quiet` is false, else
    /// one that shows nothing.
    static func sink(quiet: Bool) -> ProgressSink {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return .silent }
        let line = ProgressLine()
        return ProgressSink { line.show($0) }
    }

    private func show(_ step: ProgressStep?) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard let step else {
            if shown { Self.write("\r\u{1B}[K") }
            shown = false
            current = nil
            // No timer while no step is under way: quick commands, and a browser between
            // reads, tick nothing.
            timer?.cancel()
            timer = nil
            return
        }
        if step.title != current?.title { stepStarted = now }
        current = step
        if timer == nil { startTimer() }
    }

    /// Ticks every ``tickInterval`` until the step under way ends.
    private func startTimer() {
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + Self.tickInterval, repeating: Self.tickInterval)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
    }

    /// Draws the step under way, once the command has run ``delay``.
    private func tick() {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard let current, now.timeIntervalSince(workStarted) >= Self.delay, now.timeIntervalSince(lastDraw) >= Self.redraw else { return }
        lastDraw = now
        shown = true
        Self.write("\r\u{1B}[Kptrack: " + Self.describe(current, elapsed: now.timeIntervalSince(stepStarted)))
    }

    /// Written straight to the descriptor: the timer draws from its own thread.
    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// "replaying the change log: 412,000 of 1,000,000 changes (41 %), 120,000/s, 5 s left".
    static func describe(_ step: ProgressStep, elapsed: TimeInterval) -> String {
        let inBytes = step.unit == "bytes"
        let count = { (value: Int) in inBytes ? grouped(value >> 20) : grouped(value) }
        let unit = inBytes ? "MB" : step.unit
        let percent = step.total > 0 ? step.done * 100 / step.total : 0
        var text = "\(step.title): \(count(step.done)) of \(count(step.total)) \(unit) (\(percent) %)"
        if elapsed > 0, step.done > 0 {
            let rate = Double(step.done) / elapsed
            text += ", " + (inBytes ? "\(grouped(Int(rate) >> 20)) MB/s" : "\(grouped(Int(rate)))/s")
            text += ", \(Int((Double(step.total - step.done) / rate).rounded(.up))) s left"
        }
        return text
    }

    private static func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}
