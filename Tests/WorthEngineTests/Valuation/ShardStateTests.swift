import Foundation
import Testing
import WorthTestSupport
@testable import WorthEngine

@Suite struct ShardStateTests {
    /// 21 valued rows, 140 validation points (KNN-Shapley's chunks are then 2 points, so its
    /// shards must be cut between chunks), three classes in two features.
    static let problem: ValuationProblem = {
        var generator = SeededGenerator(seed: 3, stream: 0)
        func points(_ count: Int) -> (Matrix, [Int]) {
            var storage: [Double] = []
            var labels: [Int] = []
            for i in 0..<count {
                let label = i % 3
                labels.append(label)
                storage += [Double(label) + generator.nextUnit() - 0.5, Double(label % 2) + generator.nextUnit() - 0.5]
            }
            return (Matrix(rows: count, columns: 2, storage: storage), labels)
        }
        let (train, trainLabels) = points(21)
        let (validation, validationLabels) = points(140)
        return ValuationProblem(train: train, trainLabels: trainLabels, validation: validation, validationLabels: validationLabels,
                                classCount: 3, seed: 9, workers: 2)
    }()

    /// The method's defaults, with few trees for Data-OOB (a debug build).
    static func values(_ method: MethodDescriptor) throws -> ParameterValues {
        var values = method.defaults
        if method.id == DataOOB.descriptor.id { try values.set(DataOOB.trees, to: 13) }
        return values
    }

    func run(_ id: String, values: ParameterValues? = nil, shard: ShardSpec? = nil, stateOut: String? = nil,
             fingerprint: String = "data-v1", problem: ValuationProblem = Self.problem) async throws -> ValuationUpdate {
        let method = try #require(MethodCatalog.method(id))
        let session = RunSession(input: RunInput(fingerprint: fingerprint), shard: shard, stateOut: stateOut)
        return try await method.make(values ?? Self.values(method), session: session).finalUpdate(problem)
    }

    /// Shards 0..<count of `id`, saved and loaded.
    func shards(_ id: String, count: Int, in directory: TemporaryDirectory) async throws -> [ShardState] {
        var parts: [ShardState] = []
        for k in 0..<count {
            let path = directory.file("\(id)-\(k)-of-\(count).json")
            let update = try await run(id, shard: try ShardSpec(index: k, count: count), stateOut: path)
            #expect(update.stop == .completed)
            parts.append(try ShardState.load(from: path))
        }
        return parts
    }

    /// The estimate as bits, so that NaN equals NaN and -0 differs from 0.
    func bits(_ e: ValuationEstimate) -> [String] {
        func text(_ values: [Double]) -> String { values.map { String($0.bitPattern, radix: 16) }.joined(separator: " ") }
        return [text(e.values), text(e.standardErrors ?? [])] + e.extraColumns.map { $0.name + ": " + text($0.values) }
    }

    @Test(arguments: ["data-oob", "knn-shapley", "loo", "influence", "self-influence"])
    func mergingEveryShardEqualsOneRun(id: String) async throws {
        let directory = TemporaryDirectory()
        let one = try await run(id)
        for count in [1, 3] {
            let parts = try await shards(id, count: count, in: directory)
            let merged = try ShardState.merge(parts.reversed(), names: parts.indices.map { "part\($0)" })
            #expect(bits(merged.estimate) == bits(one.estimate), "\(id) in \(count) shards")
            #expect(merged.shard == nil && merged.gaps.isEmpty && merged.origin.method == id)
            #expect(merged.origin.parameters.map(\.name) == MethodCatalog.method(id)?.parameters.map(\.name))
        }
    }

    @Test func knnShapleyShardsHoldWholeChunksOfValidationPoints() async throws {
        let directory = TemporaryDirectory()
        let parts = try await shards(KNNShapley.descriptor.id, count: 3, in: directory)
        #expect(parts.map(\.granule) == [2, 2, 2])
        #expect(parts.map(\.completed) == [[0..<46], [46..<92], [92..<140]])
        #expect(try ShardSpec(index: 1, count: 3).units(of: 140) == 46..<93)   // what a cut by points would be
    }

