/// The running root mean square of DVRL's rewards, which the policy-gradient step divides
/// them by.
///
/// SelectionLoss adds REINFORCE's term, proportional to the reward, to a penalty of fixed weight
/// (10³ on the mean selection probability). Raw rewards are differences of validation scores,
/// whose size depends on the utility, the data and the batch (log-loss differences of about 0.03
/// on a 5,000-row synthetic set), so the balance between the two terms did too: there the
/// penalty's gradient was ~65× REINFORCE's per row, and each time the mean probability touched
/// 0.9 the penalty's gradient (~10³ against ~0.3 for REINFORCE's) filled Adam's second moment,
/// after which REINFORCE's steps were tens of times too small to move the estimator for the rest
/// of the run, and momentum carried the spike into steps that switched off the networks' ReLUs
/// (one value for every row). Dividing by the
/// RMS puts REINFORCE's term at a fixed scale (about 1 per row) whatever the utility's units.
///
/// The mean square is the plain average of r² over the first `window` rewards, then an
/// exponential average with that window: a short history of small rewards followed by a large
/// one (an exponential average seeded from the first reward alone) gave steps of 8× the scale
/// and a collapse on one or two seeds of eight.
struct RewardScale: Sendable {
    /// Rewards the running average spans once it is warm.
    let window: Int
    /// Rewards seen so far.
    private(set) var count = 0
    /// Running mean of r².
    private(set) var meanSquare = 0.0

    init(window: Int = 100) {
        precondition(window >= 1)
        self.window = window
    }

    /// Takes `reward` into the running mean square, then returns it divided by the running RMS
    /// (0 while every reward so far is 0).
    mutating func normalize(_ reward: Double) -> Double {
        count += 1
        let rate = 1 / Double(min(count, window))
        meanSquare += (reward * reward - meanSquare) * rate
        return meanSquare > 0 ? reward / meanSquare.squareRoot() : 0
    }
}
