import Testing
@testable import WorthEngine

@Suite struct MethodDescriptorTests {
    @Test func aMethodRefusesTheSessionSettingsItCannotUse() throws {
        let monteCarlo = SemivalueMethod.allCases.map(\.rawValue)
        let oob = DataOOB.descriptor
        #expect(throws: Never.self) { try oob.accept([.shard, .stateOut]) }
        let error = #expect(throws: InputError.self) { try oob.make(oob.defaults, session: RunSession(checkpoint: "c.json")) }
        #expect(error?.reason == .unsupportedSetting(.checkpoint, method: "data-oob", supportedBy: monteCarlo))
        let resume = #expect(throws: InputError.self) { try oob.accept([.resume, .shard]) }
        #expect(resume?.reason == .unsupportedSetting(.resume, method: "data-oob", supportedBy: monteCarlo))
        let shard = try ShardSpec(index: 1, count: 2)
        for method in SemivalueMethod.allCases {
            let made = try method.descriptor.make(method.descriptor.defaults, session: RunSession(shard: shard, stateOut: "s.json"))
            let valuator = try #require(made as? SemivalueValuator)
            #expect(valuator.method == method && valuator.session.shard == shard)
        }
    }

    @Test func everyMethodButDVRLAndInRunShapleyShardsAndRecordsWhatMadeIt() throws {
        let unsplittable = [DVRL.descriptor, InRunShapley.descriptor]
        for method in MethodCatalog.all where !unsplittable.map(\.id).contains(method.id) {
            #expect(throws: Never.self) { try method.accept([.shard, .stateOut]) }
        }
        for method in unsplittable {
            let refused = #expect(throws: InputError.self) {
                try method.make(method.defaults, session: RunSession(shard: try ShardSpec(index: 0, count: 2)))
            }
            #expect(refused?.reason == .unsplittable(method: method.id))
        }
        var values = LeaveOneOut.descriptor.defaults
        try values.set(LeaveOneOut.score, to: .accuracy)
        let loo = try #require(try LeaveOneOut.descriptor.make(values) as? LeaveOneOut)
        #expect(loo.session.origin == RunOrigin(method: "loo", parameters: [("model", "logistic"), ("score", "accuracy")]))
    }

    @Test func sessionSettingsAreListedInOrder() throws {
        #expect(RunSession().settings.isEmpty)
        let all = RunSession(shard: try ShardSpec(index: 0, count: 1), resume: nil, checkpoint: "c", stateOut: "s")
        #expect(all.settings == [.checkpoint, .shard, .stateOut])
    }

    @Test func onlyInfluenceExplainsAPrediction() throws {
        #expect(MethodCatalog.all.filter { $0.explainer != nil }.map(\.id) == ["influence"])
        let problem = tinyClassificationProblem()
        let explainer = try #require(InfluenceFunction.descriptor.explainer)
        let direct = try InfluenceFunction.explain(problem, validationRow: 1, count: 3, damping: 0)
        #expect(try explainer(problem, 1, 3, InfluenceFunction.descriptor.defaults) == direct)
        let error = #expect(throws: InputError.self) { try explainer(problem, 999, 3, InfluenceFunction.descriptor.defaults) }
        #expect(error?.reason == .noValidationRow(999, count: problem.validationLabels.count))
    }
}
