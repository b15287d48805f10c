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
