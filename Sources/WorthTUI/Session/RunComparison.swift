import WorthEngine

/// Two or more runs of the open file set side by side, as the Compare screen shows them: how
/// far each pair agrees (Spearman's ρ over the rows both value, and the overlap of their k
/// lowest rows), and each pair's ranks for a scatter.
struct RunComparison {
    /// The runs compared, in the Runs screen's order.
    let runs: [Run]
    /// The k of the lowest-k overlap: the flagged rows the runs value, else 10% of the rows
    /// every run values (at least 1).
    let k: Int
    /// Whether k is the flagged count.
    let kIsFlagged: Bool
    /// Agreement of runs a and b at `agreement[a][b]` (the diagonal: a run with itself).
    let agreement: [[RankAgreement]]

    /// Whether some row is flipped in one run's experiment and not in another's (their splits
    /// differ): each run's AUROC then measures the finding of other rows.
    let flipsDiffer: Bool

    /// Compares `runs` (at least one) with `flagged` valued rows flagged.
    init(runs: [Run], flagged: Int) {
        self.runs = runs
        let inputs = runs.map(Self.input)
        let common = Consensus(inputs, rule: .meanRank).rows.count
        kIsFlagged = flagged > 0
        let k = flagged > 0 ? flagged : max(1, Int((Double(common) * 0.1).rounded(.up)))
        self.k = k
        agreement = inputs.map { a in inputs.map { b in RankAgreement(a, b, k: k) } }
        var flipped: [Int: Bool] = [:]
        var differ = false
        for r in runs {
            for (i, row) in r.table.sourceRows.enumerated() {
                let f = r.experiment.flipped[i]
                if let seen = flipped[row], seen != f { differ = true }
                flipped[row] = f
            }
        }
        flipsDiffer = differ
    }

    /// A run's values as the engine's comparisons take them.
    static func input(_ r: Run) -> Consensus.Input { Consensus.Input(rows: r.table.sourceRows, values: r.table.values) }

    /// The rows runs `a` and `b` both value, with each one's rank among them (1 = lowest): the
    /// points of the scatter.
    func ranks(_ a: Int, _ b: Int) -> (rows: [Int], x: [Int], y: [Int]) {
        let both = Consensus([Self.input(runs[a]), Self.input(runs[b])], rule: .meanRank).rows
        func ranks(_ r: Run) -> [Int] {
            ascendingRanks(both.map { row in r.table.index(ofSourceRow: row).map { r.table.values[$0] } ?? .nan }).map { $0 ?? 0 }
        }
        return (both, ranks(runs[a]), ranks(runs[b]))
    }

    /// The consensus of the runs: each row's mean rank over them.
    var consensus: Consensus { Consensus(runs.map(Self.input), rule: .meanRank) }
}
