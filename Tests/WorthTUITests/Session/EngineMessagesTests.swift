import Testing
import WorthEngine
@testable import WorthTUI

/// The workbench words the engine's typed reasons with its own keys and field names: no flag
/// syntax reaches the screen, and the Method screen checks settings by the engine's declarations.
@Suite struct EngineMessagesTests {
    @Test func reasonsAreWordedWithTheWorkbenchsKeysAndFields() {
        let missing = InputError(file: "f.csv", line: 5, column: 2, columnName: "bill", .missingValue)
        #expect(EngineMessages.describe(missing)
                == "line 5, column 2 (bill): missing value: press m to drop rows with missing cells or impute them, then Enter")
        #expect(EngineMessages.describe(InputError(file: "f.csv", .needsValidation(method: "loo")))
                == "f.csv: loo needs validation rows: set the validation fraction above 0 (→ on the Method screen)")
        let refused = InputError(.invalidValue(parameter: "valid-fraction", accepted: ExperimentSettings.validationFraction.kind, given: "0.95"))
        #expect(EngineMessages.describe(refused) == "validation fraction takes a number in 0.0...0.9, not '0.95'")
        // Reasons without workbench words keep the engine's neutral ones.
        #expect(EngineMessages.describe(InputError(.fractionsTooLarge)) == InputError.Reason.fractionsTooLarge.message)
    }

    @Test func theMethodScreenChecksSettingsByTheEnginesDeclarations() {
        var choices = MethodChoices(methods: fixtureMethods, workers: 1)
        #expect(choices.options.validationFraction == ExperimentSettings.validationFraction.defaultValue)
        #expect(choices.options.testFraction == ExperimentSettings.testFraction.defaultValue)
        #expect(ExperimentSetting.validation.name == ExperimentSettings.validationFraction.title)
        #expect(choices.set(.validation, to: "0.95") == "validation fraction takes a number in 0.0...0.9, not '0.95'")
        #expect(choices.set(.validation, to: "0.5") == nil && choices.options.validationFraction == 0.5)
        #expect(choices.set(.test, to: "0.6") == InputError.Reason.fractionsTooLarge.message)
        #expect(choices.options.testFraction == ExperimentSettings.testFraction.defaultValue)
        for text in ["0.95", "x", "-1"] {
            for setting in ExperimentSetting.allCases { #expect(!(choices.set(setting, to: text) ?? "").contains("--")) }
        }
    }
}
