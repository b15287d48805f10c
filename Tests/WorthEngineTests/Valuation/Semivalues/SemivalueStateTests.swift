import Foundation
import Testing
@testable import WorthEngine
import WorthTestSupport

@Suite struct SemivalueStateTests {
    static let n = 6

    /// Runs `method` to the end with a unit budget, no convergence stop, and returns its saved state.
    func state(_ method: String, budget: Int, shard: ShardSpec? = nil, resume: SemivalueState? = nil,
               seed: UInt64 = 11, fingerprint: String = "data-v1", in directory: TemporaryDirectory) async throws -> SemivalueState {
        let path = directory.file(UUID().uuidString + ".json")
        let session = RunSession(input: RunInput(fingerprint: fingerprint), shard: shard, resume: resume, stateOut: path)
        let utility: UtilityFactory = { _ in GameUtility(count: Self.n) }
        let valuator: any Valuator = switch method {
        case SemivalueMethod.tmcShapley.rawValue: SemivalueValuator.tmcShapley(utility: utility, stopping: .maxUnits(budget), session: session)
        case SemivalueMethod.betaShapley.rawValue: SemivalueValuator.betaShapley(utility: utility, stopping: .maxUnits(budget), session: session)
        default: SemivalueValuator.banzhaf(utility: utility, stopping: .maxUnits(budget), session: session)
        }
        _ = try await valuator.finalUpdate(placeholderProblem(count: Self.n, seed: seed))
        return try SemivalueState.load(from: path)
    }

    @Test(arguments: [SemivalueMethod.tmcShapley.rawValue, SemivalueMethod.betaShapley.rawValue, SemivalueMethod.banzhaf.rawValue])
    func mergingShardsEqualsOneRun(method: String) async throws {
        let directory = TemporaryDirectory()
        let single = try await state(method, budget: 83, in: directory)
        var parts: [SemivalueState] = []
        for k in [2, 0, 1] {
            parts.append(try await state(method, budget: 83, shard: try ShardSpec(index: k, count: 3), in: directory))
        }
        #expect(parts.map(\.unitsDone).sorted() == [27, 28, 28])
        let merged = try SemivalueState.merge(parts)
        #expect(merged.statistics == single.statistics)
        #expect(merged.estimate == single.estimate)
        #expect(merged.completed == [0..<83] && merged.gaps.isEmpty && merged.shard == nil)
        #expect(merged.rHatHistory == single.statistics.rHat.map { [ConvergencePoint(done: 83, value: $0)] } ?? [])
    }

