import Testing
@testable import WorthEngine

@Suite struct ColumnEncoderTests {
    @Test func missingTokens() {
        for cell in ["", " ", "NA", "na", "nA", "NaN", "nan", "?", " ? ", "null", "NULL", "\tNull "] {
            #expect(ColumnEncoder.isMissing(cell), "\(cell)")
        }
        for cell in ["0", "N", "NAN0", "none", "n/a", "??", "nulls", "-", "Na N"] {
            #expect(!ColumnEncoder.isMissing(cell), "\(cell)")
        }
    }

    /// The fast path must agree bit for bit with `Double(String)`.
    @Test func numbersMatchTheStandardLibrary() {
        let fixed = ["0", "-0", "+5", "007", ".5", "5.", "0.1", "0.3", "-12.345678", "123456789012345",
                     "1234567890123456", "999999999999999.9", "0.000000000000001", "9007199254740993",
                     "1.7976931348623157", "2.2250738585072014", "1e5", "1E-3", "-2.5e+10", "0x1p3"]
        var rng = SeededGenerator(seed: 11)
        let random = (0..<20_000).map { _ -> String in
            let whole = String(rng.nextInt(below: 1_000_000_000))
            let fraction = String(rng.nextInt(below: 1_000_000_000)).prefix(1 + rng.nextInt(below: 9))
            return (rng.nextInt(below: 2) == 0 ? "-" : "") + whole.prefix(1 + rng.nextInt(below: 9)) + "." + fraction
        }
        for cell in fixed + random {
            let expected = Double(cell)
            let got = ColumnEncoder.number(cell)
            #expect(got?.bitPattern == expected?.bitPattern, "\(cell)")
        }
    }

    @Test func notNumbers() {
        for cell in ["", ".", "-", "+", "1.2.3", "--1", "1-", "abc", "1,5", "inf", "-infinity", "nan", "1e999", "12 kg"] {
            #expect(ColumnEncoder.number(cell) == nil, "\(cell)")
        }
        #expect(ColumnEncoder.number(" 2.5 ") == 2.5)
    }

    @Test func quotedCellsStayOnOneLine() {
        #expect(ColumnEncoder.quoted("abc") == "\"abc\"")
        #expect(ColumnEncoder.quoted("a\r\nb\nc\rd") == "\"a\\nb\\nc\\nd\"")
        let long = String(repeating: "x", count: 41)
        #expect(ColumnEncoder.quoted(long) == "\"" + String(repeating: "x", count: 39) + "…\"")
        #expect(ColumnEncoder.quoted(String(long.dropLast())) == "\"" + String(long.dropLast()) + "\"")
    }

    @Test func encodingWidthsAndNames() {
        let oneHot = DatasetSchema.ColumnEncoding.oneHot(categories: ["a", "b c"], fill: "a")
        #expect(oneHot.width == 2)
        #expect(oneHot.featureNames(column: "k") == ["k=a", "k=b c"])
        #expect(DatasetSchema.ColumnEncoding.numeric(fill: 0).featureNames(column: "k") == ["k"])
    }
}