    @Test func aShardOfRowsValuesOnlyItsRows() async throws {
        let shard = try await run(LeaveOneOut.descriptor.id, shard: try ShardSpec(index: 1, count: 3))
        #expect(shard.done == 7 && shard.total == 7)
        let valued = shard.estimate.values.indices.filter { !shard.estimate.values[$0].isNaN }
        #expect(valued == Array(7..<14))
    }

    @Test func mergeRefusesPartsThatDoNotMakeOneRun() async throws {
        let directory = TemporaryDirectory()
        let knn = KNNShapley.descriptor.id
        let a = try ShardState.load(from: try await save(knn, shard: "0/2", in: directory))
        let b = try ShardState.load(from: try await save(knn, shard: "1/2", in: directory))
        #expect(try ShardState.merge([a, b]).gaps.isEmpty)

        func refusal(_ parts: [ShardState]) -> String? {
            #expect(throws: InputError.self) { try ShardState.merge(parts, names: parts.indices.map { "p\($0).json" }) }?.description
        }
        var k3 = KNNShapley.descriptor.defaults
        try k3.set(KNNShapley.k, to: 3)
        let otherParameters = try ShardState.load(from: try await save(knn, shard: "1/2", values: k3, in: directory))
        #expect(refusal([a, otherParameters]) == "p1.json: does not belong with p0.json: made with parameters k=3, not k=10")
        let otherData = try ShardState.load(from: try await save(knn, shard: "1/2", fingerprint: "data-v2", in: directory))
        #expect(refusal([a, otherData])?.contains("made with another input (fingerprint data-v2, not data-v1)") == true)
        let otherMethod = try ShardState.load(from: try await save(LeaveOneOut.descriptor.id, shard: "1/2", in: directory))
        #expect(refusal([a, otherMethod]) == "p1.json: does not belong with p0.json: made with method loo, not knn-shapley")
        var otherSeed = Self.problem
        otherSeed.seed = 10
        let reseeded = try ShardState.load(from: try await save(knn, shard: "1/2", problem: otherSeed, in: directory))
        #expect(refusal([a, reseeded]) == "p1.json: does not belong with p0.json: made with seed 10, not 9")
        #expect(refusal([a, a]) == "p1.json: is shard 0/2 again (also p0.json)")
        let third = try ShardState.load(from: try await save(knn, shard: "1/3", in: directory))
        #expect(refusal([a, third]) == "p1.json: is shard 1/3 but p0.json is shard 0/2")
        let whole = try ShardState.load(from: try await save(knn, shard: nil, in: directory))
        #expect(refusal([whole, b]) == "p1.json: repeats validation points 70..<140 of p0.json")
        #expect(refusal([b]) == "p0.json: validation points 0..<70 of 0..<140 are in no part (shard 0/2 not given or not finished): merge every shard's finished state")
        #expect(refusal([]) == "nothing to merge: give at least one state file")
    }

    /// Runs `id` as shard `shard` (nil: whole) saving its state, and returns the file.
    func save(_ id: String, shard: String?, values: ParameterValues? = nil, fingerprint: String = "data-v1",
              problem: ValuationProblem = Self.problem, in directory: TemporaryDirectory) async throws -> String {
        let path = directory.file(UUID().uuidString + ".json")
        _ = try await run(id, values: values, shard: try shard.map(ShardSpec.init(parsing:)), stateOut: path,
                          fingerprint: fingerprint, problem: problem)
        return path
    }

