import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

@Suite struct WorkbenchTests {
    @Test func openingAFileShowsTheLabelPickerThenTheDataset() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = emptyWorkbench(directory: file.directory)
        w.open(path: file.path, label: nil)
        #expect(w.current == .label)
        let picker = render(w, 80, 24).text
        #expect(picker.contains("Label column: label"))
        #expect(picker.contains("40 rows, 3 columns"))
        w.type(.enter)
        await waitForLoad(w)
        #expect(w.current == .dataset)
        let dataset = render(w, 80, 24).text
        #expect(dataset.contains("40 rows, 3 columns, label 'label', 2 classes"))
        #expect(dataset.contains("even") && dataset.contains("odd"))
    }

    /// The columns table clips its drawing; the map beside it must still be drawn.
    @Test func datasetScreenDrawsTheMapBesideTheColumns() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        #expect(w.current == .dataset)
        await waitForMap(w)
        let text = render(w, 140, 40).text
        #expect(text.contains("Map: first two principal components"))
        // Each class's mark, in the map and its legend.
        #expect(text.contains("● even") && text.contains("○ odd"))
        #expect(text.filter { $0 == "●" }.count > 1 && text.filter { $0 == "○" }.count > 1)
    }

    /// Header names, labels and cells reach the screen escaped: an ESC sequence in a header, a
    /// line break in a quoted header and control bytes in labels are drawn as `\e`, `\n`, ….
    @Test func textFromTheFileIsEscapedOnEveryScreen() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        var text = "\"f\u{1B}[2J1\",\"two\nlines\",\"lab\u{1B}[31mel\"\n"
        for i in 0..<40 { text += "\(i),\(i % 3),\"c\u{1B}]0;x\u{7}\(i % 2)\"\n" }
        let path = file.directory + "/hostile.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let w = emptyWorkbench(directory: file.directory)
        func expectClean(_ g: Grid) {
            #expect(!g.cells.contains { $0.character.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) } })
        }
        w.open(path: path, label: nil)
        let picker = render(w, 120, 30)
        expectClean(picker)
        #expect(picker.text.contains("Label column: lab\\e[31mel"))
        #expect(picker.text.contains("two\\nlines"))
        w.type(.enter)
        await waitForLoad(w)
        #expect(w.current == .dataset)
        let dataset = render(w, 120, 30)
        expectClean(dataset)
        #expect(dataset.text.contains("label 'lab\\e[31mel'"))
        #expect(dataset.text.contains("f\\e[2J1"))
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.enter)
        #expect(w.overlay == .detail)
        let detail = render(w, 120, 30)
        expectClean(detail)
        #expect(detail.text.contains("c\\e]0;x\\x07"))
    }

    @Test func aBadFileShowsItsErrorAndTheUIStays() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.escape)
        #expect(w.current == .open)
        w.type(.char("o"))
        w.answer(file.directory + "/missing.csv")
        #expect(w.current == .open)
        let text = render(w, 200, 60).text
        #expect(text.contains("Could not open"))
        #expect(text.contains("missing.csv") && text.contains("does not exist"))
    }

    @Test func runFlagExportEndToEnd() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter)             // dataset → method
        #expect(w.current == .method)
        w.type(.enter)             // run the first method
        #expect(w.current == .run)
        await waitForRun(w)
        let run = try #require(w.run)
        #expect(run.stop == .completed)
        // 40 rows, 20% test: 32 valued; values (i mod 7) − 1, lowest 10% = 4 rows, all at −1.
        #expect(run.table.count == 32)

        let screen = render(w, 80, 24).text
        #expect(screen.contains("stopped: completed"))
        #expect(screen.contains("3/3 steps"))
        #expect(screen.contains("Ranked rows · sort: value ↑"))

        w.type(.char("f"), .enter)
        #expect(w.flags.count == 4)
        for row in w.flags {
            let i = try #require(w.run?.table.sourceRows.firstIndex(of: row))
            #expect(w.run?.table.values[i] == -1)
        }
        // Flags are saved beside the data and restored when the file is opened again.
        let again = await makeWorkbench(file)
        #expect(again.flags == w.flags)

        w.type(.char("F"))
        #expect(w.run?.table.count == 4)
        #expect(render(w, 80, 24).text.contains("flagged only"))

        w.type(.char("e"))
        w.answer(file.directory + "/out")
        let values = try String(contentsOfFile: file.directory + "/out-values.csv", encoding: .utf8)
        let lines = values.split(separator: "\n")
        #expect(lines.first == "row,label,value,stderr,rank,held_out,flagged")
        #expect(lines.count == 41)
        #expect(lines.filter { $0.hasSuffix(",test,0") }.count == 8)
        #expect(lines.filter { $0.hasSuffix(",1") }.count == 4)
        let flagged = try String(contentsOfFile: file.directory + "/out-flagged.csv", encoding: .utf8)
        let cleaned = try String(contentsOfFile: file.directory + "/out-cleaned.csv", encoding: .utf8)
        #expect(flagged.split(separator: "\n").count == 5)
        #expect(cleaned.split(separator: "\n").count == 37)
        let original = try String(contentsOfFile: file.path, encoding: .utf8).split(separator: "\n")
        for row in w.flags { #expect(flagged.contains(original[row] + "\n")) }
        #expect(w.status?.text.hasPrefix("exported") == true)
    }

    @Test func spaceFlagsTheRowUnderTheCursorAndUUnflagsAll() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        let first = try #require(w.run?.table.selected.map { w.run!.table.sourceRows[$0] })
        w.type(.char(" "))
        #expect(w.flags == [first])
        #expect(w.run?.table.cursor == 1)
        w.type(.char("u"))
        #expect(w.flags.isEmpty)
    }

    @Test func searchingARowNumberMovesTheCursorOrSaysWhyNot() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        let target = try #require(w.run?.table.sourceRows.last)
        w.type(.char("/"))
        w.type(text: String(target))
        w.type(.enter)
        #expect(w.run?.table.selected.map { w.run!.table.sourceRows[$0] } == target)
        w.type(.char("/"))
        w.type(text: "999")
        w.type(.enter)
        #expect(w.prompt?.error?.contains("no listed row matches") == true)
    }

    @Test func runViewLaysOutAt80x24And200x60() async throws {
        let file = try FixtureFile(rows: 200)
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        for (width, height) in [(80, 24), (200, 60)] {
            let g = render(w, width, height)
            #expect(g.line(0).contains("Run"))
            #expect(g.line(1).contains("Fixture"))
            #expect(g.text.contains(width == 80 ? "─ mean |Δvalue| = 0.3333 ─" : "Convergence: mean |Δvalue| = 0.3333, stop < 0.0100"))
            // The table fills the rest: header + as many rows as fit.
            let shown = w.run!.table.visibleRange.count
            #expect(shown == w.run!.table.pageSize)
            #expect(height == 24 ? shown >= 6 : shown >= 30)
            // Nothing is drawn past the right edge of a panel: every line is at most `width` wide.
            #expect(g.text.split(separator: "\n").allSatisfy { $0.count <= width })
        }
    }

    @Test func tooSmallTerminalAsksToEnlarge() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        let text = render(w, 79, 24).text
        #expect(text.contains("Enlarge the terminal"))
        #expect(text.contains("79×24"))
        #expect(!render(w, 80, 23).text.contains("Dataset"))
        #expect(!render(w, 80, 24).text.contains("Enlarge"))
    }

    @Test func asciiGlyphsDrawNothingOutsideAscii() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        #expect(render(w, 100, 30, glyphs: .ascii).text.unicodeScalars.allSatisfy { $0.isASCII })
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.char("f"), .enter)
        let text = render(w, 100, 30, glyphs: .ascii).text
        #expect(text.contains("+-"))
        #expect(text.contains("sort: value ^"))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func helpListsEveryKey() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.char("?"))
        let text = render(w, 100, 50).text
        for b in KeyTable.bindings(in: .dataset) + KeyTable.bindings(in: .global) { #expect(text.contains(b.keys)) }
        w.type(.escape)
        #expect(w.overlay == nil)
    }

    @Test func parametersAreEditedWithValidation() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .right, .enter)
        w.type(.backspace)
        w.type(text: "99")
        w.type(.enter)
        #expect(w.prompt?.error?.contains("1...10") == true)
        w.type(.backspace, .backspace, .char("5"), .enter)
        #expect(w.method.choices.values(of: fixtureMethods[0]).text("steps") == "5")
    }

    @Test func typingReplacesTheProposedValueAndCtrlUClears() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .right, .enter)
        #expect(w.prompt?.fresh == true && w.prompt?.text.isEmpty == false)
        w.type(text: "7")
        #expect(w.prompt?.text == "7")          // replaced, not appended to the default
        w.type(text: "1")
        #expect(w.prompt?.text == "71")         // then typing appends
        w.type(.char("\u{15}"))
        #expect(w.prompt?.text == "")
        w.type(text: "3")
        w.type(.enter)
        #expect(w.method.choices.values(of: fixtureMethods[0]).text("steps") == "3")
    }

    @Test func anEngineFailureShowsInTheRunView() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .down, .enter)
        await waitForRun(w)
        #expect(render(w, 80, 24).text.contains("failed: the model could not be fitted"))
    }

    @Test func flipExperimentMarksFlippedRowsAndReportsAUROC() async throws {
        let file = try FixtureFile(rows: 100)
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .right, .char("G"), .up, .enter)   // the flip setting
        w.answer("0.1")
        w.type(.left, .enter)
        await waitForRun(w)
        let text = render(w, 120, 40).text
        #expect(text.contains("8 labels flipped"))
        #expect(text.contains("detection AUROC"))
    }

    @Test func whatIfRetrainsWithoutTheFlaggedRows() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.char("r"))
        #expect(w.overlay == nil && w.status?.text.hasPrefix("flag rows (Space, f) or relabel them (l) first") == true)
        w.type(.char("f"), .enter, .char("r"))
        #expect(w.overlay == .whatIf)
        for _ in 0..<500 where w.whatIf == nil {
            w.poll()
            try await Task.sleep(for: .milliseconds(10))
        }
        let result = try #require(w.whatIf)
        #expect(result.removed == 4)
        #expect(result.validation == nil)   // the fixture method needs no validation rows
        #expect(result.test != nil)
        let text = render(w, 100, 30).text
        #expect(text.contains("What if the flagged rows were removed?"))
        #expect(text.contains("no rows held out"))
        w.type(.escape)
        #expect(w.overlay == nil)
    }

    /// A finished run is saved beside the data, so quitting loses nothing and does not ask.
    @Test func quittingAfterARunDoesNotAskItIsSaved() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        guard case .saved(let path)? = w.run?.saved else { Issue.record("not saved"); return }
        #expect(FileManager.default.fileExists(atPath: path))
        w.type(.char("q"))
        #expect(w.quitRequested)
    }

    @Test func theRunHeaderShowsTheFinalUpdatesElapsedTime() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        // The fixture's updates say 1 s, 2 s, then 3 s in the final one.
        #expect(render(w, 100, 30).line(2).contains("elapsed 3.0s"))
        #expect(formatDuration(0.04) == "0.04s")
        #expect(formatDuration(0.1) == "0.10s")
        #expect(formatDuration(7.25) == "7.2s" || formatDuration(7.25) == "7.3s")
        #expect(formatDuration(75) == "1m15s")
    }

    @Test func predictedLabelsAndClassProbabilitiesAreCrossFittedOnTheValuedRows() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        for _ in 0..<500 where w.run?.reference == nil {
            w.poll()
            try await Task.sleep(for: .milliseconds(10))
        }
        let run = try #require(w.run)
        let model = try #require(run.reference)
        // The engine's cross-fitted probabilities of the valued rows with the labels the method
        // valued, folds dealt by the run's seed: no row is scored by a model that saw it.
        let p = run.experiment.problem
        let fitted = try await CrossFittedProbabilities.fit(p.train, labels: p.trainLabels, classCount: p.classCount,
                                                            seed: run.experiment.options.seed)
        for i in 0..<p.count {
            let expected = fitted.probabilities(of: i)
            #expect(Array(model.probabilities(of: i)) == expected)
            #expect(abs(expected.reduce(0, +) - 1) < 1e-12)
            #expect(expected[model.predicted[i]] == expected.max())
        }
        let names = run.experiment.classNames
        let i = try #require(run.table.selected)
        let table = render(w, 100, 30)
        #expect(table.text.contains("predicted"))
        let cursorLine = try #require(table.text.split(separator: "\n").first { $0.contains(" \(run.table.sourceRows[i]) ") && $0.contains("±") })
        #expect(cursorLine.contains(names[model.predicted[i]]))

        w.type(.enter)
        #expect(w.overlay == .detail)
        let detail = render(w, 100, 30).text
        #expect(detail.contains("suggested label \(names[model.predicted[i]])"))
        for (c, name) in names.enumerated() {
            #expect(detail.contains("\(name) \(String(format: "%.3f", model.probabilities(of: i)[model.probabilities(of: i).startIndex + c]))"))
        }
    }
}
