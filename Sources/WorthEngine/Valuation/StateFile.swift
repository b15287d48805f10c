import Foundation

/// What the two kinds of run state files share (`SemivalueState` for the Monte Carlo methods,
/// `ShardState` for the others): JSON written atomically with a checksum of every field, and
/// read as untrusted input: decoded, its version checked, every field checked against the
/// others (`validate`), then the checksum, so that whatever is wrong is one `InputError` naming
/// the file and the fault, never a trap later on.
protocol StateFile: Codable {
    /// The checksum as written in a file; only set while saving and loading (nil in memory).
    var fileChecksum: String? { get set }
    /// FNV-1a over every field in a fixed binary order.
    var checksum: String { get }
    /// Checks every field against the others; throws a `StateDefect` saying what is wrong.
    func validate() throws
}

/// A field check of a state file that failed.
struct StateDefect: Error {
    var what: String
    init(_ what: String) { self.what = what }

    /// Checks a state's completed units (sorted, disjoint, non-adjacent, non-empty ranges
    /// inside `plan`) and returns how many there are (at most `plan.count`).
    static func checkCompleted(_ completed: [Range<Int>], plan: Range<Int>, unitName: String) throws -> Int {
        var total = 0
        var previousEnd = -1
        for r in completed {
            guard r.lowerBound >= plan.lowerBound, r.upperBound <= plan.upperBound, !r.isEmpty else {
                throw StateDefect("completed \(unitName) \(r.lowerBound)..<\(r.upperBound) are outside \(plan.lowerBound)..<\(plan.upperBound)")
            }
            guard r.lowerBound > previousEnd else { throw StateDefect("completed \(unitName) are not in order or overlap") }
            previousEnd = r.upperBound
            total += r.count   // ≤ plan.count: cannot overflow
        }
        return total
    }
}

extension StateFile {
    /// Writes the state with its checksum to `path` atomically (`AtomicFile`: a temporary file
    /// beside it, renamed over it), so a crash or a full disk never leaves half a state behind.
    func write(to path: String, encoder: JSONEncoder = JSONEncoder()) throws {
        var file = self
        file.fileChecksum = checksum
        let data: Data
        do { data = try encoder.encode(file) } catch {
            throw InputError(file: path, "cannot encode the state: \(error)")
        }
        try AtomicFile.write(data, to: path)
    }

    /// The bytes of the state file at `path`.
    static func contents(of path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the state file")
        }
        return data
    }

    /// Reads a state from a file's bytes: decodes it, lets `checkVersion` refuse its format,
    /// validates every field and compares the checksum; `name` names the file in errors.
    static func read(data: Data, name: String, decoder: JSONDecoder = JSONDecoder(),
                     checkVersion: (Self) throws -> Void) throws -> Self {
        var state: Self
        do { state = try decoder.decode(Self.self, from: data) } catch let error as DecodingError {
            throw InputError(file: name, "not a worth state file, or a damaged one (\(describe(error)))")
        } catch {
            throw InputError(file: name, "not a worth state file (\(error))")
        }
        try checkVersion(state)
        do {
            try state.validate()
        } catch let defect as StateDefect {
            throw InputError(file: name, "damaged state file: \(defect.what)")
        }
        guard let saved = state.fileChecksum else {
            throw InputError(file: name, "damaged state file: the checksum is missing")
        }
        guard saved == state.checksum else {
            throw InputError(file: name, "damaged state file: the checksum does not match (it was changed after worth saved it)")
        }
        state.fileChecksum = nil
        return state
    }

    /// A decoding error as a short phrase: where in the file and what.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return keys.isEmpty ? "" : " at \(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(key.stringValue)\(path(context))"
        case .valueNotFound(_, let context): return "a missing value\(path(context))"
        case .typeMismatch(_, let context): return "a value of the wrong type\(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription.prefix(120))\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
