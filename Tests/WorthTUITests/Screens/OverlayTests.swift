import Foundation
import Testing
@testable import WorthTUI

/// The panels over the screens: help, row details, what-if.
@Suite struct OverlayTests {
    /// Defect 3: help was cut ("the run contin…") even at 160 columns, could not scroll at
    /// 80x24, was the same everywhere and left out R. It lists the screen's keys first, wraps
    /// every description whole, and scrolls.
    @Test(arguments: [(80, 24), (160, 50)])
    func helpIsPerScreenWholeAndScrolls(width: Int, height: Int) async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter)                                  // the Method screen
        w.type(.char("?"))
        #expect(w.overlay == .help)
        var seen = ""
        var g = render(w, width, height)
        let first = g.text
        for _ in 0..<30 {
            g = render(w, width, height)
            seen += g.text + "\n"
            #expect(!g.lines(2..<(height - 2)).contains("…"), "a cut line in the help")
            if !g.text.contains("more below") { break }
            w.type(.pageDown)
        }
        // The Method screen's keys come first, then the rest; R (run) is there.
        #expect(firstSection(first) == "Method: the methods")
        let methods = try #require(seen.range(of: "Method: the methods")), everywhere = try #require(seen.range(of: "Everywhere"))
        #expect(methods.lowerBound < everywhere.lowerBound)
        #expect(seen.contains("Enter R") && seen.contains(" R  "))
        // Every word of every description of these scopes shows.
        let words = Set(seen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }))
        for scope in [KeyScope.methods, .parameters, .global] {
            for b in KeyTable.bindings(in: scope) {
                for word in b.help.split(separator: " ") { #expect(words.contains(word), "'\(word)' of \(b.keys) in \(scope)") }
            }
        }
        #expect(seen.contains("Flags are saved beside the data file"))
        w.type(.char("?"))
        #expect(w.overlay == nil)
        // On the Run screen the Run keys come first.
        w.type(.enter)
        await waitForRun(w)
        w.type(.char("?"))
        #expect(firstSection(render(w, width, height).text) == "Run")
    }

    /// The first line inside the help panel, trimmed of its frame.
    func firstSection(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let title = lines.firstIndex(where: { $0.contains("─ Keys ─") }), title + 1 < lines.count else { return nil }
        let line = lines[title + 1]
        guard let open = line.lastIndex(of: "│", before: line.firstIndex { $0.isLetter } ) else { return nil }
        return line[line.index(after: open)...].split(separator: "│").first?.trimmingCharacters(in: .whitespaces)
    }

    /// Defect 2: the row detail stopped at the 30th feature of a 64-feature row, could not
    /// step to the next row nor flag. Its cells scroll, j/k step, Space flags.
    @Test func rowDetailScrollsStepsAndFlags() async throws {
        let file = try FixtureFile(classes: 10, features: 64, rows: 60)
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.enter)
        #expect(w.overlay == .detail)
        var g = render(w, 80, 24)
        #expect(g.text.contains("cells 1–") && g.text.contains("of 65 (↑↓)"))
        #expect(!g.text.contains("f63 "))
        w.type(.char("G"))
        g = render(w, 80, 24)
        #expect(g.text.contains("f63 ") && g.text.contains("class "))
        #expect(g.text.contains("of 65 (↑↓)"))
        let first = try #require(w.run?.table.selected)
        w.type(.char("j"))
        let second = try #require(w.run?.table.selected)
        #expect(second != first && w.overlay == .detail)
        let row = w.run!.table.sourceRows[second]
        #expect(render(w, 80, 24).text.contains("Row \(row)"))
        w.type(.char(" "))
        #expect(w.flags == [row])
        #expect(render(w, 80, 24).text.contains("flagged"))
        w.type(.char("k"))
        #expect(w.run?.table.selected == first)
        w.type(.escape)
        #expect(w.overlay == nil)
    }

    /// Defect 11: the what-if showed "-0.000"; a change that rounds to nothing is 0.000.
    @Test func changesThatRoundToZeroHaveNoSign() {
        #expect(NumberFormat.signed(-0.0001, decimals: 3) == "0.000")
        #expect(NumberFormat.signed(-1e-12, decimals: 3) == "0.000")
        #expect(NumberFormat.signed(0.0004, decimals: 3) == "0.000")
        #expect(NumberFormat.signed(0.012, decimals: 3) == "+0.012")
        #expect(NumberFormat.signed(-0.012, decimals: 3) == "-0.012")
        #expect(NumberFormat.fixed(-0.00004, decimals: 4) == "0.0000")
        #expect(NumberFormat.compact(-0.0) == "0.000")
        #expect(NumberFormat.percent(0.256) == "25%")
    }
}

extension Substring {
    /// The last index of `c` before `limit` (nil when there is none or no limit).
    func lastIndex(of c: Character, before limit: Index?) -> Index? {
        guard let limit else { return nil }
        return self[..<limit].lastIndex(of: c)
    }
}
