import Foundation
import Testing
@testable import WorthEngine

@Suite struct LogisticRegressionTests {
    /// A written-out reference: F(θ) and ∇F(θ) by the textbook formulas, plain arrays.
    static func referenceObjective(_ theta: [Double], x: Matrix, y: [Int], rows: [Int], classes: Int,
                                   lambda: Double) -> (Double, [Double]) {
        let d = x.columns
        var g = [Double](repeating: 0, count: theta.count)
        var loss = 0.0
        for r in rows {
            var z = [Double](repeating: 0, count: classes)
            for c in 0..<classes {
                z[c] = theta[c * (d + 1) + d]
                for j in 0..<d { z[c] += theta[c * (d + 1) + j] * x[r, j] }
            }
            let total = z.map { exp($0) }.reduce(0, +)
            loss += log(total) - z[y[r]]
            for c in 0..<classes {
                let residual = exp(z[c]) / total - (c == y[r] ? 1 : 0)
                for j in 0..<d { g[c * (d + 1) + j] += residual * x[r, j] }
                g[c * (d + 1) + d] += residual
            }
        }
        let m = Double(rows.count)
        return (loss / m + lambda / 2 * theta.map { $0 * $0 }.reduce(0, +),
                zip(g, theta).map { $0 / m + lambda * $1 })
    }

    /// ∇F over `rows` at the model's parameters, written out by `referenceObjective`.
    static func gradient(of model: LogisticRegression, _ x: Matrix, labels: [Int], rows: [Int]) -> [Double] {
        referenceObjective(model.parameters, x: x, y: labels, rows: rows, classes: model.classCount,
                           lambda: model.regularization).1
    }

    @Test func gradientVanishesAtTheSolution() {
        let (x, y) = LinearFixtures.blobs(n: 60, d: 3, classes: 3, seed: 1)
        var model = LogisticRegression(classCount: 3)
        model.fit(x, labels: y, rows: Array(0..<60))
        let gradient = Self.gradient(of: model, x, labels: y, rows: Array(0..<60))
        #expect(VectorKernels.norm(gradient) <= 1e-8)
        #expect(model.lastFit?.solver == .newton)
        #expect(model.accuracy(x, labels: y, rows: Array(0..<60)) > 0.8)
    }

