import Testing
import WorthEngine
@testable import WorthCLI

@Suite struct ArgumentListTests {
    static let specs = [
        OptionSpec(name: "out", valueName: "PATH", help: ""),
        OptionSpec(name: "trees", valueName: "N", help: ""),
        OptionSpec(name: "seed", valueName: "S", help: ""),
        OptionSpec(name: "quiet", valueName: nil, help: ""),
        OptionSpec(name: "help", valueName: nil, help: ""),
    ]

    func message(_ words: [String]) -> String? {
        do { _ = try ArgumentList(words, accepting: Self.specs); return nil } catch let error as InputError {
            return CLIPhrasing.describe(error)
        } catch { return "\(error)" }
    }

    @Test func splitsPositionalsValuesAndSwitches() throws {
        let a = try ArgumentList(["data.csv", "--out", "v.csv", "--trees=5", "--quiet", "--", "--not-a-flag", "-"], accepting: Self.specs)
        #expect(a.positionals == ["data.csv", "--not-a-flag", "-"])
        #expect(a.value("out") == "v.csv" && a.value("trees") == "5")
        #expect(a.has("quiet") && !a.has("help"))
        #expect(a.isSet("out") && a.isSet("quiet") && !a.isSet("seed"))
        #expect(Set(a.givenValueNames) == ["out", "trees"])
        #expect(try ArgumentList(["-h"], accepting: Self.specs).has("help"))
        #expect(try ArgumentList(["--out=--odd"], accepting: Self.specs).value("out") == "--odd")
    }

    @Test func mistakesAreOneLineSayingWhatToDo() {
        #expect(message(["--bogus", "3"]) == "unknown option '--bogus' (see --help)")
        #expect(message(["--tres", "3"]) == "unknown option '--tres' (did you mean --trees?)")
        #expect(message(["-x"]) == "unknown option '-x' (options are spelled --name; see --help)")
        #expect(message(["--out"]) == "--out needs a value (PATH)")
        #expect(message(["--out", "--quiet"]) == "--out needs a value (PATH) before --quiet (write --out=VALUE for a value that starts with --)")
        #expect(message(["--quiet=yes"]) == "--quiet takes no value")
        #expect(message(["--seed", "1", "--seed", "2"]) == "--seed is given twice")
    }

    @Test func engineParametersAreReadTypedThroughTheirDeclarations() throws {
        let a = try ArgumentList(["--trees", "40", "--seed", "7"], accepting: Self.specs)
        #expect(try a.value(DataOOB.trees) == 40)
        #expect(try a.value(ExperimentSettings.seed) == 7)
        #expect(try a.value(ExperimentSettings.flip) == nil)
        let bad = try ArgumentList(["--trees", "0", "--seed", "-1"], accepting: Self.specs)
        let trees = #expect(throws: InputError.self) { try bad.value(DataOOB.trees) }
        #expect(trees.map(CLIPhrasing.describe) == "--trees takes a whole number in 1...100000, not '0'")
        let seed = #expect(throws: InputError.self) { try bad.value(ExperimentSettings.seed) }
        #expect(seed.map(CLIPhrasing.describe) == "--seed takes a whole number ≥ 0, not '-1'")
    }

    @Test func editDistanceCountsSingleCharacterEdits() {
        #expect(editDistance("trees", "trees") == 0)
        #expect(editDistance("tres", "trees") == 1)
        #expect(editDistance("", "abc") == 3 && editDistance("kitten", "sitting") == 3)
    }
}
