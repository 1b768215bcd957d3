import Foundation

/// Writes ``JSONValue``s in the stable form every ptrack file uses: keys sorted, strings
/// escaped only where JSON requires it (non-ASCII text stays readable), and byte for byte
/// what Python's `json.dumps(value, sort_keys=True, ensure_ascii=False)` writes, pretty
/// (`indent=2`) or compact (`separators=(",", ":")`).
public enum JSONWriter {
    /// Which characters strings escape.
    public enum Escaping: Sendable {
        /// Only what JSON requires: `"`, `\` and the C0 controls. The files' form.
        case required
        /// Also every character a terminal would act on or hide (``DisplayText/needsEscape(_:)``),
        /// as `\uXXXX`: output that may be read on a terminal. It parses to the same text.
        case terminal
    }

    /// A pretty document: two-space indentation and a trailing newline.
    public static func pretty(_ value: JSONValue, escaping: Escaping = .required) -> String {
        var output = ""
        write(value, to: &output, indent: 0, pretty: true, escaping: escaping)
        output.append("\n")
        return output
    }

    /// ``pretty(_:escaping:)`` of the array of `value` of each element, the elements made and
    /// written on every core: the same text, for long lists (`list --json` of 100,000 items).
    public static func prettyArray<Element: Sendable>(
        _ elements: [Element], escaping: Escaping = .required, _ value: @Sendable (Element) -> JSONValue
    ) -> String {
        guard !elements.isEmpty else { return pretty(.array([]), escaping: escaping) }
        let parts = Parallel.map(Parallel.ranges(elements.count, parts: Parallel.cores * 4, minimum: 256)) { range in
            var output = ""
            for index in range {
                if index > 0 { output.append(",") }
                newline(1, to: &output)
                write(value(elements[index]), to: &output, indent: 1, pretty: true, escaping: escaping)
            }
            return output
        }
        var output = "["
        output.reserveCapacity(parts.reduce(4) { $0 + $1.utf8.count })
        for part in parts { output.append(part) }
        output.append("\n]\n")
        return output
    }

    /// One line with no insignificant white space and no newline, as JSON Lines wants.
    public static func compact(_ value: JSONValue) -> String {
        var output = ""
        write(value, to: &output, indent: 0, pretty: false, escaping: .required)
        return output
    }

    private static func write(_ value: JSONValue, to output: inout String, indent: Int, pretty: Bool, escaping: Escaping) {
        switch value {
        case .null: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .int(let number): output.append(String(number))
        case .fraction(let number): output.append(String(format: "%.4f", number))
        case .string(let text): writeString(text, to: &output, escaping: escaping)
        case .array(let elements):
            writeContainer(elements, open: "[", close: "]", to: &output, indent: indent, pretty: pretty) { element, output in
                write(element, to: &output, indent: indent + 1, pretty: pretty, escaping: escaping)
            }
        case .object(let members):
            let sorted = members.sorted { $0.key < $1.key }
            writeContainer(sorted, open: "{", close: "}", to: &output, indent: indent, pretty: pretty) { member, output in
                writeString(member.key, to: &output, escaping: escaping)
                output.append(pretty ? ": " : ":")
                write(member.value, to: &output, indent: indent + 1, pretty: pretty, escaping: escaping)
            }
        }
    }

    private static func writeContainer<Element>(
        _ elements: [Element], open: String, close: String, to output: inout String, indent: Int, pretty: Bool,
        writeElement: (Element, inout String) -> Void
    ) {
        output.append(open)
        guard !elements.isEmpty else { output.append(close); return }
        for (position, element) in elements.enumerated() {
            if position > 0 { output.append(",") }
            if pretty { newline(indent + 1, to: &output) }
            writeElement(element, &output)
        }
        if pretty { newline(indent, to: &output) }
        output.append(close)
    }

    private static func newline(_ level: Int, to output: inout String) {
        output.append("\n")
        output.append(String(repeating: "  ", count: level))
    }

    /// Writes `text` as a JSON string literal.
    public static func writeString(_ text: String, to output: inout String, escaping: Escaping = .required) {
        output.append("\"")
        // Most text needs no escape at all: append it whole.
        if !needsEscapes(text, escaping) {
            output.append(text)
            output.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{08}": output.append("\\b")
            case "\u{0C}": output.append("\\f")
            case let other where other.value < 0x20 || (escaping == .terminal && DisplayText.needsEscape(other)):
                let digits = String(other.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - digits.count) + digits)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }

    /// True when `text` holds a character `escaping` escapes (the common case, none, is one
    /// pass over the bytes).
    private static func needsEscapes(_ text: String, _ escaping: Escaping) -> Bool {
        if text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return true }
        return escaping == .terminal && text.utf8.contains(where: { $0 >= 0x7F }) && text.unicodeScalars.contains(where: DisplayText.needsEscape)
    }
}
