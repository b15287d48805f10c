import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

@Suite struct WrapWordsTests {
    @Test func breaksAtSpacesUpToTheLineCount() {
        #expect(wrapWords("short", width: 10, lines: 2) == ["short"])
        #expect(wrapWords("one two three four", width: 9, lines: 2) == ["one two", "three four"])
        #expect(wrapWords("one two three four", width: 9, lines: 3) == ["one two", "three", "four"])
        #expect(wrapWords("unbreakable-word here", width: 5, lines: 2) == ["unbreakable-word here"])
    }
}
