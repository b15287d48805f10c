import Foundation
import Synchronization
@testable import WorthEngine

/// A deterministic cooperative game on a few rows: a concave sum plus pairwise synergies and a
/// penalty for crowds, so marginal contributions depend on the subset and on its size.
struct GameUtility: Utility {
    let weights: [Double]
    /// Counts `score` calls across copies (copies share it).
    let calls = Calls()

    init(count: Int) {
        weights = (0..<count).map { (i: Int) -> Double in
            let spread = 0.1 * Double((i * 5) % count) / Double(count)
            return 0.15 + spread - (i == 1 ? 0.3 : 0)
        }
    }

    var count: Int { weights.count }
    var emptyScore: Double { 0.1 }
    var identity: String { "game" }

    /// U(S), for any subset (also the empty one); order does not matter.
    func value(_ rows: [Int]) -> Double {
        guard !rows.isEmpty else { return emptyScore }
        let total = rows.reduce(0.0) { $0 + weights[$1] }
        var synergy = 0.0
        for a in rows { for b in rows where a < b && (a + b) % 3 == 0 { synergy += 0.02 } }
        return emptyScore + (total >= 0 ? total.squareRoot() : -(-total).squareRoot()) + synergy - (rows.count >= 5 ? 0.05 : 0)
    }

    mutating func score(_ rows: [Int]) -> Double {
        calls.increment()
        return value(rows)
    }
}

/// A call counter shared by the copies of a utility.
final class Calls: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The game, but once `limit` subsets have been scored every later call takes a millisecond, so a
/// test can cancel a run long before it could finish (without blocking a thread for good: the
/// cooperative pool may have only two).
struct SlowedUtility: Utility {
    var game: GameUtility
    let limit: Int

    var count: Int { game.count }
    var emptyScore: Double { game.emptyScore }
    var identity: String { game.identity }

    mutating func score(_ rows: [Int]) -> Double {
        if game.calls.value >= limit { usleep(1000) }
        return game.score(rows)
    }
}

/// A problem with `count` valued rows and no real data, for utilities that ignore the data.
func placeholderProblem(count: Int, seed: UInt64 = 11, workers: Int = 2) -> ValuationProblem {
    ValuationProblem(train: Matrix(rows: count, columns: 1), trainLabels: Array(repeating: 0, count: count),
                     validation: Matrix(rows: 0, columns: 1), validationLabels: [], classCount: 2,
                     seed: seed, workers: workers)
}

/// The exact semivalue of every row by enumerating all subsets: Σ_S w(|S|) [U(S ∪ i) − U(S)]
/// with `subsetWeight(k, n)` the weight of one subset of size k.
func exactSemivalues(count n: Int, subsetWeight: (Int, Int) -> Double, utility: ([Int]) -> Double) -> [Double] {
    let scores = (0..<(1 << n)).map { mask in utility((0..<n).filter { mask & (1 << $0) != 0 }) }
    return (0..<n).map { i in
        var total = 0.0
        for mask in 0..<(1 << n) where mask & (1 << i) == 0 {
            total += subsetWeight(mask.nonzeroBitCount, n) * (scores[mask | (1 << i)] - scores[mask])
        }
        return total
    }
}

/// Closed-form subset weights, written independently of the engine: Shapley k!(n−1−k)!/n!,
/// Beta(α, β) B(k+β, n−1−k+α)/B(α, β) with Γ from the C library, Banzhaf 2^−(n−1).
enum ClosedForm {
    static func shapley(_ k: Int, _ n: Int) -> Double {
        tgamma(Double(k + 1)) * tgamma(Double(n - k)) / tgamma(Double(n + 1))
    }

    static func beta(alpha: Double, beta: Double) -> (Int, Int) -> Double {
        { k, n in betaFunction(Double(k) + beta, Double(n - 1 - k) + alpha) / betaFunction(alpha, beta) }
    }

    static func banzhaf(_ k: Int, _ n: Int) -> Double { pow(0.5, Double(n - 1)) }

    static func betaFunction(_ a: Double, _ b: Double) -> Double { tgamma(a) * tgamma(b) / tgamma(a + b) }

    static func choose(_ n: Int, _ k: Int) -> Double {
        (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) }
    }
}

/// Runs a valuation body directly (not through a stream) and returns its final update.
func runDirectly(_ body: @escaping @Sendable (ProgressReporter) async throws -> ValuationUpdate) async throws -> ValuationUpdate {
    let (_, continuation) = AsyncThrowingStream.makeStream(of: ValuationUpdate.self, bufferingPolicy: .bufferingNewest(1))
    return try await body(ProgressReporter(continuation: continuation))
}

/// A nearest-centroid classifier for tests: probabilities from a softmax of minus squared
/// distances to the centroids of the classes seen in the fit; unseen classes get probability 0,
/// no rows give uniform probabilities. Counts its fits (a value: copies count separately).
struct NearestCentroid: Classifier {
    let classCount: Int
    var centroids: [[Double]?] = []
    var fits = 0

    init(classCount: Int) { self.classCount = classCount }

    mutating func fit(_ x: Matrix, labels: [Int], rows: [Int]) {
        fits += 1
        var sums = [[Double]](repeating: Array(repeating: 0, count: x.columns), count: classCount)
        var counts = [Int](repeating: 0, count: classCount)
        for r in rows {
            counts[labels[r]] += 1
            for j in 0..<x.columns { sums[labels[r]][j] += x[r, j] }
        }
        centroids = (0..<classCount).map { c in counts[c] == 0 ? nil : sums[c].map { $0 / Double(counts[c]) } }
    }

    func predictProbabilities(_ x: UnsafeBufferPointer<Double>, into p: UnsafeMutableBufferPointer<Double>) {
        var total = 0.0
        for c in 0..<classCount {
            if c < centroids.count, let centre = centroids[c] {
                var d = 0.0
                for j in 0..<x.count { d += (x[j] - centre[j]) * (x[j] - centre[j]) }
                p[c] = exp(-d)
            } else {
                p[c] = centroids.isEmpty || centroids.allSatisfy({ $0 == nil }) ? 1 : 0
            }
            total += p[c]
        }
        for c in 0..<classCount { p[c] = total > 0 ? p[c] / total : 1 / Double(classCount) }
    }
}

/// Three classes on one feature, 6 valued rows and 9 validation rows.
func tinyClassificationProblem(seed: UInt64 = 5, workers: Int = 2) -> ValuationProblem {
    let train = Matrix(rows: 6, columns: 1, storage: [-1.1, -0.8, 0.1, 0.2, 1.0, -0.95])
    let validation = Matrix(rows: 9, columns: 1, storage: [-1, -0.9, -1.2, 0, 0.15, -0.1, 1.1, 0.9, 1.3])
    return ValuationProblem(train: train, trainLabels: [0, 0, 1, 1, 2, 2], validation: validation,
                            validationLabels: [0, 0, 0, 1, 1, 1, 2, 2, 2], classCount: 3, seed: seed, workers: workers)
}
