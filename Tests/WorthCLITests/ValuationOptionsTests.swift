import Testing
import WorthEngine
@testable import WorthCLI

@Suite struct ValuationOptionsTests {
    func parse(_ words: [String], _ command: ValuationOptions.Command) throws -> ValuationOptions {
        let specs = ValuationOptions.specs(command) + ValuationOptions.methodParameterSpecs
        return try ValuationOptions(ArgumentList(["data.csv"] + words, accepting: specs), command: command)
    }

    @Test func defaultsComeFromTheEnginesDeclarations() throws {
        let value = try parse([], .value)
        #expect(value.seed == 0 && value.validationFraction == nil && value.flipFraction == 0 && value.testFraction == 0)
        #expect(value.workers == ExperimentSettings.workers.defaultValue && value.missing == .error)
        #expect(value.output.out == nil && value.output.format == .csv && !value.output.quiet)
        #expect(value.session.settings.isEmpty)
        #expect(value.experimentOptions(for: DataOOB.descriptor).validationFraction == 0)
        #expect(value.experimentOptions(for: KNNShapley.descriptor).validationFraction == 0.2)
    }

    @Test func evalFlipsATenthUnlessToldAndHasATestPart() throws {
        let eval = try parse([], .eval)
        #expect(eval.flipFraction == 0.1 && eval.testFraction == 0.2)
        let told = try parse(["--flip", "0", "--test-fraction", "0.3", "--test", "t.csv"], .eval)
        #expect(told.flipFraction == 0 && told.testFraction == 0.3 && told.testFile == "t.csv")
    }

    @Test func everyFlagIsTyped() throws {
        let o = try parse(["--seed", "9", "--valid-fraction", "0.3", "--flip", "0.05", "--missing", "impute", "--workers", "3",
                           "--out", "v.json", "--format", "json", "--quiet", "--label", "kind", "--valid", "v.csv",
                           "--checkpoint", "c.json", "--shard", "1/4"], .value)
        #expect(o.seed == 9 && o.validationFraction == 0.3 && o.flipFraction == 0.05 && o.missing == .impute && o.workers == 3)
        #expect(o.output.out == "v.json" && o.output.format == .json && o.output.quiet)
        #expect(o.label == "kind" && o.validationFile == "v.csv")
        #expect(o.session.settings == [.checkpoint, .shard])
        let session = try o.session.session(input: RunInput(fingerprint: "f"))
        let shard = try ShardSpec(index: 1, count: 4)
        #expect(session.shard == shard && session.checkpoint == "c.json" && session.input.fingerprint == "f")
    }

    @Test func badValuesSayWhichFlagAndWhatItTakes() {
        func message(_ words: [String], _ command: ValuationOptions.Command = .value) -> String? {
            do { _ = try parse(words, command); return nil } catch let error as InputError {
                return CLIPhrasing.describe(error)
            } catch { return "\(error)" }
        }
        #expect(message(["--format", "xml"]) == "--format takes csv or json, not 'xml'")
        #expect(message(["--missing", "guess"]) == "--missing takes drop or impute, not 'guess'")
        #expect(message(["--valid-fraction", "0.95"]) == "--valid-fraction takes a number in 0.0...0.9, not '0.95'")
        #expect(message(["--test-fraction", "0"], .eval) == "--test-fraction takes a number in 0.01...0.9, not '0'")
        #expect(message(["--workers", "0"]) == "--workers takes a whole number in 1...1024, not '0'")
        #expect(message(["--seed", "x"]) == "--seed takes a whole number ≥ 0, not 'x'")
    }

    @Test func methodParametersBelongToTheirMethod() throws {
        let specs = ValuationOptions.specs(.value) + ValuationOptions.methodParameterSpecs
        let knn = try ArgumentList(["--k", "3"], accepting: specs)
        #expect(try ValuationOptions.parameterValues(knn, for: KNNShapley.descriptor)[KNNShapley.k] == 3)
        let wrong = try ArgumentList(["--trees", "3"], accepting: specs)
        let error = #expect(throws: InputError.self) { try ValuationOptions.parameterValues(wrong, for: KNNShapley.descriptor) }
        #expect(error.map(CLIPhrasing.describe) == "--trees does not apply to knn-shapley (its parameters: --k)")
        #expect(try ValuationOptions.chosenMethod(ArgumentList([], accepting: specs)).id == "data-oob")
        #expect(throws: InputError.self) { try ValuationOptions.chosenMethod(ArgumentList(["--method", "magic"], accepting: specs)) }
    }
}
