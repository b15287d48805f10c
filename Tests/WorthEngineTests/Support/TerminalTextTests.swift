import Testing
@testable import WorthEngine

@Suite struct TerminalTextTests {
    @Test func plainTextIsUnchanged() {
        for text in ["", "bill_length_mm", "café, 東京 – ok", "a\\b \"quoted\""] {
            #expect(text.escapingControlCharacters == text)
        }
    }

    @Test func controlCharactersAreWrittenOut() {
        #expect("lab\u{1B}[31mel".escapingControlCharacters == "lab\\e[31mel")
        #expect("two\nlines\r\n".escapingControlCharacters == "two\\nlines\\r\\n")
        #expect("a\tb\u{07}c\u{7F}".escapingControlCharacters == "a\\tb\\x07c\\x7F")
        #expect("x\u{9B}2J".escapingControlCharacters == "x\\u{009B}2J")
        #expect("abc\u{202E}fed".escapingControlCharacters == "abc\\u{202E}fed")
    }

    @Test func escapedTextHasNoControlCharactersLeft() {
        let hostile = String(decoding: (0..<256).map { UInt8($0) }, as: UTF8.self) + "\u{2066}\u{2069}"
        let safe = hostile.escapingControlCharacters
        let leftover = safe.unicodeScalars.filter { $0.needsTerminalEscape }
        #expect(leftover.isEmpty)
        #expect(!safe.contains("\n"))
    }
}
