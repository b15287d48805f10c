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

    /// One of each reason, for the checks that hold for all of them.
    static let reasons: [InputError.Reason] = [
        .message("is empty"), .missingValue, .missingLabel(imputing: false), .missingLabel(imputing: true),
        .invalidValue(parameter: "trees", accepted: .integer(1...10), given: "0"), .unknownParameter("colour"),
        .fractionsTooLarge, .needsValidation(method: "loo"),
        .unsupportedSetting(.stateOut, method: "dvrl", supportedBy: ["banzhaf"]), .unsplittable(method: "dvrl"),
        .shardSyntax(given: "x"),
        .shardOutOfRange(index: 3, count: 2), .shardNeedsBudget(unit: "permutations"),
        .resumeMismatch("the state was made with seed 7, not 8"), .noValidationRow(12, count: 3),
    ]

    @Test func theEngineWordsNoReasonWithAFrontEndsFlags() {
        for reason in Self.reasons {
            #expect(!reason.message.isEmpty)
            #expect(!reason.message.contains("--"), "\(reason.message)")
        }
        #expect(InputError.Reason.invalidValue(parameter: "rate", accepted: .real(0...1), given: "2").message
                == "rate takes a number in 0.0...1.0, not '2'")
        #expect(InputError.Reason.invalidValue(parameter: "seed", accepted: .natural, given: "-1").message
                == "seed takes a whole number ≥ 0, not '-1'")
    }

    @Test func aFrontEndPhrasesTheReasonAndKeepsThePlace() {
        let error = InputError(file: "d.csv", line: 5, column: 2, columnName: "b", .missingValue)
        #expect(error.description == "d.csv, line 5, column 2 (b): missing value (drop the rows with missing cells, or impute them)")
        let phrased = error.description { $0 == .missingValue ? "press m" : nil }
        #expect(phrased == "d.csv, line 5, column 2 (b): press m")
        #expect(InputError(.fractionsTooLarge).description(phrasing: { _ in nil }) == InputError.Reason.fractionsTooLarge.message)
    }
}
