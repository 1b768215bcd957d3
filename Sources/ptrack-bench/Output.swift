import Foundation
import PolicyTrackerCore

/// The tables as Markdown and as JSON.
enum Output {
    static func markdown(_ results: [SizeResult], header: [String]) -> String {
        var text = "# ptrack benchmarks\n\n"
        for line in header { text += line + "\n" }
        for result in results {
            text += "\n## \(Format.grouped(result.count)) recommendations × \(result.changesPerItem) changes\n\n"
            text += "catalog.json \(Format.megabytes(result.catalogBytes)) MB, changes.jsonl \(Format.megabytes(result.logBytes)) MB; "
            text += "\(result.generatedBy) in \(String(format: "%.1f", result.generationSeconds)) s.\n\n"
            text += "| operation | median ms | min ms | max ms | runs | peak RSS MB | notes |\n"
            text += "|---|--:|--:|--:|--:|--:|---|\n"
            for row in result.rows {
                let rss = row.peakRSSKiB.max().map { Format.megabytes($0 * 1024) } ?? ""
                var allNotes = row.notes
                if row.samples.count >= 3, let median = row.median, let maximum = row.maximum, median > 0, maximum > 3 * median {
                    allNotes.append(String(format: "max is %.0f× the median", maximum / median))
                }
                let notes = cell(allNotes.joined(separator: "; "))
                if let failure = row.failure {
                    text += "| \(cell(row.operation)) | failed | | | \(row.samples.count) | \(rss) | \(cell(failure)) |\n"
                } else if let skipped = row.skipped {
                    text += "| \(cell(row.operation)) | skipped | | | 0 | | \(cell(skipped)) |\n"
                } else if let median = row.median, let minimum = row.minimum, let maximum = row.maximum {
                    text += "| \(cell(row.operation)) | \(Format.ms(median)) | \(Format.ms(minimum)) | \(Format.ms(maximum)) | \(row.samples.count) | \(rss) | \(notes) |\n"
                } else {
                    text += "| \(cell(row.operation)) | not run | | | 0 | | \(notes) |\n"
                }
            }
            text += "\nptrack-bench's own peak RSS after this size (getrusage, cumulative): \(Format.megabytes(result.benchPeakRSSKiB * 1024)) MB.\n"
        }
        return text
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func json(_ results: [SizeResult], header: [String: JSONValue]) -> String {
        var document = header
        document["sizes"] = .array(results.map { result in
            .object([
                "count": .int(result.count),
                "changesPerItem": .int(result.changesPerItem),
                "catalogBytes": .int(result.catalogBytes),
                "logBytes": .int(result.logBytes),
                "generationSeconds": .fraction(result.generationSeconds),
                "benchPeakRSSKiB": .int(result.benchPeakRSSKiB),
                "results": .array(result.rows.map { row in
                    var object: [String: JSONValue] = [
                        "operation": .string(row.operation),
                        "runs": .int(row.samples.count),
                        "samplesMs": .array(row.samples.map { .fraction($0) }),
                        "notes": .array(row.notes.map { .string($0) }),
                    ]
                    if let median = row.median { object["medianMs"] = .fraction(median) }
                    if let minimum = row.minimum { object["minMs"] = .fraction(minimum) }
                    if let maximum = row.maximum { object["maxMs"] = .fraction(maximum) }
                    if let render = Statistics.median(row.renderSamples) { object["renderMedianMs"] = .fraction(render) }
                    if let rss = row.peakRSSKiB.max() { object["peakRSSKiB"] = .int(rss) }
                    if let failure = row.failure { object["failure"] = .string(failure) }
                    if let skipped = row.skipped { object["skipped"] = .string(skipped) }
                    return .object(object)
                }),
            ])
        })
        return JSONWriter.pretty(.object(document))
    }
}
