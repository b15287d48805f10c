/// Backtracking line search shared by the Newton and L-BFGS minimisers.
///
/// Accepts the first step t = 1, ½, ¼, … satisfying Armijo's sufficient decrease
/// f(x + t·d) ≤ f(x) + 10⁻⁴·t·∇f(x)ᵀd. Near a minimum the decrease a good step buys falls
/// below the rounding noise of f (an average over many rows), where Armijo's test is a coin
/// toss; there, a step that leaves f unchanged to within that noise is accepted when it lowers
/// the gradient norm, which is still a faithful measure of progress.
enum LineSearch {
    /// Signature of an objective: writes ∇f(x) into the second buffer and returns f(x).
    typealias Objective = (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Double

    /// Tries steps along `direction` from `x`. On success `x`, `value` and `gradient` hold the
    /// accepted point; `trial` and `trialGradient` are scratch of the same count. Returns false
    /// (leaving `x` unchanged) when no step helps: `direction` is not a descent direction or
    /// the point is already optimal to working precision.
    static func backtrack(x: inout [Double], value: inout Double, gradient: inout [Double],
                          direction: [Double], trial: inout [Double], trialGradient: inout [Double],
                          objective: Objective) -> Bool {
        let n = x.count
        var slope = 0.0, gradientNormSquared = 0.0
        for j in 0..<n {
            slope += gradient[j] * direction[j]
            gradientNormSquared += gradient[j] * gradient[j]
        }
        guard slope < 0 else { return false }
        let noise = 1e-12 * (1 + abs(value))
        var t = 1.0
        for _ in 0..<60 {
            for j in 0..<n { trial[j] = x[j] + t * direction[j] }
            let f = trial.withUnsafeBufferPointer { tp in
                trialGradient.withUnsafeMutableBufferPointer { objective(tp, $0) }
            }
            if f.isFinite {
                var accepted = f <= value + 1e-4 * t * slope
                if !accepted && f <= value + noise {
                    var trialNormSquared = 0.0
                    for j in 0..<n { trialNormSquared += trialGradient[j] * trialGradient[j] }
                    accepted = trialNormSquared < gradientNormSquared
                }
                if accepted {
                    swap(&x, &trial)
                    swap(&gradient, &trialGradient)
                    value = f
                    return true
                }
            }
            t *= 0.5
        }
        return false
    }
}
