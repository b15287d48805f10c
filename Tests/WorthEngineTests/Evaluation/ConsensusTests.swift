import Testing
@testable import WorthEngine

/// The consensus of several runs and the agreement of two, against answers worked by hand.
@Suite struct ConsensusTests {
    // Run A values rows 1–5 (row 5 without a value), run B rows 2–6: both value rows 2, 3, 4.
    // Over those rows A ranks 3, 2, 4 as 1, 2, 3 and B ranks 3, 4, 2 as 1, 2, 3.
    static let a = Consensus.Input(rows: [1, 2, 3, 4, 5], values: [0.1, 0.5, 0.3, 0.9, .nan])
    static let b = Consensus.Input(rows: [2, 3, 4, 5, 6], values: [5, 1, 3, 2, 0])

    @Test func meanRankOverTheRowsEveryRunValues() {
        let c = Consensus([Self.a, Self.b], rule: .meanRank)
        #expect(c.rows == [2, 3, 4])
        #expect(c.values == [2.5, 1, 2.5])
        #expect(c.meanRanks == c.values)
        #expect(c.spread == [0.5, 0, 0.5])
        #expect(c.k == 1)                     // 10% of 3 rows, at least one
        #expect(c.votes == [0, 2, 0])         // only row 3 is in both runs' lowest one
    }

    /// Votes: runs not putting the row among their k lowest, then the mean rank in [0, 1).
    @Test func votesCountTheRunsThatPutARowLow() {
        let c = Consensus([Self.a, Self.b], rule: .votes(2))
        #expect(c.k == 2)
        // Lowest two: A {3, 2}, B {3, 4}. Row 2: one vote, mean rank 2.5; row 3: two, 1; row 4: one, 2.5.
        #expect(c.votes == [1, 2, 1])
        let expected: [Double] = [1.5, 0, 1.5]   // 1 + (2.5 − 1) / 3
        #expect(c.values == expected)
    }

    /// One run: the consensus is its own ranking; a run with ties keeps them in row order.
    @Test func oneRunIsItsOwnRanking() {
        let c = Consensus([Consensus.Input(rows: [4, 7, 9], values: [2, 1, 2])], rule: .meanRank)
        #expect(c.rows == [4, 7, 9])
        #expect(c.values == [2, 1, 3])
        #expect(c.spread == [0, 0, 0])
    }

    @Test func agreementOfTwoRuns() {
        let g = RankAgreement(Self.a, Self.b, k: 2)
        #expect(g.common == 3)
        // Mid-ranks A (rows 2, 3, 4) = 2, 1, 3; B = 3, 1, 2: deviations (0, −1, 1) and (1, −1, 0).
        #expect(abs(g.spearman - 0.5) < 1e-15)
        #expect(g.k == 2 && g.overlap == 1)   // A's lowest {3, 2}, B's {3, 4}
        #expect(RankAgreement(Self.a, Self.a, k: 5).spearman == 1)
        #expect(RankAgreement(Self.a, Self.a, k: 5).k == 4)   // at most the common rows
    }

    @Test func spearmanUsesMidRanksForTies() {
        // Mid-ranks (1.5, 1.5, 3) and (1, 2, 3): ρ = 1.5 / √(1.5 · 2).
        #expect(abs(RankAgreement.spearman([1, 1, 2], [1, 2, 3]) - 1.5 / 3.0.squareRoot()) < 1e-15)
        #expect(RankAgreement.spearman([1, 2, 3], [3, 2, 1]) == -1)
        #expect(RankAgreement.spearman([1, 1], [1, 2]).isNaN)
        #expect(RankAgreement.spearman([1], [1]).isNaN)
    }
}
