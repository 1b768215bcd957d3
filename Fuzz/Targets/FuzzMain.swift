import Foundation
import PolicyTrackerCore

/// One fuzz target: the name it is run by and the check it makes of one input.
struct FuzzTarget: Sendable {
    var name: String
    var check: @Sendable ([UInt8]) -> Void
}

/// The fuzz targets of this binary. The binary is linked once and reached through one
/// link per target (`.build/fuzz/theme` and so on), and runs the target it is called by.
enum FuzzTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "data-file", check: DataFileTarget.check),
        FuzzTarget(name: "change-log", check: ChangeLogTarget.check),
        FuzzTarget(name: "theme", check: ThemeTarget.check),
        FuzzTarget(name: "sanitiser", check: SanitiserTarget.check),
    ]

    /// The target named by the file name the binary was called by.
    static let selected: FuzzTarget = {
        let called = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent
        guard let target = all.first(where: { $0.name == called }) else {
            let names = all.map(\.name).joined(separator: ", ")
            FileHandle.standardError.write(Data("\(called): call this binary by a target's name (\(names))\n".utf8))
            exit(2)
        }
        return target
    }()
}

/// Stops the run when `condition` is false; libFuzzer then keeps the input as a crash.
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}

/// Checks that `value` survives being written and read again: the text it is written as
/// reads back as an equal value, which is written as the same text.
func checkRoundTrip<Value: Equatable>(
    _ value: Value, path: String, encode: (Value) -> [UInt8], decode: (SourceText) throws(TrackerError) -> Value
) {
    let encoded = encode(value)
    let again: Value
    do {
        again = try decode(SourceText(path: path, bytes: encoded))
    } catch {
        fatalError("invariant broken: \(path) as written does not read back: \(error)")
    }
    invariant(again == value, "\(path) reads back as a different value: \(difference(value, again))")
    invariant(encode(again) == encoded, "\(path) is written differently the second time")
}

/// Where the descriptions of two values part: a few characters of each from there on.
func difference(_ first: some Any, _ second: some Any) -> String {
    let (one, two) = (String(describing: first), String(describing: second))
    let common = zip(one, two).prefix { $0 == $1 }.count
    let show = { (text: String) in String(text.dropFirst(max(0, common - 40)).prefix(160)) }
    return "\n  \(show(one))\nversus\n  \(show(two))"
}

@_cdecl("LLVMFuzzerInitialize")
func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
    _ = FuzzTargets.selected
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTargets.selected.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
