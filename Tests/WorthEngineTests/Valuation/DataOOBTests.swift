import Foundation
import Testing
@testable import WorthEngine

@Suite struct DataOOBTests {
    /// Two Gaussian classes in 4 dimensions (means ±1 on every feature), 10% of the labels
    /// flipped; returns the problem and the flipped rows.
    static func twoGaussians(n: Int = 200, workers: Int = 1, seed: UInt64 = 3) -> (ValuationProblem, [Int]) {
        var g = SeededGenerator(seed: 77)
        var x = [Double](), labels = [Int]()
        for _ in 0..<n {
            let y = g.nextInt(below: 2)
            labels.append(y)
            for _ in 0..<4 {
                let u = max(g.nextUnit(), 1e-300), v = g.nextUnit()
                x.append((-2 * log(u)).squareRoot() * cos(2 * Double.pi * v) + (y == 1 ? 1 : -1))
            }
        }
        let flipped = LabelNoise.flip(&labels, fraction: 0.1, classCount: 2, seed: 5)
        let problem = ValuationProblem(train: Matrix(rows: n, columns: 4, storage: x), trainLabels: labels,
                                       validation: Matrix(rows: 0, columns: 4), validationLabels: [],
                                       classCount: 2, seed: seed, workers: workers)
        return (problem, flipped)
    }

    /// AUROC of "lower value = flipped": the chance that a flipped row is valued below a clean
    /// one (ties count half), by comparing every pair.
    static func auroc(values: [Double], flipped: [Int]) -> Double {
        let isFlipped = Set(flipped)
        var wins = 0.0, pairs = 0.0
        for f in flipped {
            for c in 0..<values.count where !isFlipped.contains(c) {
                pairs += 1
                if values[f] < values[c] { wins += 1 } else if values[f] == values[c] { wins += 0.5 }
            }
        }
        return wins / pairs
    }

    @Test func ranksFlippedRowsLow() async throws {
        let (problem, flipped) = Self.twoGaussians()
        let result = try await DataOOB(trees: 100).finalUpdate(problem)
        #expect(result.stop == .completed)
        #expect(result.done == 100)
        #expect(!result.estimate.values.contains { $0.isNaN })
        // Chance is 0.5; the classes overlap little, so flipped rows should be found clearly.
        let score = Self.auroc(values: result.estimate.values, flipped: flipped)
        #expect(score > 0.85, "AUROC \(score)")
    }

    @Test func equalsTheFormulaOnReplayedBags() async throws {
        let (problem, _) = Self.twoGaussians(n: 120)
        // 100 trees make batches of 2, so a worker's scratch is reused from tree to tree.
        let trees = 100
        #expect(DataOOB(trees: trees).treesPerChunk(rows: 120) == 2)
        let result = try await DataOOB(trees: trees, maxDepth: 6).finalUpdate(problem)

        // Replay: bag b is n draws from generator (seed, b); the same generator then drives the
        // tree's feature draws. Predictions go through the raw-threshold path.
        let n = problem.count
        var outOfBag = [Int](repeating: 0, count: n), correct = [Int](repeating: 0, count: n)
        let binned = BinnedFeatures(fitting: problem.train)
        let grower = TreeGrower(featureCount: 4, classCount: 2, rows: n)
        for b in 0..<trees {
            var g = SeededGenerator(seed: problem.seed, stream: UInt64(b))
            var bag = BootstrapSample(rows: n)
            for _ in 0..<n { bag.add(g.nextInt(below: n)) }
            var tree = DecisionTree(classCount: 2, maxDepth: 6, generator: g)
            tree.fit(binned: binned, labels: problem.trainLabels, bag: bag, grower: grower)
            let oob = (0..<n).filter { bag.count(of: $0) == 0 }
            for (i, predicted) in zip(oob, tree.predict(problem.train, rows: oob)) {
                outOfBag[i] += 1
                if predicted == problem.trainLabels[i] { correct[i] += 1 }
            }
        }
        let expected = (0..<n).map { outOfBag[$0] > 0 ? Double(correct[$0]) / Double(outOfBag[$0]) : .nan }
        let errors = (0..<n).map { (expected[$0] * (1 - expected[$0]) / Double(outOfBag[$0])).squareRoot() }
        #expect(result.estimate.values.elementsEqual(expected) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(result.estimate.standardErrors!.elementsEqual(errors) { abs($0 - $1) < 1e-15 || ($0.isNaN && $1.isNaN) })
        #expect(result.estimate.extraColumns[0].values == outOfBag.map(Double.init))
        #expect(result.estimate.extraColumns.map(\.name) == ["oob_count"])
    }

