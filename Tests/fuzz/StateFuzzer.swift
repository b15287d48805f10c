import Foundation
@testable import WorthEngine

/// libFuzzer entry point: the bytes are a state file (`worth value --state-out`), of either
/// kind: a Monte Carlo state (`SemivalueState`) or a shard state of the other methods
/// (`ShardState`). Loads them as `--resume` and `worth merge` do and uses the state as `worth
/// merge` does (gaps, merging, the values table). Then loads them once more with the checksum
/// rewritten to match, as a hand edit that knows the format would: the field checks alone must
/// then keep every use safe. Any input must be used, or be an `InputError`; a trap or another
/// error stops the fuzzer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzState(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    load(data)
    loadShard(data)
    if var forged = try? decoder.decode(SemivalueState.self, from: data) {
        forged.fileChecksum = forged.checksum
        load(encoded(forged))
    }
    if var forged = try? JSONDecoder().decode(ShardState.self, from: data) {
        forged.fileChecksum = forged.checksum
        loadShard(encoded(forged))
    }
    _ = try? SavedState.load(data: data, name: "fuzz.json")
    return 0
}

let decoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
}()

/// The state as `save(to:)` writes it, checksum included.
func encoded(_ state: SemivalueState) -> Data {
    var file = state
    file.fileChecksum = state.checksum
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let data = try? encoder.encode(file) else { fatalError("a loaded state does not encode") }
    return data
}

func load(_ data: Data) {
    let state: SemivalueState
    do { state = try SemivalueState.load(data: data, name: "fuzz.json") } catch {
        guard let error = error as? InputError else { fatalError("not an InputError: \(error)") }
        if error.description != error.description.escapingControlCharacters { fatalError("a message with control characters") }
        return
    }
    // What was read is written back and read again unchanged (compared as JSON: NaN ≠ NaN).
    let saved = encoded(state)
    guard let again = try? SemivalueState.load(data: saved, name: "again.json"), encoded(again) == saved else {
        fatalError("a loaded state does not load again after saving")
    }
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
}

/// A shard state as `save(to:)` writes it, checksum included.
func encoded(_ state: ShardState) -> Data {
    var file = state
    file.fileChecksum = state.checksum
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    guard let data = try? encoder.encode(file) else { fatalError("a loaded shard state does not encode") }
    return data
}

func loadShard(_ data: Data) {
    let state: ShardState
    do { state = try ShardState.load(data: data, name: "fuzz.json") } catch {
        guard let error = error as? InputError else { fatalError("not an InputError: \(error)") }
        if error.description != error.description.escapingControlCharacters { fatalError("a message with control characters") }
        return
    }
    let saved = encoded(state)
    guard let again = try? ShardState.load(data: saved, name: "again.json"), encoded(again) == saved else {
        fatalError("a loaded shard state does not load again after saving")
    }
    _ = state.gaps
    _ = state.estimate
    for parts in [[state], [state, state]] {
        let merged: ShardState
        do { merged = try ShardState.merge(parts, names: parts.map { _ in "fuzz.json" }) } catch {
            guard error is InputError else { fatalError("merge threw not an InputError: \(error)") }
            continue
        }
        if let layout = merged.input.layout {
            _ = ResultTable(layout: layout, estimate: merged.estimate).csv()
        }
    }
}
