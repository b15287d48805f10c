/// What a run of Data-OOB, KNN-Shapley, leave-one-out or the influence methods computed, kept
/// for `worth merge`: the units it did (all of them, or one shard's block), their results, and
/// what made it (method and parameters, seed, input).
///
/// Each of these methods splits into units whose results combine exactly, so merging the states
/// of all N shards gives the values of one run with the same seed, bit for bit:
/// - Data-OOB by trees: tree b draws from `SeededGenerator(seed, stream: b)` whatever the shard,
///   and the out-of-bag tallies are integers that add;
/// - KNN-Shapley by validation points: each chunk's sums are rounded once to fixed point and
///   then add as integers, and shards are cut between chunks only (`granule`);
/// - leave-one-out, influence and self-influence by rows: each row's value depends on its row
///   only, so the shards' values concatenate.
///
/// Saved by `--state-out` (`RunSession.stateOut`), read and checked field by field as the Monte
/// Carlo states are (`ShardStateFile.swift`). The Monte Carlo methods keep their own state,
/// `SemivalueState`, which also resumes.
public struct ShardState: Sendable, Equatable {
    /// The file format version this build writes and reads.
    public static let formatVersion = 1

    /// File format version.
    public var version: Int
    /// The method and parameter values that made the run.
    public var origin: RunOrigin
    /// The run's seed.
    public var seed: UInt64
    /// What the caller recorded about the input.
    public var input: RunInput
    /// What a unit is, plural: `trees` (or `models`), `validation points`, `rows`.
    public var unitName: String
    /// Units of the whole run, all shards together: trees, validation points or valued rows.
    public var units: Int
    /// Shards are cut between blocks of this many units only (≥ 1): KNN-Shapley's chunk of
    /// validation points, 1 for the others.
    public var granule: Int
    /// The shard this state belongs to; nil for a whole run or a merge.
    public var shard: ShardSpec?
    /// The units done, as sorted, disjoint, non-adjacent ranges.
    public var completed: [Range<Int>]
    /// The results of the units done.
    var results: Results
    /// The checksum as written in a file; only set while saving and loading (nil in memory).
    var fileChecksum: String?

    /// The results of the units done, by how they combine.
    enum Results: Sendable, Equatable {
        /// The value and the method's extra columns of each row in `completed` (units are
        /// valued rows), in that order; parts concatenate.
        case rows(values: [Double], columns: [ExtraColumn])
        /// Data-OOB's tallies over every valued row (units are models); parts add.
        case outOfBag(OutOfBagTally)
        /// Σ over the units done of each valued row's contribution in 2⁻⁶⁴ fixed point
        /// (`FixedPoint`; units are validation points, a value is its sum / units done); parts add.
        case sums([Int128])
    }

    init(origin: RunOrigin, seed: UInt64, input: RunInput, unitName: String, units: Int, granule: Int,
         shard: ShardSpec?, completed: Range<Int>, results: Results) {
        version = Self.formatVersion
        self.origin = origin
        self.seed = seed
        self.input = input
        self.unitName = unitName
        self.units = units
        self.granule = granule
        self.shard = shard
        self.completed = completed.isEmpty ? [] : [completed]
        self.results = results
    }

    /// Number of units done.
    public var unitsDone: Int { completed.reduce(0) { $0 + $1.count } }

    /// Number of valued rows.
    public var rows: Int {
        switch results {
        case .rows: units
        case .outOfBag(let tally): tally.outOfBag.count
        case .sums(let sums): sums.count
        }
    }

    /// The values of the units done, as the run that did them all reports them: rows not done
    /// have no value (NaN).
    public var estimate: ValuationEstimate {
        switch results {
        case .rows(let values, let columns):
            var full = [Double](repeating: .nan, count: units)
            var fullColumns = columns.map { ExtraColumn(name: $0.name, values: full) }
            for (k, row) in completed.joined().enumerated() {
                full[row] = values[k]
                for c in columns.indices { fullColumns[c].values[row] = columns[c].values[k] }
            }
            return ValuationEstimate(values: full, extraColumns: fullColumns)
        case .outOfBag(let tally):
            return tally.estimate(values: tally.values())
        case .sums(let sums):
            return KNNShapley.estimate(sums: sums, points: unitsDone)
        }
    }