    @Test func logisticModelEqualsExplicitRefits() async throws {
        let (problem, flipped) = Self.twoGaussians(n: 80)
        let trees = 12
        let result = try await DataOOB(trees: trees, model: .logistic).finalUpdate(problem)
        #expect(result.unit == "models")
        // Each bag refitted from scratch through the public API, its rows repeated as drawn.
        let n = problem.count
        var outOfBag = [Int](repeating: 0, count: n), correct = [Int](repeating: 0, count: n)
        for b in 0..<trees {
            var g = SeededGenerator(seed: problem.seed, stream: UInt64(b))
            let bag = (0..<n).map { _ in g.nextInt(below: n) }
            var model = LogisticRegression(classCount: 2)
            model.fit(problem.train, labels: problem.trainLabels, rows: bag)
            let oob = (0..<n).filter { !bag.contains($0) }
            for (i, predicted) in zip(oob, model.predict(problem.train, rows: oob)) {
                outOfBag[i] += 1
                if predicted == problem.trainLabels[i] { correct[i] += 1 }
            }
        }
        let expected = (0..<n).map { outOfBag[$0] > 0 ? Double(correct[$0]) / Double(outOfBag[$0]) : .nan }
        #expect(result.estimate.values.elementsEqual(expected) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        // A linear model suits two Gaussians: the flipped rows are almost all out-predicted.
        let defined = (0..<n).filter { !expected[$0].isNaN }
        let score = Self.auroc(values: defined.map { expected[$0] }, flipped: flipped.compactMap { defined.firstIndex(of: $0) })
        #expect(score > 0.85, "AUROC \(score)")
    }

    @Test func sameValuesOnOneOrTwoWorkers() async throws {
        let one = try await DataOOB(trees: 40).finalUpdate(Self.twoGaussians(workers: 1).0)
        let two = try await DataOOB(trees: 40).finalUpdate(Self.twoGaussians(workers: 2).0)
        #expect(one.estimate.values.elementsEqual(two.estimate.values) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(one.estimate.extraColumns == two.estimate.extraColumns)
        #expect(one.convergence == two.convergence)
        // The change series has a point per merged batch after the first, and settles.
        let history = one.convergence[0].history
        #expect(history.count >= 2)
        #expect(history.map(\.done) == history.map(\.done).sorted())
        #expect(history.last!.value < history.first!.value)
    }

    @Test func rowsNeverOutOfBagAreNaN() async throws {
        let (problem, _) = Self.twoGaussians(n: 50)
        let result = try await DataOOB(trees: 1).finalUpdate(problem)
        var g = SeededGenerator(seed: problem.seed, stream: 0)
        var inBag = Set<Int>()
        for _ in 0..<50 { inBag.insert(g.nextInt(below: 50)) }
        for i in 0..<50 {
            let value = result.estimate.values[i]
            #expect(value.isNaN == inBag.contains(i))
            if !value.isNaN { #expect(value == 0 || value == 1) }
            #expect(result.estimate.extraColumns[0].values[i] == (inBag.contains(i) ? 0 : 1))
        }
    }

    @Test func degenerateInputsGiveAnswersNotTraps() async throws {
        func problem(_ x: Matrix, _ labels: [Int], classes: Int) -> ValuationProblem {
            ValuationProblem(train: x, trainLabels: labels, validation: Matrix(rows: 0, columns: x.columns),
                             validationLabels: [], classCount: classes, seed: 1, workers: 2)
        }
        // No features: every tree is one leaf predicting its bag's majority class.
        let labels = [0, 0, 0, 0, 0, 0, 0, 1]
        let none = try await DataOOB(trees: 30).finalUpdate(problem(Matrix(rows: 8, columns: 0), labels, classes: 2))
        #expect(none.stop == .completed)
        #expect(none.estimate.values[7] < 0.5 && none.estimate.values[0] > 0.5)
        // One row is in every bag: it never gets a value.
        let one = try await DataOOB(trees: 5).finalUpdate(problem(Matrix(rows: 1, columns: 2), [0], classes: 1))
        #expect(one.estimate.values[0].isNaN && one.estimate.extraColumns[0].values == [0])
        // Constant features and one class: nothing to split, every prediction right.
        let flat = try await DataOOB(trees: 20).finalUpdate(problem(Matrix(rows: 6, columns: 3, repeating: 2), [0, 0, 0, 0, 0, 0], classes: 1))
        #expect(flat.estimate.values.allSatisfy { $0 == 1 })
    }

    @Test func cancellationReturnsTheEstimateSoFar() async throws {
        let (problem, _) = Self.twoGaussians(workers: 2)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ValuationUpdate.self)
        let reporter = ProgressReporter(continuation: continuation)
        // 100,000 trees would take minutes in a debug build; cancel once some are merged.
        let run = Task { try await DataOOB(trees: 100_000).execute(problem, reporter: reporter) }
        for try await update in stream where update.done > 0 { break }
        run.cancel()
        let final = try await run.value
        #expect(final.stop == .cancelled)
        #expect(final.done > 0 && final.done < 100_000)
        #expect(final.estimate.extraColumns[0].values.reduce(0, +) > 0)
    }

    @Test func catalogEntryMapsZeroToDefaults() throws {
        let method = try #require(MethodCatalog.method("data-oob"))
        #expect(!method.needsValidation)
        var p = method.defaults
        #expect(p[DataOOB.trees] == 1000)
        try p.set("max-depth", "4")
        let made = try #require(try method.make(p) as? DataOOB)
        #expect(made.maxDepth == 4 && made.maxFeatures == nil && made.model == .tree)
        #expect(throws: InputError.self) { try p.set("model", "svm") }
    }
}
