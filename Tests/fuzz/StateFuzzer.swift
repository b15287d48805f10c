import Foundation
import WorthEngine

/// Where each input is written for `SemivalueState.load(from:)`, which reads a path: in memory
/// (`/dev/shm`) where there is one, removed when the fuzzer exits.
private let statePath: String = {
    atexit { unlink(statePath) }
    let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return directory + "/worth-state-fuzz-\(getpid()).json"
}()

/// libFuzzer entry point: the bytes are a state file (`worth value --state-out`). Loads it as
/// `--resume` and `worth merge` do and uses it as `worth merge` does (gaps, the merged
/// statistics, the values table); any input must load and be used, or be an `InputError`,
/// never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzState(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    do { try data.write(to: URL(fileURLWithPath: statePath)) } catch { fatalError("cannot write \(statePath): \(error)") }
    guard let state = try? SemivalueState.load(from: statePath) else { return 0 }
    _ = state.unitsDone
    _ = state.gaps
    _ = state.convergence(rHatTarget: 1.05)
    for parts in [[state], [state, state]] {
        guard let merged = try? SemivalueState.merge(parts, names: parts.map { _ in "fuzz.json" }) else { continue }
        _ = merged.gaps
        if let layout = merged.input.layout {
            _ = ResultTable(layout: layout, estimate: merged.estimate).csv()
        }
    }
    return 0
}