    @Test func resumingAStateEqualsAnUninterruptedRun() async throws {
        let directory = TemporaryDirectory()
        let whole = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 70, in: directory)
        let first = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 30, in: directory)
        #expect(first.unitsDone == 30)
        let resumed = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 70, resume: first, in: directory)
        #expect(resumed == whole)
    }

    @Test func resumingWithASmallerBudgetSaysTheStateHadAlreadyPassedIt() async throws {
        let directory = TemporaryDirectory()
        let first = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 30, in: directory)
        let session = RunSession(input: RunInput(fingerprint: "data-v1"), resume: first)
        let final = try await SemivalueValuator.tmcShapley(utility: { _ in GameUtility(count: Self.n) }, stopping: .maxUnits(20), session: session)
            .finalUpdate(placeholderProblem(count: Self.n, seed: 11))
        #expect(final.stop == .budget("20 permutations; the resumed state already had 30, so none were run"))
        #expect(final.done == 30 && final.estimate == first.estimate)
    }

    @Test func aMergedStateCanBeResumedToExtendTheBudget() async throws {
        let directory = TemporaryDirectory()
        let parts = [try await state(SemivalueMethod.banzhaf.rawValue, budget: 40, shard: try ShardSpec(index: 0, count: 2), in: directory),
                     try await state(SemivalueMethod.banzhaf.rawValue, budget: 40, shard: try ShardSpec(index: 1, count: 2), in: directory)]
        let extended = try await state(SemivalueMethod.banzhaf.rawValue, budget: 90, resume: try SemivalueState.merge(parts), in: directory)
        let whole = try await state(SemivalueMethod.banzhaf.rawValue, budget: 90, in: directory)
        #expect(extended.statistics == whole.statistics)
        #expect(extended.completed == [0..<90])
    }

    @Test func mergeRefusesPartsThatDoNotBelongTogether() async throws {
        let directory = TemporaryDirectory()
        let a = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 20, shard: try ShardSpec(index: 0, count: 2), in: directory)
        let b = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 20, shard: try ShardSpec(index: 1, count: 2), in: directory)
        let otherSeed = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 20, shard: try ShardSpec(index: 1, count: 2), seed: 12, in: directory)
        let otherData = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 20, shard: try ShardSpec(index: 1, count: 2), fingerprint: "data-v2", in: directory)
        let otherMethod = try await state(SemivalueMethod.betaShapley.rawValue, budget: 20, shard: try ShardSpec(index: 1, count: 2), in: directory)
        let otherBudget = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 30, shard: try ShardSpec(index: 1, count: 2), in: directory)
        for wrong in [otherSeed, otherData, otherMethod, otherBudget] {
            #expect(throws: InputError.self) { try SemivalueState.merge([a, wrong]) }
        }
        #expect(throws: InputError.self) { try SemivalueState.merge([a, a]) }
        #expect(throws: InputError.self) { try SemivalueState.merge([]) }
        let half = try SemivalueState.merge([b])
        #expect(half.gaps == [0..<10])
        #expect(try SemivalueState.merge([a, b]).gaps.isEmpty)
    }

    @Test func resumeRefusesAStateOfAnotherRun() async throws {
        let directory = TemporaryDirectory()
        let first = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 20, in: directory)
        await #expect(throws: InputError.self) {
            _ = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 40, resume: first, seed: 99, in: directory)
        }
        let shard = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 20, shard: try ShardSpec(index: 1, count: 2), in: directory)
        await #expect(throws: InputError.self) {
            _ = try await state(SemivalueMethod.tmcShapley.rawValue, budget: 40, resume: shard, in: directory)
        }
    }

    @Test func saveAndLoadRoundTripExactlyAndSaveLeavesNoTemporaryFile() async throws {
        let directory = TemporaryDirectory()
        var state = try await state(SemivalueMethod.banzhaf.rawValue, budget: 3, seed: .max - 1, in: directory)
        state.input = RunInput(fingerprint: "f", sourceRows: [2, 3, 5, 7, 11, 13], labels: ["a", "b", "a", "b", "a", "b"])
        let path = directory.file("state.json")
        try state.save(to: path)
        try state.save(to: path)
        let loaded = try SemivalueState.load(from: path)
        #expect(loaded.statistics == state.statistics && loaded.seed == .max - 1 && loaded.input == state.input)
        #expect(loaded.estimate.values.count == Self.n)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test func loadReportsBadFilesAsInputErrors() throws {
        let directory = TemporaryDirectory()
        #expect(throws: InputError.self) { try SemivalueState.load(from: directory.file("missing.json")) }
        let junk = directory.file("junk.json")
        #expect(FileManager.default.createFile(atPath: junk, contents: Data("{\"version\": 1}".utf8)))
        #expect(throws: InputError.self) { try SemivalueState.load(from: junk) }
    }

    @Test func shardsSplitTheBudgetIntoContiguousBlocks() throws {
        let blocks = try (0..<4).map { try ShardSpec(index: $0, count: 4).units(of: 10) }
        #expect(blocks == [0..<2, 2..<5, 5..<7, 7..<10])
        #expect(try ShardSpec(parsing: "3/4") == ShardSpec(index: 3, count: 4))
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3"] {
            #expect(throws: InputError.self) { try ShardSpec(parsing: bad) }
        }
    }
}
