import Foundation
import Dispatch

/// Work split across the machine's cores, results in order.
public enum Parallel {
    /// `count` split into about `parts` contiguous ranges of at least `minimum` elements each.
    public static func ranges(_ count: Int, parts: Int, minimum: Int = 1) -> [Range<Int>] {
        let size = max(minimum, (count + max(1, parts) - 1) / max(1, parts), 1)
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    /// `transform` applied to every element concurrently; the results in the elements' order.
    public static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        var results = [Result?](repeating: nil, count: elements.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes only its own slot.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: elements.count) { index in
                slots[index] = transform(elements[index])
            }
        }
        return results.map { $0! }
    }

    /// `transform` applied to every element concurrently; the first error (in element order)
    /// is thrown once all have finished.
    public static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) throws(TrackerError) -> Result
    ) throws(TrackerError) -> [Result] {
        let outcomes = map(elements) { element -> Swift.Result<Result, TrackerError> in
            do throws(TrackerError) { return .success(try transform(element)) } catch { return .failure(error) }
        }
        return try outcomes.map { outcome throws(TrackerError) in try outcome.get() }
    }

    /// How many pieces to split work into: one per active core.
    public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
