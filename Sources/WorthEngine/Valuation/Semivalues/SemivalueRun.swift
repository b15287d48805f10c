/// The input a run's state records so its parts can be checked and its result written without
/// the data file: supplied by the caller.
public struct SemivalueInput: Sendable, Equatable, Codable {
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

/// How one invocation of a Monte Carlo semivalue relates to other invocations: which shard it
/// runs, which state it resumes, where it saves its state.
public struct SemivalueRun: Sendable {
    /// What the state records about the input; empty fingerprint when the caller has none.
    public var input: SemivalueInput
    /// Run only this block of the unit budget (`--shard K/N`). Convergence rules do not stop a
    /// shard; budgets of seconds still do.
    public var shard: ShardSpec?
    /// Continue from this state (`--resume PATH`): same method, settings, seed, input and shard.
    public var resume: SemivalueState?
    /// Save the state here every `checkpointInterval` seconds, at the end and on cancellation
    /// (`--checkpoint PATH`).
    public var checkpoint: String?
    /// Seconds between checkpoint saves, > 0.
    public var checkpointInterval: Double
    /// Save the final state here (`--state-out PATH`), for `worth merge`.
    public var stateOut: String?

    public init(input: SemivalueInput = SemivalueInput(fingerprint: ""), shard: ShardSpec? = nil,
                resume: SemivalueState? = nil, checkpoint: String? = nil, checkpointInterval: Double = 5,
                stateOut: String? = nil) {
        self.input = input
        self.shard = shard
        self.resume = resume
        self.checkpoint = checkpoint
        self.checkpointInterval = checkpointInterval
        self.stateOut = stateOut
    }
}
