import Testing
@testable import WorthTUI

@Suite struct GridTests {
    @Test func textIsClippedWithAnEllipsis() {
        var g = Grid(width: 10, height: 1)
        g.text("abcdefghijkl", x: 2, y: 0, maxWidth: 5)
        #expect(g.line(0) == "  abcd…")
    }

    @Test func drawingOutsideTheGridOrTheClipIsDropped() {
        var g = Grid(width: 6, height: 3)
        g.text("hello world", x: 3, y: 1)
        g.text("x", x: -1, y: 0)
        g.text("y", x: 0, y: 5)
        g.clip = Rect(x: 0, y: 0, width: 2, height: 1)
        g.fill(Rect(x: 0, y: 0, width: 6, height: 3), "#")
        #expect(g.text == "##\n   he…\n")
    }

    @Test func controlCharactersAreWrittenOutNotDrawn() {
        var g = Grid(width: 30, height: 2)
        g.text("lab\u{1B}[31mel\u{7}", x: 0, y: 0)
        g.rightText("a\nb\r", x: 0, y: 1, width: 30)
        #expect(g.line(0) == "lab\\e[31mel\\x07")
        #expect(g.line(1).hasSuffix(" a\\nb\\r") && g.line(1).count == 30)
        #expect(!g.cells.contains { $0.character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
    }

    @Test func boxesUseAsciiWhenAsked() {
        var g = Grid(width: 8, height: 3, glyphs: .ascii)
        g.box(g.bounds, title: nil)
        #expect(g.text == "+------+\n|      |\n+------+")
    }

    @Test func barsFillTheirFraction() {
        var g = Grid(width: 4, height: 1, glyphs: .ascii)
        g.bar(fraction: 0.5, x: 0, y: 0, width: 4)
        #expect(g.line(0) == "##")
    }

    @Test func brailleDotsCombineInOneCell() {
        var c = DotCanvas(columns: 1, rows: 1, braille: true)
        c.set(0, 0)
        c.set(1, 3)
        var g = Grid(width: 1, height: 1)
        c.draw(into: &g, x: 0, y: 0)
        #expect(g.line(0) == "\u{2881}")
    }
}
