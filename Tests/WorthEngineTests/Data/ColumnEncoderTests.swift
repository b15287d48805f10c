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
                     "1.7976931348623157", "2.2250738585072014", "1e5", "1E-3", "-2.5e+10", "+.5e-3", "7.E2",
                     "1e-400", "12345678901234567890e-10"]
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
        for cell in ["", ".", "-", "+", "1.2.3", "--1", "1-", "abc", "1,5", "inf", "-infinity", "nan", "1e999", "12 kg",
                     "1e", "e5", ".e1", "1e+", "1_000"] {
            #expect(ColumnEncoder.number(cell) == nil, "\(cell)")
        }
        #expect(ColumnEncoder.number(" 2.5 ") == 2.5)
        #expect(ColumnEncoder.number("\t-3e2\u{A0}") == -300)
    }

    /// `Double(_:)` reads these, and a CSV should not: a column of them would be silently numeric.
    @Test func onlyDecimalNumbersAreNumbers() {
        for cell in ["0x1F", "0X1f", " 0x1F ", "0x1p3", "-0x.8p1", "INF", "+inf", "Infinity", "-nan", "nan(0x7)", "snan",
                     "1.8e308", "-1e400"] {
            #expect(Double(cell.trimmingCharacters(in: .whitespaces)) != nil, "\(cell)")
            #expect(ColumnEncoder.number(cell) == nil, "\(cell)")
        }
    }

    @Test func notANumberSaysWhy() {
        #expect(ColumnEncoder.notANumber("abc") == "\"abc\" is not a number")
        #expect(ColumnEncoder.notANumber("0x1F") == "\"0x1F\" is not a decimal number (hexadecimal is not read; write 31)")
        #expect(ColumnEncoder.notANumber(" 0x1p-1 ") == "\" 0x1p-1 \" is not a decimal number (hexadecimal is not read; write 0.5)")
        #expect(ColumnEncoder.notANumber("-Infinity") == "\"-Infinity\" is not a finite number")
        #expect(ColumnEncoder.notANumber("1e999") == "\"1e999\" is beyond the range of a double (about ±1.8e308)")
    }

    @Test func meanStaysFiniteNearTheLargestDouble() {
        #expect(ColumnEncoder.mean([1, 2, 4]) == 7.0 / 3)
        let big = 1.7e308
        #expect(ColumnEncoder.mean([big, big, big]) == big)
        #expect(ColumnEncoder.mean([big, big, -big, big]).isFinite)
        #expect(ColumnEncoder.mean([.greatestFiniteMagnitude, .greatestFiniteMagnitude, .greatestFiniteMagnitude])
            == .greatestFiniteMagnitude)
    }

    @Test func quotedCellsStayOnOneLine() {
        #expect(ColumnEncoder.quoted("abc") == "\"abc\"")
        #expect(ColumnEncoder.quoted("a\r\nb\nc\rd") == "\"a\\r\\nb\\nc\\rd\"")
        #expect(ColumnEncoder.quoted("lab\u{1B}[31mel") == "\"lab\\e[31mel\"")
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