    @Test func aStateFileLoadsAsSavedAndDamageIsOneLineNamingTheFile() async throws {
        let directory = TemporaryDirectory()
        for id in ["data-oob", "knn-shapley", "loo"] {
            let path = try await save(id, shard: "1/2", in: directory)
            let state = try ShardState.load(from: path)
            guard case .shard(let again) = try SavedState.load(from: path) else { Issue.record("\(id): not a shard state"); continue }
            #expect(again == state && state.fileChecksum == nil)
            try state.save(to: directory.file("copy.json"))
            #expect(try ShardState.load(from: directory.file("copy.json")) == state)
        }
        let path = try await save("data-oob", shard: "1/2", in: directory)
        let text = try String(contentsOfFile: path, encoding: .utf8)

        func loaded(_ text: String) -> String? {
            #expect(throws: InputError.self) { try ShardState.load(data: Data(text.utf8), name: "d.json") }?.description
        }
        #expect(loaded(text.replacingOccurrences(of: "\"seed\":9", with: "\"seed\":8"))
                == "d.json: damaged state file: the checksum does not match (it was changed after worth saved it)")
        #expect(loaded(String(text.prefix(100)))?.hasPrefix("d.json: not a worth state file, or a damaged one") == true)

        // Hand edits that keep the checksum right: the field checks alone catch them.
        func forged(_ edit: (inout ShardState) -> Void) throws -> String? {
            var state = try JSONDecoder().decode(ShardState.self, from: Data(text.utf8))
            edit(&state)
            state.fileChecksum = state.checksum
            return loaded(String(decoding: try JSONEncoder().encode(state), as: UTF8.self))
        }
        #expect(try forged { $0.completed = [0..<13] } == "d.json: damaged state file: completed trees 0..<13 are outside 6..<13")
        #expect(try forged { $0.shard = try? ShardSpec(index: 0, count: 1); $0.shard?.index = 5 }
                == "d.json: damaged state file: shard 5/1 does not exist")
        #expect(try forged { $0.origin.parameters[0].value = "0" }
                == "d.json: damaged state file: trees takes a whole number in 1...100000, not '0'")
        #expect(try forged { $0.origin.method = "dvrl2" } == "d.json: damaged state file: unknown method 'dvrl2'")
        #expect(try forged { $0.unitName = "rows" } == "d.json: damaged state file: these results count trees or models, not 'rows'")
        #expect(try forged {
            guard case .outOfBag(var tally) = $0.results else { return }
            tally.correct[0] = tally.outOfBag[0] + 1
            $0.results = .outOfBag(tally)
        }?.hasPrefix("d.json: damaged state file: row 1 is right") == true)
        #expect(try forged {
            guard case .outOfBag(var tally) = $0.results else { return }
            tally.models += 1
            $0.results = .outOfBag(tally)
        } == "d.json: damaged state file: 8 models tallied, but 7 trees completed")
    }

    @Test func partsOfSeveralRangesMergeRowByRow() async throws {
        let directory = TemporaryDirectory()
        let whole = try ShardState.load(from: try await save(LeaveOneOut.descriptor.id, shard: nil, in: directory))
        // Rows 0..<5 and 12..<21 in one part, 5..<12 in the other (as a hand-made file could say).
        func part(_ ranges: [Range<Int>]) -> ShardState {
            var part = whole
            part.completed = ranges
            guard case .rows(let values, let columns) = whole.results else { return part }
            let rows = Array(ranges.joined())
            part.results = .rows(values: rows.map { values[$0] },
                                 columns: columns.map { c in ExtraColumn(name: c.name, values: rows.map { c.values[$0] }) })
            return part
        }
        let merged = try ShardState.merge([part([0..<5, 12..<21]), part([5..<12])])
        #expect(bits(merged.estimate) == bits(whole.estimate))
    }

    @Test func aShardIsCutBetweenGranules() throws {
        let blocks = try (0..<3).map { try ShardSpec(index: $0, count: 3).units(of: 10, granule: 4) }
        #expect(blocks == [0..<4, 4..<8, 8..<10])
        #expect(try (0..<4).map { try ShardSpec(index: $0, count: 4).units(of: 10, granule: 1) }
                == (0..<4).map { try ShardSpec(index: $0, count: 4).units(of: 10) })
        #expect(try ShardSpec(index: 2, count: 3).units(of: 3, granule: 64) == 0..<3)
        #expect(try ShardSpec(index: 0, count: 3).units(of: 3, granule: 64) == 0..<0)
    }
}
