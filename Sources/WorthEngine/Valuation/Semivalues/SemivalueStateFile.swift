import Foundation

/// A semivalue state as a file: JSON with the statistics in base64, a format version and a
/// checksum, checked field by field when read.
///
/// A state file is input like any other: it may be truncated, hand-edited or damaged. Loading
/// checks every field against the others (sizes agree, counts are non-negative and exactly those
/// the completed units imply, ranges lie in the budget and the shard, layout indices are in
/// range, sums within what the counts allow) and the checksum, so that whatever is wrong is one
/// `InputError` naming the file and the fault, never a trap later on.
///
/// Format 2 (this build) carries `checksum`, an FNV-1a digest of every field. Format 1 files
/// (written before checksums) are refused with a message saying so: without a checksum a
/// flipped character in the sums cannot be told from a real value, and a state is only ever
/// an intermediate file that the run which wrote it can write again.
extension SemivalueState: StateFile {
    /// The largest number of units a state may hold: the fixed-point sums of squares of
    /// `ChainMoments` stay below 2¹²⁶ up to here (the command line allows 10⁸ per run).
    static let maxUnits = 1 << 30

    /// Writes the state to `path` atomically (`StateFile.write`), so a crash or a full disk
    /// never leaves a half-written state behind.
    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try write(to: path, encoder: encoder)
    }

    /// Reads a state saved by `save(to:)`.
    public static func load(from path: String) throws -> SemivalueState {
        try load(data: contents(of: path), name: path)
    }

    /// Reads a state from the bytes of a state file, checking every field and the checksum;
    /// `name` names the file in errors. Any bytes at all give a state or an `InputError`,
    /// never a trap (the entry point of the state-file fuzzer).
    public static func load(data: Data, name: String) throws -> SemivalueState {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try read(data: data, name: name, decoder: decoder) { state in
            if state.version == 1 {
                throw InputError(file: name, "state file format 1, written by an older worth without a checksum; this worth reads format \(formatVersion): run the shard or the run again")
            }
            guard state.version == formatVersion else {
                throw InputError(file: name, "state file format \(state.version); this worth reads format \(formatVersion)")
            }
        }
    }

    /// A field check that failed.
    typealias Defect = StateDefect

    /// Checks every field against the others; throws a `Defect` saying what is wrong.
    func validate() throws {
        guard let method = SemivalueMethod(rawValue: settings.method) else {
            throw Defect("unknown method '\(settings.method)'")
        }
        let expectedUnit = method == .banzhaf ? "samples" : "permutations"
        guard unitName == expectedUnit else { throw Defect("\(method.rawValue) counts \(expectedUnit), not '\(unitName)'") }
        if let budget, !(1...Self.maxUnits).contains(budget) {
            throw Defect("budget \(budget) is outside 1...\(Self.maxUnits)")
        }
        var plan = 0..<(budget ?? Self.maxUnits)
        if let shard {
            guard shard.count >= 1, (0..<shard.count).contains(shard.index) else { throw Defect("shard \(shard) does not exist") }
            guard let budget else { throw Defect("shard \(shard) without a budget") }
            plan = shard.units(of: budget)
        }

        let total = try StateDefect.checkCompleted(completed, plan: plan, unitName: unitName)

        // Statistics: shapes, and counts exactly as the completed units imply.
        let rows = statistics.positive.rows
        guard (statistics.negative != nil) == (method == .banzhaf) else {
            throw Defect(method == .banzhaf ? "the statistics lack the second side" : "the statistics have a second side")
        }
        for (side, moments) in [("", statistics.positive), (" (second side)", statistics.negative)] {
            guard let moments else { continue }
            guard moments.chains == SemivalueStatistics.chainCount, moments.rows == rows else {
                throw Defect("statistics\(side) of \(moments.rows) rows × \(moments.chains) chains, not \(rows) × \(SemivalueStatistics.chainCount)")
            }
            if let k = moments.counts.firstIndex(where: { !(0...Self.maxUnits).contains($0) }) {
                throw Defect("statistics\(side): row \(k % max(rows, 1) + 1) has \(moments.counts[k]) contributions in chain \(k / max(rows, 1))")
            }
            if let k = moments.counts.indices.first(where: { !moments.boundsHold(at: $0) }) {
                throw Defect("statistics\(side): row \(k % max(rows, 1) + 1)'s sums exceed what its \(moments.counts[k]) contributions allow")
            }
        }
        for chain in 0..<SemivalueStatistics.chainCount {
            let expected = completed.reduce(0) { $0 + Self.units(in: $1, chain: chain) }
            for row in 0..<rows {
                let k = chain * rows + row
                let counted = statistics.positive.counts[k] + (statistics.negative?.counts[k] ?? 0)   // each ≤ maxUnits
                guard counted == expected else {
                    throw Defect("row \(row + 1) has \(counted) contributions in chain \(chain), but the \(total) completed \(unitName) give \(expected)")
                }
            }
        }

        if let defect = input.defect(valuedRows: rows) { throw Defect(defect) }
        if let values = lastCheckValues, values.count != rows {
            throw Defect("\(values.count) last-check values for \(rows) rows")
        }
        for point in rHatHistory + changeHistory where !(0...Self.maxUnits).contains(point.done) {
            throw Defect("a convergence point at \(point.done) \(unitName)")
        }
    }

    /// How many units of `range` fall in chain `chain` (unit u is in chain u mod chainCount).
    static func units(in range: Range<Int>, chain: Int) -> Int {
        func below(_ end: Int) -> Int {   // units 0..<end in the chain
            end > chain ? (end - chain - 1) / SemivalueStatistics.chainCount + 1 : 0
        }
        return below(range.upperBound) - below(range.lowerBound)
    }

    /// FNV-1a over every field in a fixed binary order (not over the JSON text, so that a new
    /// encoder's spelling of a number cannot invalidate old files).
    var checksum: String {
        var h = Fingerprint.Hasher()
        func int(_ v: Int) { h.add(integer: v) }
        func real(_ v: Double) { h.add(real: v) }
        func text(_ s: String) { h.add(text: s) }
        func optional<T>(_ v: T?, _ write: (T) -> Void) { if let v { int(1); write(v) } else { int(0) } }
        func moments(_ m: ChainMoments) {
            int(m.rows); int(m.chains)
            for v in m.counts { int(v) }
            for v in m.sums { h.add(bytesOf: v.littleEndian) }
            for v in m.squares { h.add(bytesOf: v.littleEndian) }
        }
        text("worth semivalue state")
        int(version)
        text(settings.method); text(settings.utility)
        switch settings.weighting {
        case .shapley: int(0)
        case .beta(let alpha, let beta): int(1); real(alpha); real(beta)
        case .banzhaf: int(2)
        }
        optional(settings.truncation) { real($0.tolerance); int($0.steps) }
        h.add(bytesOf: seed.littleEndian)
        input.addFields(to: &h)
        optional(budget, int)
        optional(shard) { int($0.index); int($0.count) }
        text(unitName)
        int(completed.count)
        for r in completed { int(r.lowerBound); int(r.upperBound) }
        moments(statistics.positive)
        optional(statistics.negative, moments)
        for history in [rHatHistory, changeHistory] {
            int(history.count)
            for p in history { int(p.done); real(p.value) }
        }
        optional(lastCheckValues) { values in int(values.count); values.forEach(real) }
        return h.digest
    }
}
