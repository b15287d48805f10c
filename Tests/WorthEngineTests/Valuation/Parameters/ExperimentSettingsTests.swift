import Testing
@testable import WorthEngine

@Suite struct ExperimentSettingsTests {
    @Test func optionsAreCheckedAgainstTheDeclarations() throws {
        try ExperimentOptions(validationFraction: 0.9, testFraction: 0, flipFraction: 1).validate()
        try ExperimentOptions(validationFraction: 0, testFraction: 0.01).validate()
        let cases: [(ExperimentOptions, InputError.Reason)] = [
            (ExperimentOptions(validationFraction: 0.95),
             .invalidValue(parameter: "valid-fraction", accepted: ExperimentSettings.validationFraction.kind, given: "0.95")),
            (ExperimentOptions(testFraction: 0.005),
             .invalidValue(parameter: "test-fraction", accepted: ExperimentSettings.testFraction.kind, given: "0.005")),
            (ExperimentOptions(flipFraction: 1.5), .invalidValue(parameter: "flip", accepted: ExperimentSettings.flip.kind, given: "1.5")),
            (ExperimentOptions(validationFraction: 0.5, testFraction: 0.5), .fractionsTooLarge),
        ]
        for (options, reason) in cases {
            let error = #expect(throws: InputError.self) { try options.validate() }
            #expect(error?.reason == reason)
        }
    }

    @Test func optionsAreReadFromSettingValues() throws {
        var settings = ParameterValues(ExperimentSettings.all)
        #expect(settings.all.map(\.name) == ["valid-fraction", "test-fraction", "flip", "seed", "workers"])
        try settings.set("seed", "12")
        try settings.set("flip", "0.25")
        let options = ExperimentOptions(settings)
        #expect(options.seed == 12 && options.flipFraction == 0.25 && options.validationFraction == 0.2 && options.testFraction == 0.2)
        #expect(ExperimentSettings.all.map(\.title).contains("validation fraction"))
    }

    @Test func aMethodThatScoresOnValidationRowsIsRefusedAProblemWithoutThem() throws {
        let options = ExperimentOptions(validationFraction: 0, seed: 1)
        for method in MethodCatalog.all {
            if method.needsValidation {
                let error = #expect(throws: InputError.self) { try Experiment(source: try loadFixture(), options: options, for: method) }
                #expect(error?.reason == .needsValidation(method: method.id) && error?.file == "f.csv")
            } else {
                #expect(try Experiment(source: try loadFixture(), options: options, for: method).problem.validationLabels.isEmpty)
            }
        }
        #expect(MethodCatalog.all.filter(\.needsValidation).map(\.id)
                == ["knn-shapley", "loo", "influence", "tmc-shapley", "beta-shapley", "banzhaf", "dvrl", "in-run-shapley"])
    }
}
