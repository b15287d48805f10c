import Foundation
import Testing
@testable import WorthEngine
import WorthTestSupport

/// Saved runs: written and read back field for field, found again by their store, rebuilt on
/// the same split; any damage one line naming the file, never a trap.
@Suite struct SavedRunTests {
    /// A finished Data-OOB-like run of the fixture file, flips included.
    static func sample(id: String = "20261127-101500-data-oob-0a1b", flip: Double = 0.2) throws -> (SavedRun, Experiment) {
        let loaded = try loadFixture()
        let e = try Experiment(source: loaded, options: ExperimentOptions(validationFraction: 0.2, testFraction: 0.1,
                                                                          flipFraction: flip, seed: 3), for: nil)
        let n = e.problem.count
        var values = (0..<n).map { Double($0 % 5) / 4 - 0.3 }
        values[2] = .nan
        var rhat = ConvergenceSeries(name: "R-hat", target: 1.05)
        rhat.history = [ConvergencePoint(done: 10, value: 1.3), ConvergencePoint(done: 20, value: 1.04)]
        let update = ValuationUpdate(done: 20, total: 100, unit: "permutations",
                                     estimate: ValuationEstimate(values: values, standardErrors: (0..<n).map { 0.01 * Double($0) },
                                                                 extraColumns: [ExtraColumn(name: "oob_count", values: (0..<n).map(Double.init))]),
                                     convergence: [rhat], elapsed: 3.25, stop: .converged("R-hat 1.04 < 1.05"))
        var parameters = DataOOB.descriptor.defaults
        try parameters.set("trees", "200")
        let data = SavedRun.DataIdentity(fingerprint: "00112233aabbccdd", dataRows: loaded.totalRows, labelColumn: 2,
                                         labelName: "label", missing: .drop)
        return (SavedRun(id: id, method: DataOOB.descriptor, parameters: parameters, experiment: e, data: data, update: update), e)
    }

    @Test func aRunIsReadBackFieldForField() throws {
        let (run, e) = try Self.sample()
        let back = try SavedRun.decode(try run.encoded(), name: "r.json")
        // NaN is not equal to itself: compare the values' bits.
        #expect(back.values.map(\.bitPattern) == run.values.map(\.bitPattern))
        var a = back, b = run
        a.values = []; b.values = []
        #expect(a == b)
        #expect(back.rows == e.valuedRows.indices.map { e.sourceRow(ofValued: $0) })
        #expect(back.changedParameters == [SavedRun.Parameter(name: "trees", value: "200")])
        #expect(back.parameters.count == DataOOB.descriptor.parameters.count)
        #expect(back.stop == .converged("R-hat 1.04 < 1.05"))
        #expect(back.flippedRows == e.flippedRows.count && back.flippedRows > 0)
        #expect(back.auroc == NoisyLabelDetection(values: run.values, flipped: e.flipped).auroc)
        #expect(back.finalUpdate.estimate.extraColumns == run.extraColumns)
    }

    /// The split is a function of the file and the settings: the same options rebuild the same
    /// rows; another seed does not.
    @Test func aSavedRunMatchesTheSplitItWasMadeOn() throws {
        let (run, _) = try Self.sample()
        let again = try Experiment(source: try loadFixture(), options: run.settings.options(workers: 3), for: nil)
        #expect(run.matches(again))
        var other = run.settings
        other.seed = 4
        #expect(!run.matches(try Experiment(source: try loadFixture(), options: other.options(workers: 1), for: nil)))
    }

    @Test func theStoreListsSavesAndDeletes() throws {
        let dir = TemporaryDirectory()
        let store = RunStore(dataPath: dir.file("data.csv"))
        #expect(store.directory == dir.file("data.csv.worth-runs"))
        #expect(store.list().isEmpty)   // no folder yet
        let (late, _) = try Self.sample(id: "b-run")
        var early = late
        early.id = "a-run"
        early.created = late.created - 60
        early.method = "knn-shapley"
        try store.save(late)
        try store.save(early)
        let listed = store.list().compactMap { if case .run(let r, _) = $0 { r.id } else { nil } }
        #expect(listed == ["a-run", "b-run"])   // oldest first
        try store.delete(id: "a-run")
        #expect(store.list().count == 1)
        try store.delete(id: "a-run")   // already gone: nothing to do
        // A temporary file of a writer that died, and files that are not runs, are not listed.
        try Data("x".utf8).write(to: URL(fileURLWithPath: store.directory + "/.b-run.json.1.ab.tmp"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: store.directory + "/notes.txt"))
        #expect(store.list().count == 1)
    }

