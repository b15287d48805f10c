import Testing
import WorthEngine
import WorthTestSupport
@testable import WorthCLI

@Suite struct ValuationSetupTests {
    static let iris = Repository.sample("iris.csv")
    static let wine = Repository.sample("wine.csv")

    func setup(_ words: [String], _ command: ValuationOptions.Command = .value) throws -> ValuationSetup {
        let specs = command == .value ? ValueCommand.options : EvalCommand.options
        return try ValuationSetup(arguments: ArgumentList(words, accepting: specs), command: command)
    }

    @Test func aMethodThatNeedsValidationRowsSaysHowToGetThem() throws {
        let error = #expect(throws: InputError.self) { try setup([Self.iris, "--method", "loo", "--valid-fraction", "0"]) }
        #expect(error.map(CLIPhrasing.describe)
                == "\(Self.iris): loo needs validation rows; none are left (raise --valid-fraction or give --valid FILE)")
        #expect(try setup([Self.iris, "--method", "self-influence", "--valid-fraction", "0"]).experiment.problem.count == 150)
    }

    @Test func evalFlipsATenthOfTheValuedRowsUnlessToldOtherwise() throws {
        let eval = try setup([Self.wine, "--method", "knn-shapley"], .eval)
        #expect(eval.experiment.options.flipFraction == 0.1 && eval.experiment.flippedRows.count == 11)
        #expect(eval.summary.contains("; 11 labels flipped; seed 0"))
        #expect(try setup([Self.wine, "--method", "knn-shapley", "--flip", "0"], .eval).experiment.flippedRows.isEmpty)
        #expect(try setup([Self.wine, "--method", "knn-shapley"]).experiment.flippedRows.isEmpty)
    }

    @Test func aSessionSettingIsRefusedBeforeAnyStateIsRead() throws {
        let loo = try setup([Self.iris, "--method", "loo", "--resume", "/nonexistent/state.json"])
        let error = #expect(throws: InputError.self) { try loo.makeValuator() }
        #expect(error.map(CLIPhrasing.describe) == "--resume applies to tmc-shapley, beta-shapley, banzhaf, not loo")
    }

    @Test func aMonteCarloRunGetsItsSessionWithTheInputRecorded() throws {
        let directory = TemporaryDirectory()
        let banzhaf = try setup([Self.wine, "--method", "banzhaf", "--shard", "1/2", "--state-out", directory.file("s.json")])
        let valuator = try #require(try banzhaf.makeValuator() as? SemivalueValuator)
        let shard = try ShardSpec(index: 1, count: 2)
        #expect(valuator.method == .banzhaf && valuator.session.shard == shard && valuator.session.stateOut == directory.file("s.json"))
        #expect(valuator.session.input.fingerprint == banzhaf.inputFingerprint)
        #expect(valuator.session.input.sourceRows.count == banzhaf.experiment.problem.count)
        // Without session flags, nothing about the input is recorded.
        let plain = try #require(try setup([Self.wine, "--method", "banzhaf"]).makeValuator() as? SemivalueValuator)
        #expect(plain.session.settings.isEmpty && plain.session.input.fingerprint.isEmpty)
    }
}
