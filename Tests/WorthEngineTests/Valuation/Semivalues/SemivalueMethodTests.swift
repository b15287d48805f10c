import Testing
@testable import WorthEngine

@Suite struct SemivalueMethodTests {
    @Test func theCatalogOffersTheThreeMethods() throws {
        for method in SemivalueMethod.allCases {
            let descriptor = try #require(MethodCatalog.method(method.rawValue))
            #expect(descriptor.needsValidation)
            let names = Set(descriptor.parameters.map(\.name))
            #expect(names.isSuperset(of: ["max-seconds", "rhat", "stderr", "utility", "model"]))
        }
        #expect(Set(MethodCatalog.method("beta-shapley")!.parameters.map(\.name)).isSuperset(of: ["alpha", "beta", "permutations", "tolerance"]))
        #expect(MethodCatalog.method("banzhaf")!.parameters.contains { $0.name == "permutations" })
    }

    /// The measured defaults (README, "Shapley against the references"): accuracy, truncation at 5% for 6 steps.
    @Test(arguments: [SemivalueMethod.tmcShapley, .betaShapley])
    func defaultsAreTheMeasuredOnes(method: SemivalueMethod) {
        let values = method.descriptor.defaults
        #expect(values[SemivalueMethod.tolerance] == 0.05)
        #expect(values[SemivalueMethod.truncationSteps] == 6)
        #expect(values[SemivalueMethod.utility] == .accuracy)
    }

    @Test func logisticTMCShapleyValuesSumToTheFullAccuracyAboveChance() async throws {
        let problem = tinyClassificationProblem()
        var parameters = SemivalueMethod.tmcShapley.descriptor.defaults
        try parameters.set("permutations", "12")
        try parameters.set("tolerance", "0")
        let update = try await SemivalueMethod.tmcShapley.descriptor.make(parameters).finalUpdate(problem)
        var model = LogisticRegression(classCount: 3)
        model.fit(problem.train, labels: problem.trainLabels, rows: problem.allRows)
        let full = model.accuracy(problem.validation, labels: problem.validationLabels, rows: problem.allValidationRows)
        #expect(abs(update.estimate.values.reduce(0, +) - (full - 1.0 / 3)) < 1e-12)
        #expect(update.stop == .budget("12 permutations"))
    }

    @Test(arguments: ["knn", "tree"], ["accuracy", "logloss"])
    func everyModelAndUtilityRuns(model: String, utility: String) async throws {
        for method in SemivalueMethod.allCases {
            var parameters = method.descriptor.defaults
            try parameters.set("permutations", "25")
            try parameters.set("model", model)
            try parameters.set("utility", utility)
            let update = try await method.descriptor.make(parameters).finalUpdate(tinyClassificationProblem())
            #expect(update.estimate.values.allSatisfy { $0.isFinite })
            #expect(update.done == 25)
        }
    }


}