    /// Damaged files are listed as unreadable, one line each naming the file; the others load.
    @Test func damagedFilesAreOneLineEach() throws {
        let dir = TemporaryDirectory()
        let store = RunStore(dataPath: dir.file("data.csv"))
        let (run, _) = try Self.sample(id: "good")
        try store.save(run)
        let bytes = try run.encoded()
        var json = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        func write(_ name: String, _ data: Data) throws { try data.write(to: URL(fileURLWithPath: store.directory + "/" + name + ".json")) }
        func edited(_ key: String, _ value: Any) throws -> Data {
            var j = json
            j[key] = value
            j["id"] = "x"
            return try JSONSerialization.data(withJSONObject: j)
        }
        try write("truncated", bytes.prefix(bytes.count / 2))
        try write("empty", Data())
        try write("binary", Data([0xFF, 0x00, 0x7B]))
        json["id"] = "changed"
        try write("changed", try JSONSerialization.data(withJSONObject: json))   // the checksum no longer matches
        json["id"] = "good"
        try write("renamed", bytes)                                                 // holds run "good"
        try write("version", try edited("version", 99))
        try write("short", try edited("values", Data(count: 12).base64EncodedString()))
        try write("stop", try edited("stop", ["kind": "exploded"]))
        let entries = store.list()
        let runs = entries.compactMap { if case .run(let r, _) = $0 { r.id } else { nil } }
        let reasons = Dictionary(uniqueKeysWithValues: entries.compactMap {
            if case .unreadable(let path, let reason) = $0 { (lastPart(of: path), reason) } else { nil }
        })
        #expect(runs == ["good"])
        #expect(reasons.count == 8)
        for (name, reason) in reasons {
            #expect(reason.hasPrefix(store.directory + "/" + name + ": "), "\(reason)")
            #expect(!reason.contains("\n"))
        }
        #expect(reasons["changed.json"]?.contains("checksum does not match") == true)
        #expect(reasons["renamed.json"]?.contains("holds run good") == true)
        #expect(reasons["version.json"]?.contains("format 99") == true)
        #expect(reasons["short.json"]?.contains("12 bytes") == true)
        #expect(reasons["stop.json"]?.contains("exploded") == true)
        #expect(reasons["truncated.json"]?.contains("not a worth run file") == true)
    }

    /// Field checks: a run whose arrays disagree, or whose rows leave the file, is refused even
    /// with a checksum made to match.
    @Test func fieldsAreCheckedAgainstEachOther() throws {
        let (run, _) = try Self.sample()
        var r = run
        r.values.removeLast()
        #expect(throws: SavedRun.Defect.self) { try r.validate() }
        r = run
        r.rows[1] = r.rows[0]
        #expect(throws: SavedRun.Defect.self) { try r.validate() }
        r = run
        r.rows[r.rows.count - 1] = r.data.dataRows + 1
        #expect(throws: SavedRun.Defect.self) { try r.validate() }
        r = run
        r.settings.flipFraction = 2
        #expect(throws: SavedRun.Defect.self) { try r.validate() }
        r = run
        r.id = "../escape"
        #expect(throws: SavedRun.Defect.self) { try r.validate() }
        do {
            _ = try SavedRun.decode(try r.encoded(), name: "r.json")
            Issue.record("a run whose id names another folder loaded")
        } catch let e as InputError {
            #expect(e.description.hasPrefix("r.json: damaged run file: the id"))
        }
    }

    /// A folder that cannot hold runs: a file in its place is one unreadable entry, and saving
    /// says why.
    @Test func aFileInPlaceOfTheFolder() throws {
        let dir = TemporaryDirectory()
        let store = RunStore(dataPath: dir.file("data.csv"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: store.directory))
        guard case .unreadable(_, let reason)? = store.list().first else { Issue.record("listed as runs"); return }
        #expect(reason.hasSuffix("is not a folder"))
        let (run, _) = try Self.sample()
        #expect(throws: InputError.self) { try store.save(run) }
    }

    @Test func idsSortByTimeAndNameTheMethod() {
        let a = SavedRun.makeID(method: "data-oob", date: Date(timeIntervalSince1970: 1_800_000_000))
        let b = SavedRun.makeID(method: "knn shapley/x", date: Date(timeIntervalSince1970: 1_800_000_060))
        #expect(a.hasPrefix("20270115-080000-data-oob-"))
        #expect(b.hasPrefix("20270115-080100-knn-shapley-x-"))
        #expect(a < b)
    }
}
