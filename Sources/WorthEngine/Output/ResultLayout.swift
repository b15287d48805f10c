/// What a result file needs to know about the user's file, apart from the values: for every
/// data row its label, whether it was valued (and as which valued row) or why not, and the
/// experiment's label flips. `Codable` so that a saved run state can write results without the
/// data file (`worth merge`).
public struct ResultLayout: Sendable, Equatable, Codable {
    /// One data row of the file.
    public struct Row: Sendable, Equatable, Codable {
        /// The label as written in the file (empty for a row left out for a missing label).
        public var label: String
        /// Index into the valued rows (the estimate's order), nil when held out.
        public var valued: Int?
        /// Empty when valued, else why not: `validation`, `test`, `missing`.
        public var heldOut: String
        /// With flips: the label the method saw.
        public var noisyLabel: String?
        /// With flips: whether the label was flipped.
        public var flipped: Bool?
    }

    /// Every data row of the file, in file order (row r is `rows[r − 1]`).
    public var rows: [Row]
    /// Whether the experiment flipped labels (the output then has its two columns).
    public var hasFlips: Bool

    /// A layout of the given rows.
    public init(rows: [Row], hasFlips: Bool) {
        self.rows = rows
        self.hasFlips = hasFlips
    }

    /// The layout of `experiment`'s file.
    public init(experiment: Experiment) {
        let data = experiment.source.dataset
        let names = experiment.classNames
        var labelOfSourceRow = [Int: Int]()
        for (i, r) in data.sourceRows.enumerated() { labelOfSourceRow[r] = data.labels[i] }
        let hasFlips = experiment.options.flipFraction > 0
        self.hasFlips = hasFlips
        rows = experiment.roles.enumerated().map { index, role in
            var row = Row(label: labelOfSourceRow[index + 1].map { names[$0] } ?? "", valued: nil,
                          heldOut: role.heldOutText, noisyLabel: nil, flipped: nil)
            if case .valued(let k) = role {
                row.valued = k
                if hasFlips {
                    row.flipped = experiment.flipped[k]
                    row.noisyLabel = names[experiment.problem.trainLabels[k]]
                }
            }
            return row
        }
    }
}
