import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

/// Issue 11: relabel with `l` (the suggested label proposed, or a class from the list), saved
/// with the flags and restored on reopening, shown old → new, exported as a corrected dataset
/// with a changes file; every flag and relabel change undone and redone.
@Suite struct RelabelTests {
    func cursorRow(_ w: Workbench) -> Int? { w.run?.table.selected.map { w.run!.table.sourceRows[$0] } }

    @Test func lProposesTheSuggestedLabelAndAnyClassCanBePicked() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await ranWorkbench(file, suggestions: true)
        let run = try #require(w.run)
        let i = try #require(run.table.selected), row = run.table.sourceRows[i]
        let names = run.experiment.classNames, own = names[run.experiment.problem.trainLabels[i]]
        let suggested = names[try #require(run.predicted(i))]
        w.type(.char("l"))
        #expect(w.prompt?.text == suggested)
        #expect(w.prompt?.title.contains("1 \(names[0])  2 \(names[1]), 0 its own") == true)
        w.answer("banana")
        #expect(w.prompt?.error?.hasPrefix("not a class") == true)
        let other = names.first { $0 != own }!
        w.answer(String(names.firstIndex(of: other)! + 1))
        #expect(w.prompt == nil)
        #expect(w.session.marks.relabels == [row: other])
        #expect(w.status?.text == "row \(row) relabeled \(own) → \(other) (u undoes)")
        #expect(render(w, 100, 30).text.contains("\(own)→\(other)"))
        // Its own label again with 0 (or by naming it).
        w.type(.char("l"))
        w.answer("0")
        #expect(w.session.marks.relabels.isEmpty)
    }

    @Test func relabelsAreSavedWithTheFlagsAndRestored() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await ranWorkbench(file, suggestions: true)
        let row = try #require(cursorRow(w))
        let own = try #require(w.session.originalLabel(row)), other = own == "even" ? "odd" : "even"
        w.type(.char("l"))
        w.answer(other)
        w.type(.char(" "))
        let again = await makeWorkbench(file)
        #expect(again.session.marks.relabels == [row: other])
        #expect(again.flags == [row])
        #expect(again.status?.text.hasPrefix("restored 1 flagged row and 1 relabel") == true)
    }

    @Test func everyChangeUndoesAndRedoesAndUnflagAllIsOneStep() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await ranWorkbench(file, suggestions: true)
        let row = try #require(cursorRow(w))
        w.type(.char(" "))                              // flag, cursor moves down
        let next = try #require(cursorRow(w))
        w.type(.char("l"))
        w.answer(w.session.originalLabel(next) == "even" ? "odd" : "even")
        w.type(.char("f"), .enter)                      // the lowest 10%
        let flagged = w.flags
        #expect(flagged.count > 1)
        w.type(.char("U"))
        #expect(w.flags.isEmpty)
        w.type(.char("u"))
        #expect(w.flags == flagged && w.status?.text == "undid: unflag all \(flagged.count)")
        w.type(.char("u"))                              // the lowest 10%
        #expect(w.flags == [row])
        w.type(.char("u"))                              // the relabel
        #expect(w.session.marks.relabels.isEmpty)
        w.type(.char("u"), .char("u"))
        #expect(w.flags.isEmpty && w.status?.text == "nothing to undo")
        w.type(.char("\u{12}"), .char("\u{12}"))      // Ctrl-R twice: the flag, then the relabel
        #expect(w.flags == [row] && w.session.marks.relabels.count == 1)
        // Undo reaches the file too.
        #expect(await makeWorkbench(file).session.marks == w.session.marks)
        // A new change after an undo forgets what could be redone.
        w.type(.char("u"), .char("G"), .char(" "), .char("\u{12}"))
        #expect(w.status?.text == "nothing to redo")
    }

    /// The corrected dataset is the file with relabels applied and flagged rows dropped, every
    /// other byte as written; the changes file lists each changed row with the runs' values.
    @Test(arguments: [["\n"], ["\r\n"]])
    func exportWritesTheCorrectedDatasetAndTheChanges(lineEnds: [String]) async throws {
        let file = try FixtureFile(lineEnds: lineEnds)
        defer { file.remove() }
        let w = await ranWorkbench(file, suggestions: true)
        let relabeled = try #require(cursorRow(w))
        let own = try #require(w.session.originalLabel(relabeled)), other = own == "even" ? "odd" : "even"
        w.type(.char("l"))
        w.answer(other)
        w.type(.char("j"), .char(" "))
        let dropped = try #require(w.flags.first)
        w.session.export(prefix: file.directory + "/out")
        #expect(w.status?.text.contains("out-corrected.csv (1 relabeled, flagged dropped)") == true)
        let original = try String(contentsOfFile: file.path, encoding: .utf8).components(separatedBy: lineEnds[0])
        let corrected = try String(contentsOfFile: file.directory + "/out-corrected.csv", encoding: .utf8).components(separatedBy: lineEnds[0])
        var expected = original
        let cells = original[relabeled].split(separator: ",")
        expected[relabeled] = cells.dropLast().joined(separator: ",") + "," + other
        expected.remove(at: dropped)
        #expect(corrected == expected)
        let changes = try String(contentsOfFile: file.directory + "/out-changes.csv", encoding: .utf8).split(separator: "\n")
        #expect(changes[0] == "row,old_label,new_label,value_Fixture")
        let values = try #require(w.run?.table)
        func value(_ row: Int) -> String { "\(values.values[values.index(ofSourceRow: row)!])" }
        let lines = [relabeled, dropped].sorted().map { r in
            r == relabeled ? "\(r),\(own),\(other),\(value(r))" : "\(r),\(w.session.originalLabel(r)!),dropped,\(value(r))"
        }
        #expect(Array(changes.dropFirst()).map(String.init) == lines)
    }

    @Test func aFieldIsReplacedAsTheReaderSplitsIt() throws {
        let text = "a,b,label\n1,\"x, y\",\"old\"\r\n2,3,plain\n"
        let table = try CSVReader.parse(text, file: "t.csv")
        let source = SourceText(bytes: Array(text.utf8), table: table)
        func row(_ r: Int, _ c: Int, _ t: String) throws -> String {
            String(decoding: try source.dataRow(r, replacingField: c, with: t), as: UTF8.self)
        }
        #expect(try row(1, 2, "new") == "1,\"x, y\",new\r\n")
        #expect(try row(1, 1, "z") == "1,z,\"old\"\r\n")
        #expect(try row(2, 2, "with, comma") == "2,3,\"with, comma\"\n")
        #expect(try row(2, 0, "q\"") == "\"q\"\"\",3,plain\n")
    }

    @Test func theWhatIfCountsDropsAndRelabels() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await ranWorkbench(file, suggestions: true)
        let row = try #require(cursorRow(w))
        w.type(.char("l"))
        w.answer(w.session.originalLabel(row) == "even" ? "odd" : "even")
        w.type(.char("j"), .char(" "), .char("r"))
        await waitFor(w) { w.whatIf != nil }
        let result = try #require(w.whatIf)
        #expect(result.removed == 1 && result.relabeled == 1)
        #expect(render(w, 100, 30).text.contains("flagged among them and with the 1 relabeled"))
    }
}