    /// The units of `0..<units` no part holds.
    public var gaps: [Range<Int>] {
        var gaps: [Range<Int>] = []
        var at = 0
        for r in completed {
            if r.lowerBound > at { gaps.append(at..<r.lowerBound) }
            at = max(at, r.upperBound)
        }
        if at < units { gaps.append(at..<units) }
        return gaps
    }

    /// The shard of `count` whose block holds unit `unit` (a binary search: counts come from
    /// files and may be huge).
    func shardHolding(_ unit: Int, of count: Int) -> Int {
        var (low, high) = (0, count - 1)
        while low < high {
            let mid = low + (high - low) / 2
            let end = (try? ShardSpec(index: mid, count: count))?.units(of: units, granule: granule).upperBound ?? units
            if end > unit { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The first way `other` was made differently, or nil when both belong to one run.
    func difference(from other: ShardState) -> String? {
        if other.version != version { return "file format \(other.version), not \(version)" }
        if other.origin.method != origin.method { return "method \(other.origin.method), not \(origin.method)" }
        if other.origin.parameters != origin.parameters {
            func text(_ o: RunOrigin) -> String { o.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
            return "parameters \(text(other.origin)), not \(text(origin))"
        }
        if other.seed != seed { return "seed \(other.seed), not \(seed)" }
        if other.input.fingerprint != input.fingerprint {
            return "another input (fingerprint \(other.input.fingerprint), not \(input.fingerprint))"
        }
        if other.rows != rows { return "\(other.rows) valued rows, not \(rows)" }
        if other.units != units || other.unitName != unitName || other.granule != granule {
            return "\(other.units) \(other.unitName) in all, not \(units) \(unitName)"
        }
        return nil
    }

    /// Combines the states of the shards of one run (`worth merge`): checks they belong together
    /// (same method, parameters, seed, input and units, distinct shards of one count, disjoint
    /// units, every unit held), then adds or concatenates their results exactly. The merged
    /// state has no shard and holds every unit; its `estimate` equals one run's.
    ///
    /// - Parameter names: how to call each part in messages (file names), parallel to `parts`.
    public static func merge(_ parts: [ShardState], names: [String]? = nil) throws -> ShardState {
        guard let first = parts.first else { throw InputError("nothing to merge: give at least one state file") }
        let names = names ?? parts.indices.map { "part \($0 + 1)" }
        precondition(names.count == parts.count, "one name per part")
        for (k, part) in parts.enumerated().dropFirst() {
            if let why = first.difference(from: part) {
                throw InputError(file: names[k], "does not belong with \(names[0]): made with \(why)")
            }
        }
        try ShardSpec.checkDisjoint(parts.map(\.shard), completed: parts.map(\.completed), unitName: first.unitName, names: names)
        var union = first
        union.completed = parts.flatMap(\.completed).sorted { $0.lowerBound < $1.lowerBound }
        if let gap = union.gaps.first {
            var which = ""
            if let count = parts.compactMap(\.shard).first?.count {
                let (a, b) = (first.shardHolding(gap.lowerBound, of: count), first.shardHolding(gap.upperBound - 1, of: count))
                let shards = (a...min(b, a + 2)).map { "\($0)/\(count)" }.joined(separator: ", ") + (b > a + 2 ? ", …" : "")
                which = " (shard \(shards) not given or not finished)"
            }
            throw InputError(file: names[0], "\(first.unitName) \(gap.lowerBound)..<\(gap.upperBound) of 0..<\(first.units) are in no part\(which): merge every shard's finished state")
        }

        var merged = first
        merged.shard = nil
        merged.completed = first.units > 0 ? [0..<first.units] : []
        switch first.results {
        case .rows(_, let firstColumns):
            // Each part's values go to its rows; the parts are disjoint and cover every row.
            var values = [Double](repeating: .nan, count: first.units)
            var columns = firstColumns.map { ExtraColumn(name: $0.name, values: values) }
            for (k, part) in parts.enumerated() {
                guard case .rows(let v, let c) = part.results, c.map(\.name) == columns.map(\.name) else {
                    throw InputError(file: names[k], "holds other results than \(names[0])")
                }
                for (j, row) in part.completed.joined().enumerated() {
                    values[row] = v[j]
                    for i in c.indices { columns[i].values[row] = c[i].values[j] }
                }
            }
            merged.results = .rows(values: values, columns: columns)
        case .outOfBag(var tally):
            for (k, part) in parts.enumerated().dropFirst() {
                guard case .outOfBag(let other) = part.results, other.outOfBag.count == tally.outOfBag.count else {
                    throw InputError(file: names[k], "holds other results than \(names[0])")
                }
                do { try tally.add(checked: other) } catch {
                    throw InputError(file: names[k], "its tallies overflow when added to the others")
                }
            }
            merged.results = .outOfBag(tally)
        case .sums(var sums):
            for (k, part) in parts.enumerated().dropFirst() {
                guard case .sums(let other) = part.results, other.count == sums.count else {
                    throw InputError(file: names[k], "holds other results than \(names[0])")
                }
                for i in sums.indices {
                    let (sum, overflow) = sums[i].addingReportingOverflow(other[i])
                    guard !overflow else { throw InputError(file: names[k], "its sums overflow when added to the others") }
                    sums[i] = sum
                }
            }
            merged.results = .sums(sums)
        }
        return merged
    }
}

extension OutOfBagTally {
    /// Adds another tally of as many rows, leaving `self` unchanged when a count would
    /// overflow (tallies read from files are input: they never trap).
    mutating func add(checked other: OutOfBagTally) throws {
        var result = self
        for i in outOfBag.indices {
            let (o, oo) = outOfBag[i].addingReportingOverflow(other.outOfBag[i])
            let (c, co) = correct[i].addingReportingOverflow(other.correct[i])
            guard !oo, !co else { throw ChainMoments.Overflow() }
            result.outOfBag[i] = o
            result.correct[i] = c
        }
        let (m, mo) = models.addingReportingOverflow(other.models)
        guard !mo else { throw ChainMoments.Overflow() }
        result.models = m
        self = result
    }
}

extension RunSession {
    /// The units this run does of `units` in all: its shard's block, cut between granules of
    /// `granule` units, or all of them.
    func plan(units: Int, granule: Int = 1) -> Range<Int> {
        shard?.units(of: units, granule: granule) ?? 0..<units
    }

    /// Saves the state of a run of the exact or bagging methods to `stateOut`, when the session
    /// has one: the `done` units (a prefix of `plan`; fewer than planned when cancelled, which
    /// `merge` then reports as missing) and their results. `method` names the run when it was
    /// built without `MethodDescriptor.make` (tests).
    func saveState(method: String, seed: UInt64, unitName: String, units: Int, granule: Int = 1,
                   done: Range<Int>, results: ShardState.Results) throws {
        guard let stateOut else { return }
        let state = ShardState(origin: origin ?? RunOrigin(method: method, parameters: []), seed: seed, input: input,
                               unitName: unitName, units: units, granule: granule, shard: shard, completed: done,
                               results: results)
        try state.save(to: stateOut)
    }
}

extension ValuationEstimate {
    /// What a shard state keeps of rows `rows` (units are rows): their values and extra columns
    /// (the row methods have no standard errors).
    func results(ofRows rows: Range<Int>) -> ShardState.Results {
        .rows(values: Array(values[rows]),
              columns: extraColumns.map { ExtraColumn(name: $0.name, values: Array($0.values[rows])) })
    }
}
