/// What a run's saved state records about its input, so that its parts can be checked against
/// each other and its result written without the data file: supplied by the caller.
public struct RunInput: Sendable, Equatable, Codable {
    /// Identifies the data and preparation (file hash, label column, split, noise…); parts with
    /// different fingerprints are never merged or resumed into each other.
    public var fingerprint: String
    /// The input-file row number of each valued row (for writing results after a merge).
    public var sourceRows: [Int]
    /// The class name of each valued row.
    public var labels: [String]
    /// How to write results for the whole input file (held-out rows included), when known.
    public var layout: ResultLayout?

    public init(fingerprint: String, sourceRows: [Int] = [], labels: [String] = [], layout: ResultLayout? = nil) {
        self.fingerprint = fingerprint
        self.sourceRows = sourceRows
        self.labels = labels
        self.layout = layout
    }
}

extension RunInput {
    /// What is wrong with this record for a state of `rows` valued rows, as a phrase; nil when
    /// nothing: one row number and one label per valued row (or none), and a layout that places
    /// every valued row exactly once. Saved states are input: a result is only written from a
    /// record that passed.
    func defect(valuedRows rows: Int) -> String? {
        for (name, count) in [("row numbers", sourceRows.count), ("labels", labels.count)] where count != 0 && count != rows {
            return "\(count) \(name) for \(rows) valued rows"
        }
        guard let layout else { return nil }
        var seen = [Bool](repeating: false, count: rows)
        for (index, row) in layout.rows.enumerated() {
            guard let k = row.valued else { continue }
            guard (0..<rows).contains(k), !seen[k] else {
                return "layout row \(index + 1) points at valued row \(k), not one of 0..<\(rows) used once"
            }
            seen[k] = true
        }
        return seen.allSatisfy({ $0 }) ? nil : "the layout does not place every valued row"
    }

    /// Feeds every field to a state file's checksum, in a fixed order.
    func addFields(to h: inout Fingerprint.Hasher) {
        func optional<T>(_ v: T?, _ write: (T) -> Void) {
            if let v { h.add(integer: 1); write(v) } else { h.add(integer: 0) }
        }
        h.add(text: fingerprint)
        h.add(integer: sourceRows.count)
        for row in sourceRows { h.add(integer: row) }
        h.add(integer: labels.count)
        for label in labels { h.add(text: label) }
        optional(layout) { layout in
            h.add(integer: layout.hasFlips ? 1 : 0)
            h.add(integer: layout.rows.count)
            for row in layout.rows {
                h.add(text: row.label)
                optional(row.valued) { h.add(integer: $0) }
                h.add(text: row.heldOut)
                optional(row.noisyLabel) { h.add(text: $0) }
                optional(row.flipped) { h.add(integer: $0 ? 1 : 0) }
            }
        }
    }
}

/// The method and parameter values a run was made with: parts of a sharded run merge only when
/// theirs are equal, and the merged result is written with them.
public struct RunOrigin: Sendable, Equatable, Codable {
    /// One parameter's value as text, as result files write it.
    public struct Value: Sendable, Equatable, Codable {
        public var name: String
        public var value: String
    }

    /// The method's command-line name (`loo`).
    public var method: String
    /// Every parameter of the method with its value, in the method's order.
    public var parameters: [Value]

    public init(method: String, parameters: [(name: String, value: String)]) {
        self.method = method
        self.parameters = parameters.map { Value(name: $0.name, value: $0.value) }
    }
}

/// How one run relates to other runs of the same valuation: which shard of the work it does,
/// which saved state it continues, where it saves its own.
///
/// Every method is built with one (`MethodDescriptor.make(_:session:)`); a method refuses the
/// settings it cannot use (`MethodDescriptor.sessionSettings`). The default session is a whole
/// run that saves nothing.
public struct RunSession: Sendable {
    /// A setting of a session that a method may or may not support.
    public enum Setting: Sendable, Equatable, CaseIterable {
        /// Saving the state while running (`checkpoint`).
        case checkpoint
        /// Continuing a saved state (`resume`).
        case resume
        /// Running one part of the work (`shard`).
        case shard
        /// Saving the final state (`stateOut`).
        case stateOut

        /// What a method does with it, after "cannot": `save checkpoints`.
        public var action: String {
            switch self {
            case .checkpoint: "save checkpoints"
            case .resume: "resume a saved state"
            case .shard: "run one shard of the work"
            case .stateOut: "save its final state"
            }
        }
    }

    /// What the state records about the input; empty fingerprint when the caller has none.
    public var input: RunInput
    /// Run only this block of the unit budget. Convergence rules do not stop a shard; budgets
    /// of seconds still do.
    public var shard: ShardSpec?
    /// Continue from this state: same method, settings, seed, input and shard.
    public var resume: SemivalueState?
    /// Save the state here every `checkpointInterval` seconds, at the end and on cancellation.
    public var checkpoint: String?
    /// Seconds between checkpoint saves, > 0.
    public var checkpointInterval: Double
    /// Save the final state here (for merging shards).
    public var stateOut: String?
    /// The method (its id) and parameter values that made the run, as the states of the exact
    /// and bagging methods record them (`ShardState`); set by `MethodDescriptor.make`.
    public internal(set) var origin: RunOrigin?

    public init(input: RunInput = RunInput(fingerprint: ""), shard: ShardSpec? = nil,
                resume: SemivalueState? = nil, checkpoint: String? = nil, checkpointInterval: Double = 5,
                stateOut: String? = nil) {
        self.input = input
        self.shard = shard
        self.resume = resume
        self.checkpoint = checkpoint
        self.checkpointInterval = checkpointInterval
        self.stateOut = stateOut
    }

    /// The settings this session uses, in `Setting.allCases` order.
    public var settings: [Setting] {
        Setting.allCases.filter {
            switch $0 {
            case .checkpoint: checkpoint != nil
            case .resume: resume != nil
            case .shard: shard != nil
            case .stateOut: stateOut != nil
            }
        }
    }
}
