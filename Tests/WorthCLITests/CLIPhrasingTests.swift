import Testing
import WorthEngine
@testable import WorthCLI

@Suite struct CLIPhrasingTests {
    @Test func theEnginesReasonsAreWordedWithTheFlagsThatChangeThem() {
        let cases: [(InputError.Reason, String)] = [
            (.missingValue, "missing value (use --missing drop or --missing impute)"),
            (.missingLabel(imputing: false), "missing label (use --missing drop to leave such rows out)"),
            (.missingLabel(imputing: true), "missing label; labels are not imputed (use --missing drop to leave such rows out)"),
            (.invalidValue(parameter: "flip", accepted: ExperimentSettings.flip.kind, given: "2"), "--flip takes a number in 0.0...1.0, not '2'"),
            (.invalidValue(parameter: "model", accepted: DataOOB.model.kind, given: "svm"), "--model takes one of tree, logistic, not 'svm'"),
            (.fractionsTooLarge, "--valid-fraction and --test-fraction must be in [0, 1) and add up to less than 1"),
            (.needsValidation(method: "loo"), "loo needs validation rows; none are left (raise --valid-fraction or give --valid FILE)"),
            (.unsupportedSetting(.stateOut, method: "dvrl", supportedBy: ["tmc-shapley", "banzhaf"]),
             "--state-out applies to tmc-shapley, banzhaf, not dvrl"),
            (.unsplittable(method: "dvrl"),
             "dvrl cannot run as --shard K/N: it trains one model step by step, each step on what the previous ones learnt, so its work has no parts to merge; run it whole"),
            (.shardSyntax(given: "x"), "--shard takes K/N (for example 0/4), not 'x'"),
            (.shardOutOfRange(index: 3, count: 2), "--shard K/N takes 0 ≤ K < N, not 3/2"),
            (.shardNeedsBudget(unit: "samples"), "--shard needs a budget of samples"),
            (.resumeMismatch("the state was made with seed 7, not 8"), "--resume: the state was made with seed 7, not 8"),
            (.noValidationRow(9, count: 4), "--explain: there is no validation row 9 (there are 4)"),
        ]
        for (reason, words) in cases { #expect(CLIPhrasing.phrase(reason) == words) }
        #expect(CLIPhrasing.phrase(.message("is empty")) == nil)
    }

    @Test func theLineKeepsTheFileAndPlace() {
        let error = InputError(file: "p.csv", line: 5, column: 2, columnName: "bill", .missingValue)
        #expect(CLIPhrasing.describe(error) == "p.csv, line 5, column 2 (bill): missing value (use --missing drop or --missing impute)")
        #expect(CLIPhrasing.describe(InputError(file: "e.csv", "is empty")) == "e.csv: is empty")
    }
}
