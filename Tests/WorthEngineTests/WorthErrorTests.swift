import Testing
@testable import WorthEngine

@Suite struct InputErrorTests {
    @Test func theDescriptionIsOneLineWithControlCharactersWrittenOut() {
        let error = InputError(file: "dir/evil\n\u{1B}[2J.csv", line: 3, column: 2, columnName: "lab\u{1B}[31mel\nx",
                               "\"\u{9B}0m\" is not a number")
        #expect(error.description == #"dir/evil\n\e[2J.csv, line 3, column 2 (lab\e[31mel\nx): "\u{009B}0m" is not a number"#)
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        #expect(InputError(file: "plain.csv", "fine").description == "plain.csv: fine")
    }
}
