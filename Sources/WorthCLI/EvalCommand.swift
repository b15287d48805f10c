import Foundation
import WorthEngine

/// `worth eval FILE --method M --flip F`: flips labels, values the rows and reports how well
/// the method finds the flipped ones and what removing low-valued rows does to test accuracy.
enum EvalCommand {
    static let abstract = "Measure a method: flip labels, value, report noisy-label detection and test accuracy."

    static var options: [OptionSpec] {
        ValuationOptions.specs(.eval) + ValuationOptions.methodParameterSpecs
    }

    static let examples = """
        worth eval Samples/breast_cancer.csv --method data-oob --flip 0.1 --seed 1
        worth eval Samples/wine.csv --method knn-shapley --flip 0.2 --out values.csv
        """

    static let reportHelp = """
        Report: AUROC of "low value = flipped"; precision / recall / F1 of the k lowest rows
        (k = rows flipped); OpenDataVal's F1 (exact two-means split of the values, lower
        cluster detected); test accuracy of logistic regression trained on all valued rows,
        without the lowest 10%, and without a random 10%; and the point-removal curve.
        Without --flip, \(ValuationOptions.evalFlipFraction) is used.
        """

    static var help: String {
        Help.valuationCommand("eval", usage: "worth eval FILE [--method M] [--flip F] [options]", abstract: abstract,
                              command: .eval, extraOptions: [], examples: examples, extra: reportHelp)
    }

    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try ArgumentList(words, accepting: options)
        if arguments.has("help") {
            print(help)
            return 0
        }
        let setup = try ValuationSetup(arguments: arguments, command: .eval)
        let valuator = try setup.makeValuator()
        if !setup.quiet {
            for note in setup.notes { writeError("worth: \(note)") }
            writeError("worth: \(setup.summary)")
        }
        let result = try await setup.run(valuator)
        if setup.options.output.out != nil { try setup.writeValues(result) }
        let text = report(setup: setup, result: result)
        Interrupts.shared.deferring { print(text) }
        return Interrupts.shared.exitStatus ?? 0
    }

    static func report(setup: ValuationSetup, result: ValuationUpdate) -> String {
        let e = setup.experiment
        let values = result.estimate.values
        var out: [String] = []
        let stopped = result.stop.map { "\($0)" } ?? "cancelled"
        out.append("\(setup.method.title) on \(setup.file.escapingControlCharacters): \(e.problem.count) valued rows, \(e.flippedRows.count) flipped, seed \(e.options.seed); \(stopped) in \(formatDuration(result.elapsed))")

        let detection = NoisyLabelDetection(values: values, flipped: e.flipped)
        out.append("")
        out.append("Noisy-label detection (low value = flipped)")
        var t = TextTable(["measure", "value"])
        t.add(["AUROC", f3(detection.auroc)])
        t.add(["precision of the \(detection.k) lowest", f3(detection.precisionAtK)])
        t.add(["recall of the \(detection.k) lowest", f3(detection.recallAtK)])
        t.add(["F1 of the \(detection.k) lowest", f3(detection.f1AtK)])
        t.add(["F1, two-means (OpenDataVal; \(detection.twoMeansDetected) detected)", f3(detection.twoMeansF1)])
        if detection.unvalued > 0 { t.add(["rows without a value (left out)", "\(detection.unvalued)"]) }
        out.append(t.render())

        let evaluator = RetrainingEvaluator(prototype: LogisticRegression(classCount: e.problem.classCount),
                                            train: e.problem.train, trainLabels: e.problem.trainLabels)
        let n = values.count
        let tenth = Int((Double(n) * 0.1).rounded())
        var rng = SeededGenerator(seed: e.options.seed, stream: 0xE7A1)
        let randomTenth = Set(rng.permutation(n).prefix(tenth))
        let lowestTenth = Set(RetrainingEvaluator.lowestFirst(values).prefix(tenth))
        out.append("")
        out.append("Test accuracy, logistic regression (\(e.testLabels.count) test rows)")
        var acc = TextTable(["trained on", "accuracy"])
        acc.add(["all \(n) valued rows", f3(evaluator.accuracy(removing: [], on: e.test, labels: e.testLabels))])
        acc.add(["without the lowest 10% (\(tenth))", f3(evaluator.accuracy(removing: lowestTenth, on: e.test, labels: e.testLabels))])
        acc.add(["without a random 10% (\(tenth))", f3(evaluator.accuracy(removing: randomTenth, on: e.test, labels: e.testLabels))])
        out.append(acc.render())

        let curve = evaluator.pointRemovalCurve(values: values, on: e.test, labels: e.testLabels)
        out.append("")
        out.append("Point removal: test accuracy after removing rows")
        var pr = TextTable(["removed", "lowest first", "highest first"])
        for (k, fraction) in curve.fractions.enumerated() {
            pr.add([String(format: "%.0f%%", fraction * 100), f3(curve.removingLowest[k]), f3(curve.removingHighest[k])])
        }
        out.append(pr.render())
        return out.joined(separator: "\n")
    }

    static func f3(_ x: Double) -> String { x.isNaN ? "n/a" : String(format: "%.3f", x) }
}