    /// The Hessian is assembled from shared blocks (one for two classes): check both paths.
    @Test(arguments: [2, 3, 4])
    func hessianMatchesFiniteDifferencesOfTheGradient(classes: Int) {
        let (x, y) = LinearFixtures.blobs(n: 25, d: 3, classes: classes, seed: 2)
        let rows = [0, 1, 2, 3, 3, 5, 8, 13, 21, 24]
        let objective = SoftmaxObjective(x: x, labels: y, rows: rows, classCount: classes, regularization: 0.03)
        let size = classes * 4
        var g = SeededGenerator(seed: 9)
        let theta = (0..<size).map { _ in LinearFixtures.gaussian(&g) * 0.7 }
        func gradient(_ t: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: size)
            _ = t.withUnsafeBufferPointer { tp in out.withUnsafeMutableBufferPointer { objective.valueAndGradient(tp, $0) } }
            return out
        }
        var hessian = [Double](repeating: 0, count: size * size)
        theta.withUnsafeBufferPointer { t in hessian.withUnsafeMutableBufferPointer { objective.hessian(t, into: $0) } }
        let h = 1e-5
        for k in 0..<size {
            var plus = theta, minus = theta
            plus[k] += h
            minus[k] -= h
            let (gp, gm) = (gradient(plus), gradient(minus))
            for i in 0..<size {
                #expect(abs((gp[i] - gm[i]) / (2 * h) - hessian[i * size + k]) < 1e-8)
            }
        }
    }

    @Test func objectiveGradientAndHessianMatchFiniteDifferences() {
        let (x, y) = LinearFixtures.blobs(n: 25, d: 3, classes: 3, seed: 2)
        let rows = [0, 1, 2, 3, 3, 5, 8, 13, 21, 24]
        let objective = SoftmaxObjective(x: x, labels: y, rows: rows, classCount: 3, regularization: 0.03)
        var g = SeededGenerator(seed: 9)
        let theta = (0..<12).map { _ in LinearFixtures.gaussian(&g) * 0.7 }
        func evaluate(_ t: [Double]) -> (Double, [Double]) {
            var gradient = [Double](repeating: 0, count: 12)
            let v = t.withUnsafeBufferPointer { tp in gradient.withUnsafeMutableBufferPointer { objective.valueAndGradient(tp, $0) } }
            return (v, gradient)
        }
        let (value, gradient) = evaluate(theta)
        let (refValue, refGradient) = Self.referenceObjective(theta, x: x, y: y, rows: rows, classes: 3, lambda: 0.03)
        #expect(abs(value - refValue) < 1e-12)
        #expect(LinearFixtures.maxAbsDifference(gradient, refGradient) < 1e-12)
        var hessian = [Double](repeating: 0, count: 144)
        theta.withUnsafeBufferPointer { t in hessian.withUnsafeMutableBufferPointer { objective.hessian(t, into: $0) } }
        let h = 1e-5
        for k in 0..<12 {
            var plus = theta, minus = theta
            plus[k] += h
            minus[k] -= h
            let (fp, gp) = evaluate(plus), (fm, gm) = evaluate(minus)
            #expect(abs((fp - fm) / (2 * h) - gradient[k]) < 1e-8)
            for i in 0..<12 {
                #expect(abs((gp[i] - gm[i]) / (2 * h) - hessian[i * 12 + k]) < 1e-8)
            }
        }
        // Row gradients average to the loss part of ∇F.
        var sum = [Double](repeating: 0, count: 12), one = [Double](repeating: 0, count: 12)
        for r in rows {
            theta.withUnsafeBufferPointer { t in one.withUnsafeMutableBufferPointer { objective.rowLossGradient(t, row: r, into: $0) } }
            for k in 0..<12 { sum[k] += one[k] / Double(rows.count) }
        }
        #expect(LinearFixtures.maxAbsDifference(sum, zip(gradient, theta).map { $0 - 0.03 * $1 }) < 1e-12)
    }

    @Test func solutionAgreesWithLongPlainGradientDescent() {
        let (x, y) = LinearFixtures.blobs(n: 15, d: 2, classes: 3, separation: 1, seed: 3)
        let rows = Array(0..<15)
        let lambda = 0.05
        var theta = [Double](repeating: 0, count: 9)
        // Step 1/L with L = ½·max‖x̃‖² + λ bounds the curvature; the contraction 1 − λ/L per step.
        var largest = 0.0
        for r in rows { largest = max(largest, 1 + x[r, 0] * x[r, 0] + x[r, 1] * x[r, 1]) }
        let step = 1 / (0.5 * largest + lambda)
        for _ in 0..<6000 {
            let (_, g) = Self.referenceObjective(theta, x: x, y: y, rows: rows, classes: 3, lambda: lambda)
            for k in 0..<9 { theta[k] -= step * g[k] }
        }
        for solver in [LogisticRegression.Solver.newton, .lbfgs] {
            var model = LogisticRegression(classCount: 3, regularization: lambda, solver: solver)
            model.fit(x, labels: y, rows: rows)
            #expect(LinearFixtures.maxAbsDifference(model.parameters, theta) < 1e-7)
        }
    }

    @Test func newtonAndLBFGSAgree() {
        let (x, y) = LinearFixtures.blobs(n: 120, d: 5, classes: 4, seed: 4)
        let rows = Array(0..<120)
        var newton = LogisticRegression(classCount: 4, solver: .newton)
        var lbfgs = LogisticRegression(classCount: 4, solver: .lbfgs)
        newton.fit(x, labels: y, rows: rows)
        lbfgs.fit(x, labels: y, rows: rows)
        #expect(lbfgs.lastFit?.solver == .lbfgs)
        #expect((lbfgs.lastFit?.gradientNorm ?? 1) <= 1e-8)
        #expect(LinearFixtures.maxAbsDifference(newton.parameters, lbfgs.parameters) < 1e-6)
    }

    @Test func warmStartReachesTheSameOptimumInFewerSteps() {
        let (x, y) = LinearFixtures.blobs(n: 100, d: 4, classes: 3, seed: 5)
        for solver in [LogisticRegression.Solver.newton, .lbfgs] {
            var full = LogisticRegression(classCount: 3, solver: solver)
            full.fit(x, labels: y, rows: Array(0..<100))
            let subset = Array(0..<100).filter { $0 % 17 != 3 }
            var warm = full
            warm.fit(x, labels: y, rows: subset)
            var cold = LogisticRegression(classCount: 3, solver: solver)
            cold.fit(x, labels: y, rows: subset)
            #expect(warm.lastFit!.iterations < cold.lastFit!.iterations)
            #expect(LinearFixtures.maxAbsDifference(warm.parameters, cold.parameters) < 1e-6)
        }
    }

    @Test func repeatedRowsCountAsCopies() {
        let (x, y) = LinearFixtures.blobs(n: 20, d: 2, classes: 2, seed: 6)
        var repeated = LogisticRegression(classCount: 2)
        repeated.fit(x, labels: y, rows: Array(0..<20) + [3, 3, 7])
        let copies = x.selecting(rows: Array(0..<20) + [3, 3, 7])
        var explicit = LogisticRegression(classCount: 2)
        explicit.fit(copies, labels: y + [y[3], y[3], y[7]], rows: Array(0..<23))
        #expect(LinearFixtures.maxAbsDifference(repeated.parameters, explicit.parameters) < 1e-9)
    }

    @Test func emptyAndSingleClassFitsStaySensible() {
        let (x, y) = LinearFixtures.blobs(n: 20, d: 3, classes: 3, seed: 7)
        var model = LogisticRegression(classCount: 3)
        let third: Double = 1.0 / 3
        #expect(model.probabilities(x, row: 0) == [third, third, third])
        model.fit(x, labels: y, rows: [])
        for p in model.probabilities(x, row: 5) { #expect(abs(p - third) < 1e-15) }
        let onlyOnes = Array(0..<20).filter { y[$0] == 1 }
        model.fit(x, labels: y, rows: onlyOnes)
        #expect(model.parameters.allSatisfy { $0.isFinite && abs($0) < 100 })
        #expect((model.lastFit?.gradientNorm ?? 1) <= 1e-8)
        #expect(model.predict(x, rows: onlyOnes).allSatisfy { $0 == 1 })
    }

    @Test func extremeLogitsStayFinite() {
        let x = Matrix(rows: 2, columns: 1, storage: [1e4, -1e4])
        var model = LogisticRegression(classCount: 2, regularization: 1e-6)
        model.fit(x, labels: [0, 1], rows: [0, 1])
        let p = model.probabilities(x, row: 0)
        #expect(p.allSatisfy { $0.isFinite } && p[0] > 0.99)
        #expect(model.logLoss(x, labels: [0, 1], rows: [0, 1]).isFinite)
    }

    /// The objective runs four rows at a time, padding the last block, and has its own path for
    /// two classes: every row count up to two blocks and a bit, against the written-out formulas.
    @Test(arguments: [2, 3, 5])
    func objectiveMatchesTheFormulaForEveryBlockSize(classes: Int) {
        let (x, y) = LinearFixtures.blobs(n: 12, d: 7, classes: classes, seed: 11)
        let size = classes * 8
        var g = SeededGenerator(seed: 3)
        let theta = (0..<size).map { _ in LinearFixtures.gaussian(&g) * 0.5 }
        for count in 1...9 {
            let rows = (0..<count).map { (5 * $0 + 2) % 12 } + (count > 3 ? [2] : [])  // a repeat too
            let objective = SoftmaxObjective(x: x, labels: y, rows: rows, classCount: classes, regularization: 0.02)
            var gradient = [Double](repeating: .nan, count: size)
            let value = theta.withUnsafeBufferPointer { t in gradient.withUnsafeMutableBufferPointer { objective.valueAndGradient(t, $0) } }
            let (refValue, refGradient) = Self.referenceObjective(theta, x: x, y: y, rows: rows, classes: classes, lambda: 0.02)
            #expect(abs(value - refValue) < 1e-13, "\(count) rows")
            #expect(LinearFixtures.maxAbsDifference(gradient, refGradient) < 1e-13, "\(count) rows")
        }
    }

    /// Newton keeps its factor while it halves the gradient; with `contraction` 0 it forms the
    /// Hessian at every step, which is the textbook method. Both reach the same optimum.
    @Test(arguments: [2, 3])
    func newtonWithAReusedFactorMatchesTextbookNewton(classes: Int) {
        let (x, y) = LinearFixtures.blobs(n: 80, d: 4, classes: classes, seed: 12)
        let objective = SoftmaxObjective(x: x, labels: y, rows: Array(0..<80), classCount: classes, regularization: 0.01)
        let size = classes * 5
        func solve(contraction: Double, from start: [Double], factor: Cholesky?) -> ([Double], Newton.Outcome) {
            var theta = start, factor = factor
            var gradient = [Double](repeating: 0, count: size)
            var newton = Newton(tolerance: 1e-12, maxIterations: 200)
            newton.contraction = contraction
            let outcome = newton.minimize(&theta, factor: &factor, gradient: &gradient,
                                          objective: { objective.valueAndGradient($0, $1) },
                                          hessian: { objective.hessian($0, into: $1) })
            return (theta, outcome)
        }
        let zero = [Double](repeating: 0, count: size)
        let (textbook, plain) = solve(contraction: 0, from: zero, factor: nil)
        #expect(plain.factorizations == plain.iterations && plain.gradientNorm <= 1e-12)
        // A stale factor: the Hessian of the first 20 rows at zero.
        let few = SoftmaxObjective(x: x, labels: y, rows: Array(0..<20), classCount: classes, regularization: 0.01)
        var h = [Double](repeating: 0, count: size * size)
        zero.withUnsafeBufferPointer { t in h.withUnsafeMutableBufferPointer { few.hessian(t, into: $0) } }
        let stale = Cholesky(h, size: size)
        for (start, factor) in [(zero, nil), (zero, stale), (textbook.map { $0 * 0.9 }, stale)] {
            let (theta, outcome) = solve(contraction: 0.5, from: start, factor: factor)
            #expect(outcome.gradientNorm <= 1e-12)
            #expect(LinearFixtures.maxAbsDifference(theta, textbook) < 1e-10)
        }
    }

    /// TMC's refits: a growing prefix, warm-started. Newton reuses its factor over most of them,
    /// and extending the previous fit's sums saves exactly the starting evaluation, with the
    /// same parameters as a fresh fit to the tolerance.
    @Test(arguments: [LogisticRegression.Solver.newton, .lbfgs])
    func growingPrefixesReuseTheFactorAndTheSums(solver: LogisticRegression.Solver) {
        let (x, y) = LinearFixtures.blobs(n: 150, d: 4, classes: 3, seed: 13)
        var model = LogisticRegression(classCount: 3, tolerance: 1e-6, solver: solver)
        model.fit(x, labels: y, rows: [0])
        var fits = 0, factorizations = 0
        for count in 2...150 {
            let rows = Array(0..<count)
            var plain = model
            plain.fit(x, labels: y, rows: rows)
            model.fit(x, labels: y, rows: rows, extending: count - 1)
            let (extended, fresh) = (model.lastFit!, plain.lastFit!)
            #expect(extended.evaluations == fresh.evaluations - 1 && extended.iterations == fresh.iterations,
                    "\(count): \(extended) vs \(fresh)")
            #expect(LinearFixtures.maxAbsDifference(model.parameters, plain.parameters) < 1e-9)
            #expect(extended.gradientNorm <= 1e-6)
            #expect(VectorKernels.norm(Self.gradient(of: model, x, labels: y, rows: rows)) <= 1.0001e-6)
            fits += 1
            factorizations += extended.factorizations
        }
        if solver == .newton {
            #expect(factorizations * 3 < fits, "\(factorizations) factorizations for \(fits) fits")
        }
    }

    /// An extending fit falls back to a full fit when the rows do not follow the last fit's.
    @Test func extendingOtherRowsFitsFromScratch() {
        let (x, y) = LinearFixtures.blobs(n: 40, d: 3, classes: 2, seed: 14)
        var model = LogisticRegression(classCount: 2, tolerance: 1e-10)
        model.fit(x, labels: y, rows: Array(0..<10))
        var wrongCount = model
        wrongCount.fit(x, labels: y, rows: Array(0..<30), extending: 20)
        var reference = LogisticRegression(classCount: 2, tolerance: 1e-10)
        reference.fit(x, labels: y, rows: Array(0..<30))
        #expect(LinearFixtures.maxAbsDifference(wrongCount.parameters, reference.parameters) < 1e-9)
        var unfitted = LogisticRegression(classCount: 2, tolerance: 1e-10)
        unfitted.fit(x, labels: y, rows: Array(0..<30), extending: 10)
        #expect(LinearFixtures.maxAbsDifference(unfitted.parameters, reference.parameters) < 1e-9)
    }

    @Test func automaticPicksNewtonForSmallModelsAndLBFGSForLargeOnes() {
        let model = LogisticRegression(classCount: 10)
        #expect(model.resolvedSolver(features: 11) == .newton)  // 120 parameters
        #expect(model.resolvedSolver(features: 12) == .lbfgs)   // 130
        #expect(LogisticRegression(classCount: 2).resolvedSolver(features: 59) == .newton)
    }
}

extension LogisticRegression {
    /// F and ∇F over `rows` of `x` at the current parameters (the model must be fitted on `x`'s
    /// feature count). ∇F ≈ 0 right after fitting on the same rows.
    func objectiveAndGradient(_ x: Matrix, labels: [Int], rows: [Int]) -> (value: Double, gradient: [Double]) {
        var gradient = [Double](repeating: 0, count: parameters.count)
        let f = objective(x, labels: labels, rows: rows)
        let value = parameters.withUnsafeBufferPointer { t in gradient.withUnsafeMutableBufferPointer { f.valueAndGradient(t, $0) } }
        return (value, gradient)
    }
}
