import Foundation
import Testing
@testable import WorthTUI
import WorthTestSupport

/// The key table drives key handling, the status line's hints, the help and the README.
@Suite struct KeyTableTests {
    static let readme = Repository.path("README.md")

    /// The README's key table is the key table's markdown, byte for byte. When it is not, the
    /// failure says so; `WORTH_WRITE_README=1 swift test --filter KeyTableTests` rewrites it.
    @Test func theReadmeKeyTableIsTheKeyTable() throws {
        var text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- keys: made from KeyTable.bindings"))
        let end = try #require(text.range(of: "<!-- end of keys -->"))
        let afterMarker = try #require(text[begin.upperBound...].firstIndex(of: "\n"))
        let body = text.index(after: afterMarker)..<end.lowerBound
        if ProcessInfo.processInfo.environment["WORTH_WRITE_README"] == "1" {
            text.replaceSubrange(body, with: KeyTable.markdown + "\n")
            try text.write(toFile: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(text[body].trimmingCharacters(in: .whitespacesAndNewlines) == KeyTable.markdown,
                "README.md's key table is not KeyTable.markdown: run WORTH_WRITE_README=1 swift test --filter KeyTableTests")
    }

    /// Every hint on a screen's status line is a key that does something there.
    @Test func hintsAreBoundKeysOfTheirScope() {
        for scope in KeyScope.allCases where scope != .prompt {
            let bindings = KeyTable.bindings(in: scope) + KeyTable.bindings(in: .global)
            for hint in KeyTable.hints(in: scope) {
                #expect(bindings.contains { $0.hint?.keys == hint.keys && $0.hint?.what == hint.what }, "\(scope): \(hint)")
            }
        }
    }

    /// A scope's own binding wins over a global one: q closes an overlay, quits elsewhere; the
    /// global hint for a key the scope takes over is not shown there.
    @Test func scopesOverrideGlobalKeys() {
        #expect(KeyTable.action(for: .char("q"), in: .run) == .quit)
        #expect(KeyTable.action(for: .char("q"), in: .detail) == .close)
        #expect(KeyTable.action(for: .char("?"), in: .help) == .close)
        #expect(!KeyTable.hints(in: .help).contains { $0.keys == "q" || $0.keys == "?" })
        #expect(KeyTable.action(for: .char("x"), in: .prompt) == nil)   // typed text, not a key
        #expect(KeyTable.action(for: .char("R"), in: .methods) == .run)
        #expect(KeyTable.action(for: .char("g"), in: .methods) == .first)
    }
}
