import Foundation
import Testing
@testable import WorthEngine

@Suite struct InfluenceFunctionTests {
    static func problem(n: Int = 60, validation: Int = 40, classes: Int = 2, d: Int = 3, workers: Int = 1,
                        flips: [Int] = [], separation: Double = 0.8, seed: UInt64 = 41) -> ValuationProblem {
        let (x, y) = LinearFixtures.blobs(n: n + validation, d: d, classes: classes, separation: separation, seed: seed)
        var labels = Array(y[0..<n])
        for i in flips { labels[i] = (labels[i] + 1) % classes }
        return ValuationProblem(train: x.selecting(rows: Array(0..<n)), trainLabels: labels,
                                validation: x.selecting(rows: Array(n..<(n + validation))),
                                validationLabels: Array(y[n...]), classCount: classes, seed: 3, workers: workers)
    }

    /// x with A·x = b by Gaussian elimination with partial pivoting (dense reference).
    static func denseSolve(_ a: [Double], _ b: [Double]) -> [Double] {
        let n = b.count
        var m = a, x = b
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0 * n + col]) < abs(m[$1 * n + col]) }!
            if pivot != col {
                for j in 0..<n { m.swapAt(col * n + j, pivot * n + j) }
                x.swapAt(col, pivot)
            }
            for r in (col + 1)..<n {
                let f = m[r * n + col] / m[col * n + col]
                for j in col..<n { m[r * n + j] -= f * m[col * n + j] }
                x[r] -= f * x[col]
            }
        }
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = x[r]
            for j in (r + 1)..<n { s -= m[r * n + j] * x[j] }
            x[r] = s / m[r * n + r]
        }
        return x
    }

    /// Features no standardisation brought into range (a validation row at 1e308) make the
    /// logistic regression's arithmetic overflow: the run says so instead of "completing" with
    /// empty values. Self-influence refuses non-finite values the same way.
    @Test func overflowingFeaturesAreRefusedNotReportedAsEmptyValues() async throws {
        var huge = Self.problem(n: 20, validation: 10)
        for j in 0..<huge.validation.columns { huge.validation[0, j] = j == 0 ? 1.7e308 : -1.7e308 }
        await #expect(throws: InputError.self) { _ = try await InfluenceFunction().finalUpdate(huge) }
        var broken = Self.problem(n: 20, validation: 10)
        broken.train[3, 0] = .nan
        await #expect(throws: InputError.self) { _ = try await InfluenceFunction(kind: .selfInfluence).finalUpdate(broken) }
        // Clean data still gets every value.
        let values = try await InfluenceFunction().finalUpdate(Self.problem(n: 20, validation: 10)).estimate.values
        #expect(values.allSatisfy { $0.isFinite })
    }

    @Test func validationGradientMatchesFiniteDifferences() {
        let problem = Self.problem(classes: 3)
        let model = InfluenceFunction.fittedModel(problem)
        let rows = [0, 3, 7, 8]
        let analytic = InfluenceFunction.validationGradient(model, problem, rows: rows)
        let loss = SoftmaxObjective(x: problem.validation, labels: problem.validationLabels, rows: rows, classCount: 3,
                                    regularization: 0)
        var scratch = [Double](repeating: 0, count: model.parameters.count)
        func summedLoss(_ theta: [Double]) -> Double {
            Double(rows.count) * theta.withUnsafeBufferPointer { t in scratch.withUnsafeMutableBufferPointer { loss.valueAndGradient(t, $0) } }
        }
        for k in 0..<model.parameters.count {
            var plus = model.parameters, minus = model.parameters
            plus[k] += 1e-5
            minus[k] -= 1e-5
            #expect(abs((summedLoss(plus) - summedLoss(minus)) / 2e-5 - analytic[k]) < 1e-7)
        }
    }

    @Test func hessianProductsAndSolvesMatchADenseReference() {
        let problem = Self.problem(classes: 3, d: 4)
        let model = InfluenceFunction.fittedModel(problem)
        let p = model.parameters.count
        let damping = 0.05
        var dense = model.hessian(problem.train, rows: problem.allRows)
        for i in 0..<p { dense[i * p + i] += damping }
        var g = SeededGenerator(seed: 5)
        let b = (0..<p).map { _ in LinearFixtures.gaussian(&g) }
        // Hessian-vector products and the diagonal from cached probabilities.
        let objective = model.objective(problem.train, labels: problem.trainLabels, rows: problem.allRows)
        let probabilities = model.parameters.withUnsafeBufferPointer { objective.rowProbabilities($0) }
        var product = [Double](repeating: 0, count: p)
        b.withUnsafeBufferPointer { v in product.withUnsafeMutableBufferPointer {
            objective.hessianVectorProduct(probabilities: probabilities, damping: damping, v, into: $0)
        } }
        let expected = (0..<p).map { i in (0..<p).map { dense[i * p + $0] * b[$0] }.reduce(0, +) }
        #expect(LinearFixtures.maxAbsDifference(product, expected) < 1e-12)
        #expect(LinearFixtures.maxAbsDifference(objective.hessianDiagonal(probabilities: probabilities, damping: damping),
                                                (0..<p).map { dense[$0 * p + $0] }) < 1e-12)
        let reference = Self.denseSolve(dense, b)
        let quadratic = zip(b, reference).map { $0 * $1 }.reduce(0, +)
        for method in [HessianInverse.Method.cholesky, .conjugateGradient] {
            let inverse = HessianInverse(model: model, x: problem.train, labels: problem.trainLabels,
                                         rows: problem.allRows, damping: damping, method: method)
            #expect(inverse.method == method)
            #expect(LinearFixtures.maxAbsDifference(inverse.solve(b), reference) < 1e-8)
            var copy = b
            let form = copy.withUnsafeMutableBufferPointer { inverse.quadraticForm($0) }
            #expect(abs(form - quadratic) < 1e-8 * abs(quadratic))
        }
    }

    /// Predicted changes against LOO retraining, which reports the change of the mean validation
    /// loss (influence: of the sum) and refits with weights 1/(n−1), shifting every row alike.
    static func compareWithRetraining(_ problem: ValuationProblem) async throws -> (pearson: Double, slope: Double) {
        let predicted = try await InfluenceFunction().finalUpdate(problem).estimate.values
        let actual = try await LeaveOneOut().finalUpdate(problem).estimate.values.map { $0 * Double(problem.validation.rows) }
        let r = LinearFixtures.pearson(predicted, actual)
        return (r, r * Self.deviation(actual) / Self.deviation(predicted))
    }

    @Test func predictsLeaveOneOutRetraining() async throws {
        // 100 rows, 3 features, 8 parameters: a well-conditioned first-order regime.
        let clean = try await Self.compareWithRetraining(Self.problem(n: 100))
        #expect(clean.pearson >= 0.95)
        // The regression slope of actual on predicted is near 1 (a first-order approximation).
        #expect(clean.slope > 0.8 && clean.slope < 1.25)
        // Flipped rows are high-leverage outliers, yet the agreement holds.
        let noisy = try await Self.compareWithRetraining(Self.problem(n: 100, flips: [2, 11]))
        #expect(noisy.pearson >= 0.95)
    }

    @Test func reportsTheHessianMethodInThePhase() async throws {
        let final = try await InfluenceFunction().finalUpdate(Self.problem())
        #expect(final.phase == HessianInverse.describe(.cholesky, parameterCount: 8))
        #expect(final.stop == .completed && final.done == 60 && final.unit == "rows")
    }

    static func deviation(_ v: [Double]) -> Double {
        let mean = v.reduce(0, +) / Double(v.count)
        return (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot()
    }

    @Test func choleskyAndConjugateGradientGiveTheSameValues() async throws {
        let problem = Self.problem(classes: 3, d: 4, flips: [5])
        for kind in [InfluenceFunction.Kind.validationLoss, .selfInfluence] {
            var exact = InfluenceFunction(kind: kind, damping: 0.01)
            exact.method = .cholesky
            var iterative = exact
            iterative.method = .conjugateGradient
            let a = try await exact.finalUpdate(problem), b = try await iterative.finalUpdate(problem)
            #expect(LinearFixtures.maxAbsDifference(a.estimate.values, b.estimate.values) < 1e-9)
            #expect(b.phase == HessianInverse.describe(.conjugateGradient, parameterCount: 15))
        }
    }

    @Test func selfInfluenceIsTheNegatedQuadraticFormAndFlagsFlippedRows() async throws {
        let problem = Self.problem(n: 80, validation: 0, flips: [3, 30, 57], separation: 2)
        let final = try await InfluenceFunction(kind: .selfInfluence).finalUpdate(problem)
        let model = InfluenceFunction.fittedModel(problem)
        let p = model.parameters.count
        let dense = model.hessian(problem.train, rows: problem.allRows)
        var gradient = [Double](repeating: 0, count: p)
        for i in [0, 3, 41] {
            gradient.withUnsafeMutableBufferPointer { model.rowLossGradient(problem.train, labels: problem.trainLabels, row: i, into: $0) }
            let expected = zip(gradient, Self.denseSolve(dense, gradient)).map { $0 * $1 }.reduce(0, +)
            #expect(abs(final.estimate.values[i] + expected) < 1e-10)
        }
        let column = try #require(final.estimate.extraColumns.first { $0.name == "self_influence" })
        #expect(column.values == final.estimate.values.map { -$0 })
        // The three flipped rows are among the five lowest values.
        let lowest = Set(final.estimate.values.indices.sorted { final.estimate.values[$0] < final.estimate.values[$1] }.prefix(5))
        #expect(lowest.isSuperset(of: [3, 30, 57]))
    }

    @Test func explanationRanksRowsByInfluenceOnOnePoint() async throws {
        let problem = Self.problem(flips: [7])
        let explanation = try InfluenceFunction.explain(problem, validationRow: 6, count: 4)
        // Same numbers as the valuator run with that point as the whole validation set.
        let single = ValuationProblem(train: problem.train, trainLabels: problem.trainLabels,
                                      validation: problem.validation.selecting(rows: [6]),
                                      validationLabels: [problem.validationLabels[6]], classCount: 2, seed: 3, workers: 1)
        let values = try await InfluenceFunction().finalUpdate(single).estimate.values
        let byValue = values.indices.sorted { values[$0] > values[$1] }
        #expect(explanation.helped.map(\.row) == Array(byValue.prefix(4)))
        #expect(explanation.hurt.map(\.row) == Array(byValue.reversed().prefix(4)))
        for item in explanation.helped + explanation.hurt { #expect(abs(item.influence - values[item.row]) < 1e-12) }
        #expect(throws: InputError.self) { try InfluenceFunction.explain(problem, validationRow: 40) }
    }

    @Test func oneAndTwoWorkersGiveIdenticalValues() async throws {
        for kind in [InfluenceFunction.Kind.validationLoss, .selfInfluence] {
            let one = try await InfluenceFunction(kind: kind).finalUpdate(Self.problem(n: 600, workers: 1))
            let two = try await InfluenceFunction(kind: kind).finalUpdate(Self.problem(n: 600, workers: 2))
            #expect(one.estimate == two.estimate)
        }
    }

    @Test func catalogOffersBothWithDamping() throws {
        let influence = try #require(MethodCatalog.method("influence"))
        let selfInfluence = try #require(MethodCatalog.method("self-influence"))
        #expect(influence.needsValidation && !selfInfluence.needsValidation)
        var parameters = selfInfluence.defaults
        try parameters.set("damping", "0.5")
        let made = try #require(try selfInfluence.make(parameters) as? InfluenceFunction)
        #expect(made.kind == .selfInfluence && made.damping == 0.5)
    }

    @Test(arguments: [1, 4, 7])
    func quadraticFormsOfSeveralRowsEqualOneAtATimeBitForBit(count: Int) {
        let problem = Self.problem(classes: 3, d: 6)
        let model = InfluenceFunction.fittedModel(problem)
        let p = model.parameters.count
        for method in [HessianInverse.Method.cholesky, .conjugateGradient] {
            let inverse = HessianInverse(model: model, x: problem.train, labels: problem.trainLabels, rows: problem.allRows,
                                         damping: 0.01, method: method)
            var block = [Double](repeating: 0, count: count * p)
            var expected = [Double]()
            for r in 0..<count {
                var g = [Double](repeating: 0, count: p)
                g.withUnsafeMutableBufferPointer { model.rowLossGradient(problem.train, labels: problem.trainLabels, row: 3 * r, into: $0) }
                for j in 0..<p { block[r * p + j] = g[j] }
                expected.append(g.withUnsafeMutableBufferPointer { inverse.quadraticForm($0) })
            }
            var forms = [Double](repeating: .nan, count: count)
            block.withUnsafeMutableBufferPointer { b in
                forms.withUnsafeMutableBufferPointer { inverse.quadraticForms(b.baseAddress!, count: count, into: $0.baseAddress!) }
            }
            #expect(forms.map(\.bitPattern) == expected.map(\.bitPattern), "\(method)")
            #expect(forms.allSatisfy { $0 > 0 })
        }
    }
}
