/// The Gelman-Rubin potential scale reduction factor of one row, as OpenDataVal computes it for
/// semivalues: with the contributions split into chains of length m, s = mean within-chain
/// variance, B = m · variance of the chain means, R = sqrt((m − 1)/m + B / (s · m)).
///
/// Written over chain *estimates* so it also covers estimators that are not plain means
/// (Data Banzhaf's difference of two means): B / (s · m) = var(chain estimates) /
/// mean(m_c · Var(estimate_c)), since for a mean Var(estimate_c) = s_c / m_c. Near 1 when the
/// chains agree as well as their own noise predicts.
enum GelmanRubin {
    /// One chain's estimate of a row's value.
    struct Chain {
        /// The chain's estimate.
        var value: Double
        /// Estimated variance of that estimate.
        var variance: Double
        /// Units in the chain.
        var length: Int
    }

    /// R-hat of one row from its chains (at least two, each with a finite estimate and
    /// variance), or nil when that is not yet the case.
    ///
    /// Guarded where OpenDataVal divides 0 by 0: when no chain varies inside (s = 0), chains
    /// that agree exactly count as converged, R = sqrt((m − 1)/m), and chains that disagree give
    /// +∞. Never nan.
    static func statistic(_ chains: [Chain]) -> Double? {
        guard chains.count >= 2, chains.allSatisfy({ $0.length >= 2 && $0.value.isFinite && $0.variance.isFinite }) else {
            return nil
        }
        let k = Double(chains.count)
        let m = chains.reduce(0.0) { $0 + Double($1.length) } / k
        let mean = chains.reduce(0.0) { $0 + $1.value } / k
        let between = chains.reduce(0.0) { $0 + ($1.value - mean) * ($1.value - mean) } / (k - 1)
        let within = chains.reduce(0.0) { $0 + Double($1.length) * $1.variance } / k
        let base = (m - 1) / m
        if within > 0 { return (base + between / within).squareRoot() }
        return between == 0 ? base.squareRoot() : .infinity
    }
}
