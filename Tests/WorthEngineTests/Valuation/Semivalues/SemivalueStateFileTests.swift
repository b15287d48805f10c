import Foundation
import Testing
@testable import WorthEngine
import WorthTestSupport

/// State files are input: every way of damaging one gives one `InputError` line naming the file
/// and the fault, never a trap, never a silently wrong value.
@Suite struct SemivalueStateFileTests {
    static let n = 6

    /// The layout of a file of 8 data rows: rows 2 and 7 held out for validation, the others
    /// valued as rows 0…5.
    static let layout = ResultLayout(rows: (0..<8).map { r in
        let valued = r < 1 ? r : (r == 1 || r == 6 ? nil : (r < 6 ? r - 1 : r - 2))
        return ResultLayout.Row(label: r % 2 == 0 ? "a" : "b", valued: valued, heldOut: valued == nil ? "validation" : "",
                                noisyLabel: nil, flipped: nil)
    }, hasFlips: false)

    /// Runs `method` for `budget` units, saves its state and returns the path and the JSON.
    func saved(_ method: String = SemivalueMethod.tmcShapley.rawValue, budget: Int = 12, shard: ShardSpec? = nil,
               in directory: TemporaryDirectory) async throws -> (path: String, json: [String: Any]) {
        let path = directory.file(UUID().uuidString + ".json")
        let input = RunInput(fingerprint: "data-v1", sourceRows: [1, 3, 4, 5, 6, 8], labels: ["a", "b", "a", "b", "a", "b"],
                                   layout: Self.layout)
        let session = RunSession(input: input, shard: shard, stateOut: path)
        let utility: UtilityFactory = { _ in GameUtility(count: Self.n) }
        let valuator: any Valuator = method == SemivalueMethod.banzhaf.rawValue
            ? SemivalueValuator.banzhaf(utility: utility, stopping: .maxUnits(budget), session: session)
            : SemivalueValuator.tmcShapley(utility: utility, stopping: .maxUnits(budget), session: session)
        _ = try await valuator.finalUpdate(placeholderProblem(count: Self.n, seed: 5))
        let data = try #require(FileManager.default.contents(atPath: path))
        return (path, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }

    /// Writes `json` to `path` and returns the load error's text (nil when it loaded).
    func loadError(_ json: [String: Any], at path: String) throws -> String? {
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        do { _ = try SemivalueState.load(from: path); return nil } catch let error as InputError { return error.description }
    }

    /// Expects loading `json` to fail with one line naming the file and containing `fault`.
    func expectRefused(_ json: [String: Any], at path: String, _ fault: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try loadError(json, at: path)
        #expect(error?.hasPrefix(path + ": ") == true, "\(error ?? "loaded")", sourceLocation: sourceLocation)
        #expect(error?.contains(fault) == true, "\(error ?? "loaded")", sourceLocation: sourceLocation)
        #expect(error?.contains("\n") == false, sourceLocation: sourceLocation)
    }

    /// `json` with the value at `keys` replaced by `transform` of it.
    func edited(_ json: [String: Any], _ keys: [String], _ transform: (Any?) -> Any?) -> [String: Any] {
        var json = json
        guard let key = keys.first else { return json }
        if keys.count == 1 {
            json[key] = transform(json[key])
        } else {
            json[key] = edited(json[key] as? [String: Any] ?? [:], Array(keys.dropFirst()), transform)
        }
        return json
    }

    /// The base64 integers at `keys` with integer `index` set to `value`.
    func withInteger(_ json: [String: Any], _ keys: [String], index: Int, _ value: Int128) -> [String: Any] {
        edited(json, keys) { old in
            var bytes = [UInt8](Data(base64Encoded: old as! String)!)
            withUnsafeBytes(of: value.littleEndian) { for j in 0..<16 { bytes[index * 16 + j] = $0[j] } }
            return Data(bytes).base64EncodedString()
        }
    }

    @Test func aSavedStateLoadsBackAsSavedFromThePathAndFromBytes() async throws {
        let directory = TemporaryDirectory()
        let (path, _) = try await saved(in: directory)
        let state = try SemivalueState.load(from: path)
        #expect(state.unitsDone == 12 && state.input.layout == Self.layout && state.fileChecksum == nil)
        let data = try #require(FileManager.default.contents(atPath: path))
        #expect(try SemivalueState.load(data: data, name: "bytes") == state)
    }

    @Test func theIssuesHandEditsAreOneLineErrors() async throws {
        let directory = TemporaryDirectory()
        let (path, json) = try await saved(in: directory)
        // One flipped base64 character in the sums (was: a value of 43.7 instead of 0.0021).
        let flipped = edited(json, ["statistics", "positive", "sums"]) { old in
            var chars = Array(old as! String)
            chars[88] = chars[88] == "A" ? "B" : "A"   // a low byte of row 5's sum: within every bound
            return String(chars)
        }
        try expectRefused(flipped, at: path, "the checksum does not match")
        // `completed` claiming 10^18 units (was: the run "completed" at once).
        try expectRefused(edited(json, ["completed"]) { _ in [[0, 1_000_000_000_000_000_000]] }, at: path, "outside 0..<12")
        // Counts and sums that overflowed the moments (was: SIGILL).
        try expectRefused(edited(json, ["statistics", "positive", "counts"]) { old in
            var counts = old as! [Int]; counts[0] = Int.max; counts[6] = Int.max; return counts
        }, at: path, "contributions")
        try expectRefused(withInteger(json, ["statistics", "positive", "sums"], index: 0, .max), at: path, "sums exceed")
        try expectRefused(withInteger(json, ["statistics", "positive", "squares"], index: 3, -1), at: path, "sums exceed")
        // A layout pointing past the valued rows (was: index out of range in ResultTable.init, SIGILL).
        try expectRefused(edited(json, ["input", "layout", "rows"]) { old in
            var rows = old as! [[String: Any]]; rows[0]["valued"] = 99; return rows
        }, at: path, "layout row 1 points at valued row 99")
        try expectRefused(edited(json, ["statistics", "positive", "rows"]) { _ in 1 << 62 }, at: path, "not a worth state file")
    }

    @Test func everyFieldIsCheckedAgainstTheOthers() async throws {
        let directory = TemporaryDirectory()
        let (path, json) = try await saved(budget: 12, in: directory)
        let cases: [(String, [String: Any])] = [
            ("contributions in chain", edited(json, ["statistics", "positive", "counts"]) { old in
                var counts = old as! [Int]; counts[2] = -5; return counts
            }),
            ("row 1 has 3 contributions in chain 0", edited(json, ["statistics", "positive", "counts"]) { old in
                var counts = old as! [Int]; counts[0] += 1; return counts
            }),
            ("not in order or overlap", edited(json, ["completed"]) { _ in [[5, 8], [2, 6]] }),
            ("outside", edited(json, ["completed"]) { _ in [[-3, 9]] }),
            ("not a worth state file", edited(json, ["completed"]) { _ in [[9, 3]] }),
            ("budget", edited(json, ["budget"]) { _ in 1_000_000_000_000_000_000 }),
            ("shard 0/0 does not exist", edited(json, ["shard"]) { _ in ["index": 0, "count": 0] }),
            ("shard 0/2 without a budget", edited(edited(json, ["shard"]) { _ in ["index": 0, "count": 2] }, ["budget"]) { _ in nil }),
            ("counts permutations, not 'trees'", edited(json, ["unitName"]) { _ in "trees" }),
            ("unknown method", edited(json, ["settings", "method"]) { _ in "magic" }),
            ("have a second side", edited(json, ["statistics"]) { old in
                var s = old as! [String: Any]; s["negative"] = s["positive"]; return s
            }),
            ("7 labels for 6 valued rows", edited(json, ["input", "labels"]) { old in (old as! [String]) + ["c"] }),
            ("the layout does not place every valued row", edited(json, ["input", "layout", "rows"]) { old in
                var rows = old as! [[String: Any]]; rows[3]["valued"] = nil; return rows
            }),
            ("last-check values", edited(json, ["lastCheckValues"]) { _ in [1.0, 2.0] }),
            ("the checksum is missing", edited(json, ["checksum"]) { _ in nil }),
            ("the checksum does not match", edited(json, ["seed"]) { _ in 6 }),
            ("format 1, written by an older worth", edited(json, ["version"]) { _ in 1 }),
            ("format 7", edited(json, ["version"]) { _ in 7 }),
            ("missing statistics", edited(json, ["statistics"]) { _ in nil }),
        ]
        for (fault, broken) in cases { try expectRefused(broken, at: path, fault) }
        let banzhaf = try await saved(SemivalueMethod.banzhaf.rawValue, budget: 12, in: directory)
        try expectRefused(edited(banzhaf.json, ["statistics"]) { old in
            var s = old as! [String: Any]; s.removeValue(forKey: "negative"); return s
        }, at: banzhaf.path, "lack the second side")
        // Shards: the completed units must lie in the shard's block.
        let shard = try await saved(budget: 12, shard: try ShardSpec(index: 1, count: 2), in: directory)
        #expect(try loadError(shard.json, at: shard.path) == nil)
        try expectRefused(edited(shard.json, ["completed"]) { _ in [[0, 6]] }, at: shard.path, "outside 6..<12")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("{\"version\": 2, \"seed\"".utf8)))
        #expect(throws: InputError.self) { try SemivalueState.load(from: path) }
    }

    /// A small fuzz run in the unit tests: random byte edits, deletions and truncations of a
    /// valid file load as a state or give an `InputError`; a state that loads can be used.
    @Test func randomlyDamagedFilesNeverTrap() async throws {
        let directory = TemporaryDirectory()
        let (path, _) = try await saved(SemivalueMethod.banzhaf.rawValue, budget: 12, in: directory)
        let original = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        var generator = SeededGenerator(seed: 8, stream: 1)
        var refused = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: at)
                default: bytes = Array(bytes[..<at])
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            do {
                let state = try SemivalueState.load(data: Data(bytes), name: "fuzz.json")
                _ = (state.estimate, state.gaps, state.statistics.rHat)
                if let layout = state.input.layout { _ = ResultTable(layout: layout, estimate: state.estimate).csv() }
            } catch is InputError {
                refused += 1
            }
        }
        #expect(refused > 250)
    }

    @Test func addingMomentsThatOverflowThrowsAndLeavesTheSumUnchanged() throws {
        var a = ChainMoments(rows: 1, chains: 1)
        a.add(65536, row: 0, chain: 0)
        var big = a
        big.sums[0] = .max
        let before = a
        #expect(throws: ChainMoments.Overflow.self) { try a.add(big) }
        #expect(a == before)
        try a.add(before)
        #expect(a.counts == [2] && a.sums == [2 * before.sums[0]])
    }
}
