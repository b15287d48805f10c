import Foundation

/// Everything a Monte Carlo semivalue run has learnt, as a file: its sufficient statistics, which
/// units are done, and what the run was (method, settings, seed, input fingerprint, shard).
///
/// Saved for `--checkpoint` and `--state-out`, loaded for `--resume` and `worth merge`. Because
/// unit i depends only on (seed, i) and the statistics add exactly, resuming a state equals an
/// uninterrupted run and merging the states of all shards equals one run of the whole budget.
public struct SemivalueState: Sendable, Equatable, Codable {
    /// The file format version this build writes and reads (see `SemivalueStateFile.swift`).
    public static let formatVersion = 2

    /// File format version.
    public var version: Int
    /// What each unit computes.
    public var settings: SemivalueSettings
    /// The run's seed.
    public var seed: UInt64
    /// What the caller recorded about the input.
    public var input: RunInput
    /// Units planned for the whole run (all shards together), when there was a unit budget.
    public var budget: Int?
    /// The shard this state belongs to; nil for a whole run or a merge.
    public var shard: ShardSpec?
    /// What a unit is, plural (`permutations`, `samples`).
    public var unitName: String
    /// The units done, as sorted, disjoint, non-adjacent ranges of unit indices.
    public var completed: [Range<Int>]
    /// The sufficient statistics of the units done.
    public var statistics: SemivalueStatistics
    /// R-hat at each convergence check of this run (after a merge: its final value only).
    public var rHatHistory: [ConvergencePoint]
    /// Relative change of the values between consecutive checks (empty after a merge).
    public var changeHistory: [ConvergencePoint]
    /// The values at the last convergence check, for the next relative change.
    var lastCheckValues: [Double]?
    /// The checksum as written in a file; only set while saving and loading (nil in memory).
    var fileChecksum: String?

    enum CodingKeys: String, CodingKey {
        case version, settings, seed, input, budget, shard, unitName, completed, statistics, rHatHistory,
             changeHistory, lastCheckValues, fileChecksum = "checksum"
    }

    /// A state with nothing done yet.
    init(settings: SemivalueSettings, seed: UInt64, input: RunInput, rows: Int, budget: Int?,
         shard: ShardSpec?, unitName: String, twoSided: Bool) {
        version = Self.formatVersion
        self.settings = settings
        self.seed = seed
        self.input = input
        self.budget = budget
        self.shard = shard
        self.unitName = unitName
        completed = []
        statistics = SemivalueStatistics(rows: rows, twoSided: twoSided)
        rHatHistory = []
        changeHistory = []
        lastCheckValues = nil
    }

    /// Number of units done.
    public var unitsDone: Int { completed.reduce(0) { $0 + $1.count } }

    /// Units of the budget not done (missing shards, or a run stopped early); empty without a
    /// budget.
    public var gaps: [Range<Int>] {
        guard let budget else { return [] }
        var gaps: [Range<Int>] = []
        var at = 0
        for r in completed {
            if r.lowerBound > at { gaps.append(at..<min(r.lowerBound, budget)) }
            at = max(at, r.upperBound)
        }
        if at < budget { gaps.append(at..<budget) }
        return gaps.filter { !$0.isEmpty }
    }

    /// The values and standard errors of the units done.
    public var estimate: ValuationEstimate { statistics.estimate }

    /// The convergence figures with their history, R-hat drawn against `rHatTarget`.
    public func convergence(rHatTarget: Double?) -> [ConvergenceSeries] {
        [ConvergenceSeries(name: "R-hat", history: rHatHistory, target: rHatTarget),
         ConvergenceSeries(name: "relative change", history: changeHistory)]
    }

    /// Records unit `unit` as done.
    mutating func markDone(_ unit: Int) {
        if let last = completed.last, last.upperBound == unit {
            completed[completed.count - 1] = last.lowerBound..<(unit + 1)
        } else {
            completed.append(unit..<(unit + 1))
            completed.sort { $0.lowerBound < $1.lowerBound }
        }
    }

    /// The first way `other` was made differently, or nil when both belong to one run.
    /// `budgets` also compares unit budgets (merging); resuming may extend the budget.
    func difference(from other: SemivalueState, budgets: Bool) -> String? {
        if other.version != version { return "file format \(other.version), not \(version)" }
        if other.settings.method != settings.method { return "method \(other.settings.method), not \(settings.method)" }
        if other.settings != settings { return "settings \(other.settings), not \(settings)" }
        if other.seed != seed { return "seed \(other.seed), not \(seed)" }
        if other.input.fingerprint != input.fingerprint { return "another input (fingerprint \(other.input.fingerprint), not \(input.fingerprint))" }
        if other.statistics.rows != statistics.rows { return "\(other.statistics.rows) rows, not \(statistics.rows)" }
        if budgets && other.budget != budget {
            return "a budget of \(other.budget.map(String.init) ?? "no") \(unitName), not \(budget.map(String.init) ?? "no")"
        }
        return nil
    }

    /// Combines the states of the shards of one run (`worth merge`): checks they belong together
    /// (same method, settings, seed, input fingerprint, rows and budget, distinct shards, disjoint
    /// units) and adds their statistics exactly. Merging all N shards gives the values of one
    /// run of the whole budget; `gaps` of the result names any units still missing. The merged
    /// state has no shard and its R-hat history is the single figure of the merged statistics.
    ///
    /// - Parameter names: how to call each part in messages (file names), parallel to `parts`.
    public static func merge(_ parts: [SemivalueState], names: [String]? = nil) throws -> SemivalueState {
        guard let first = parts.first else { throw InputError("nothing to merge: give at least one state file") }
        let names = names ?? parts.indices.map { "part \($0 + 1)" }
        precondition(names.count == parts.count, "one name per part")
        var merged = first
        for (k, part) in parts.enumerated().dropFirst() {
            if let why = first.difference(from: part, budgets: true) {
                throw InputError(file: names[k], "does not belong with \(names[0]): made with \(why)")
            }
        }
        try ShardSpec.checkDisjoint(parts.map(\.shard), completed: parts.map(\.completed), unitName: first.unitName, names: names)
        for (k, part) in parts.enumerated().dropFirst() {
            guard merged.unitsDone + part.unitsDone <= maxUnits else {   // each ≤ maxUnits: no overflow
                throw InputError(file: names[k], "the parts hold more than \(maxUnits) \(first.unitName) together")
            }
            do { try merged.statistics.add(part.statistics) } catch {
                throw InputError(file: names[k], "its statistics overflow when added to the others")
            }
            merged.completed += part.completed
        }
        merged.completed.sort { $0.lowerBound < $1.lowerBound }
        merged.completed = merged.completed.reduce(into: []) { out, r in
            if let last = out.last, last.upperBound == r.lowerBound {
                out[out.count - 1] = last.lowerBound..<r.upperBound
            } else {
                out.append(r)
            }
        }
        merged.shard = nil
        merged.rHatHistory = merged.statistics.rHat.map { [ConvergencePoint(done: merged.unitsDone, value: $0)] } ?? []
        merged.changeHistory = []
        merged.lastCheckValues = nil
        return merged
    }
}
