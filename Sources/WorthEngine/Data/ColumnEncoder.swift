import Foundation

/// How the cells of one input column become feature values: which cells are missing, which are
/// numbers, whether a column is numeric or one-hot text (`fit`), and the features it writes
/// (`encode`). The loader and the column summary share these rules, so the Dataset screen shows
/// the columns as the loader will treat them.
enum ColumnEncoder {
    /// Whether `cell` is a missing value: empty, `NA`, `NaN`, `?` or `null`, ignoring case and
    /// surrounding spaces.
    static func isMissing(_ cell: String) -> Bool {
        var cell = cell
        return cell.withUTF8(isMissing)
    }

    /// `isMissing` on a cell's UTF-8 bytes.
    static func isMissing(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        var bytes = cell[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        switch bytes.count {
        case 0: return true
        case 1: return bytes.first == UInt8(ascii: "?")
        case 2...4:
            // OR-ing 0x20 lowercases ASCII letters; the tokens are letters only, so no other
            // byte maps onto them.
            let lower = bytes.lazy.map { $0 | 0x20 }
            return lower.elementsEqual("na".utf8) || lower.elementsEqual("nan".utf8) || lower.elementsEqual("null".utf8)
        default: return false
        }
    }

    /// The number written in decimal in `cell` (surrounding spaces allowed), or nil.
    ///
    /// Accepted: an optional sign, digits with an optional fraction (`12`, `-0.5`, `.5`, `5.`)
    /// and an optional exponent (`1e-3`, `2.5E+10`), whose value is finite. Not numbers, though
    /// `Double(_:)` takes them: hexadecimal (`0x1F`, `0x1p3`), `inf`, `infinity` and `nan`
    /// spellings, and decimals beyond the range of a double (`1e999`).
    static func number(_ cell: String) -> Double? {
        if let value = plainDecimal(cell) { return value }
        return spelledNumber(cell)
    }

    /// `number` on a cell's UTF-8 bytes: the common spellings without making a string.
    @inline(__always)
    static func number(_ cell: UnsafeBufferPointer<UInt8>) -> Double? {
        if let value = plainDecimal(cell) { return value }
        return spelledNumber(String(decoding: cell, as: UTF8.self))
    }

    /// `number` past its fast path.
    private static func spelledNumber(_ cell: String) -> Double? {
        let trimmed = trimmedForNumber(cell)
        guard isDecimalNumeral(trimmed), let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }

    /// Why `cell`, a present cell of a numeric column, is not a number: one line for the
    /// loader's error, with what to write instead where it can tell.
    static func notANumber(_ cell: String) -> String {
        let trimmed = trimmedForNumber(cell)
        guard let value = Double(trimmed) else { return "\(quoted(cell)) is not a number" }
        if isDecimalNumeral(trimmed) {
            return "\(quoted(cell)) is beyond the range of a double (about ±1.8e308)"
        }
        if value.isFinite {
            let decimal = "\(value)".replacingOccurrences(of: ".0", with: "", options: .anchored.union(.backwards))
            return "\(quoted(cell)) is not a decimal number (hexadecimal is not read; write \(decimal))"
        }
        return "\(quoted(cell)) is not a finite number"
    }

    /// `cell` without surrounding whitespace, when it has any.
    private static func trimmedForNumber(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, let last = cell.unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return cell }
        return cell.trimmingCharacters(in: .whitespaces)
    }

    /// Whether `text` is a decimal numeral: `[+-]? (D+ (. D*)? | . D+) ([eE] [+-]? D+)?`.
    static func isDecimalNumeral(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { (0x30...0x39).contains($0) }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var mantissaDigits = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// `cell` in double quotes for a one-line message: cut to 40 characters with `…` (a
    /// free-text cell can be long), and line breaks, escape sequences and other control
    /// characters written out (`String.escapingControlCharacters`).
    static func quoted(_ cell: String) -> String {
        let cut = cell.count > 40 ? cell.prefix(39) + "…" : cell
        return "\"" + cut.escapingControlCharacters + "\""
    }

    /// 10^k for k in 0...15, exact doubles (a switch, not a table: no lazy global on the path
    /// of every cell).
    @inline(__always)
    private static func powerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        default: 1e15
        }
    }

    /// The common case of `number`, several times faster than `Double(String)`: an optional
    /// sign, digits and an optional fraction, at most 15 digits in all, forming an integer
    /// m < 2^53 with k ≤ 15 fraction digits. Then m and 10^k are exact doubles and the one
    /// correctly rounded division m / 10^k is exactly what `Double(String)` returns (Clinger's
    /// fast path). Anything else returns nil and is left to `Double(String)`.
    private static func plainDecimal(_ cell: String) -> Double? {
        cell.utf8.withContiguousStorageIfAvailable(plainDecimal) ?? nil
    }

    @inline(__always)
    private static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let count = bytes.count
        guard count > 0, count <= 17 else { return nil }
        let b = bytes.baseAddress!
        var i = 0
        let negative = b[0] == UInt8(ascii: "-")
        if negative || b[0] == UInt8(ascii: "+") { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var point = -1
        while i < count {
            let d = b[i] &- UInt8(ascii: "0")
            if d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                digits += 1
            } else if b[i] == UInt8(ascii: "."), point < 0 {
                point = digits
            } else {
                return nil
            }
            i += 1
        }
        // 16 digits can exceed 2^53: those go the slow way.
        guard digits > 0, digits <= 15 else { return nil }
        let value = Double(mantissa) / powerOfTen(point < 0 ? 0 : digits - point)
        return negative ? -value : value
    }

    /// The mean of `values` (not empty), finite like them: when their sum overflows (values
    /// near ±1.8e308) each is divided by the count before adding.
    static func mean(_ values: [Double]) -> Double {
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        if mean.isFinite { return mean }
        let scaled = values.reduce(0) { $0 + $1 / count }
        return min(max(scaled, -.greatestFiniteMagnitude), .greatestFiniteMagnitude)
    }

    /// The typing rule: a column is numeric when more than half of its `present` cells are
    /// numbers (`numbers` of them); the rest are then errors, not a reason to treat it as text.
    static func isNumeric(present: Int, numbers: Int) -> Bool {
        numbers * 2 > present
    }

    /// Decides how column `column` is encoded, looking at the rows `rows`. Numeric columns get
    /// the mean of their numbers as fill; text columns get their sorted distinct values as
    /// categories and the most frequent value as fill (ties: the first in sorted order). A text
    /// column with cells that are numbers is read again for their spellings.
    ///
    /// - Throws: `InputError` when every cell is missing, or when a text column has more than
    ///   `maxCategories` distinct values.
    static func fit(_ parsed: inout CSVColumns, column: Int, rows: [Int], maxCategories: Int,
                    file: String) throws -> DatasetSchema.ColumnEncoding {
        let name = parsed.header[column]
        var present = 0
        var numbers: [Double] = []
        let cells = parsed.columns[column]
        for r in rows {
            switch cells.cell(r) {
            case .missing: continue
            case .number(let v): numbers.append(v)
            case .text: break
            }
            present += 1
        }
        guard present > 0 else {
            throw InputError(file: file, column: column + 1, columnName: name,
                             "every cell is missing, so there is nothing to impute from")
        }
        if isNumeric(present: present, numbers: numbers.count) {
            return .numeric(fill: mean(numbers))
        }
        if !numbers.isEmpty { try parsed.internAll([column]) }
        let counts = textCounts(parsed.columns[column], rows: rows)
        guard counts.count <= maxCategories else {
            throw InputError(file: file, column: column + 1, columnName: name,
                             "has \(counts.count) distinct text values, too many to one-hot encode (at most \(maxCategories)); "
                             + "remove the column if it is an identifier or free text")
        }
        let categories = counts.keys.sorted()
        var fill = categories[0]
        for category in categories where counts[category, default: 0] > counts[fill, default: 0] { fill = category }
        return .oneHot(categories: categories, fill: fill)
    }

    /// How many of `rows` hold each text of a column whose present cells are all texts.
    static func textCounts(_ cells: CSVColumns.Column, rows: [Int]) -> [String: Int] {
        var byID = [Int](repeating: 0, count: cells.texts.count)
        if let ids = cells.textIDs {
            for r in rows where ids[r] != .max { byID[Int(ids[r])] += 1 }
        }
        var counts: [String: Int] = [:]
        for (id, count) in byID.enumerated() where count > 0 { counts[cells.texts.text(id)] = count }
        return counts
    }

    /// What happened while encoding one column.
    struct Outcome {
        /// Missing cells replaced by the encoding's fill.
        var imputed = 0
        /// Text values that are not among the one-hot categories, with their row counts; such
        /// cells are encoded as all zeros.
        var unseen: [String: Int] = [:]
    }

    /// The features of column `column` for the rows `rows`: one for a numeric column (32-bit
    /// unless the column needs doubles), one per category for a one-hot column. Missing cells
    /// get the encoding's fill: the loader has already dropped or rejected them unless it
    /// imputes. The column's storage is moved, not copied, when every row is kept.
    ///
    /// - Throws: `InputError` at the first cell of a numeric column that is not a number.
    static func encode(_ parsed: inout CSVColumns, column: Int, rows: [Int], as encoding: DatasetSchema.ColumnEncoding,
                       file: String) throws -> ([FeatureColumn], Outcome) {
        var outcome = Outcome()
        switch encoding {
        case .numeric(let fill):
            var cells = parsed.columns[column]
            parsed.columns[column].values = nil
            if let ids = cells.textIDs {
                // The first cell that is neither missing nor a number (an interned column spells
                // its numbers out too).
                let isNumber = cells.interned ? cells.texts.texts.map { number($0) != nil }
                                              : [Bool](repeating: false, count: cells.texts.count)
                if let r = rows.first(where: { ids[$0] != .max && !isNumber[Int(ids[$0])] }) {
                    throw InputError(file: file, line: Int(parsed.lines[r]), column: column + 1,
                                     columnName: parsed.header[column], notANumber(cells.texts.text(Int(ids[r]))))
                }
            }
            if cells.interned {
                // Every cell spelled out: their numbers (the rows were checked above).
                let values = cells.texts.texts.map { number($0) ?? .nan }
                cells.values = .double((0..<parsed.rows).map { cells.textIDs![$0] == .max ? .nan : values[Int(cells.textIDs![$0])] })
            }
            let all = rows.count == parsed.rows
            switch cells.values! {
            case .float(var v):
                cells.values = nil
                if !all { v = rows.map { v[$0] } }
                let f = Float(fill)
                for i in v.indices where v[i].isNaN { v[i] = f; outcome.imputed += 1 }
                return ([.float(v)], outcome)
            case .double(var v):
                cells.values = nil
                if !all { v = rows.map { v[$0] } }
                for i in v.indices where v[i].isNaN { v[i] = fill; outcome.imputed += 1 }
                return ([.double(v)], outcome)
            }
        case .oneHot(let categories, let fill):
            if !parsed.columns[column].interned, rows.contains(where: { parsed.columns[column].cell($0).isNumber }) {
                try parsed.internAll([column])
            }
            let cells = parsed.columns[column]
            let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
            let texts = cells.texts.texts
            let categoryOf = texts.map { index[$0] }
            var features = [[Float]](repeating: [Float](repeating: 0, count: rows.count), count: categories.count)
            for (i, r) in rows.enumerated() {
                let id = cells.textIDs.map { $0[r] } ?? .max
                let k: Int?
                if id == .max {
                    outcome.imputed += 1
                    k = index[fill]
                    if k == nil { outcome.unseen[fill, default: 0] += 1 }
                } else {
                    k = categoryOf[Int(id)]
                    if k == nil { outcome.unseen[texts[Int(id)], default: 0] += 1 }
                }
                if let k { features[k][i] = 1 }
            }
            return (features.map { .float($0) }, outcome)
        }
    }
}

extension CSVColumns.Cell {
    var isNumber: Bool {
        if case .number = self { return true }
        return false
    }
}

extension DatasetSchema.ColumnEncoding {
    /// Number of features the column becomes.
    var width: Int {
        switch self {
        case .numeric: 1
        case .oneHot(let categories, _): categories.count
        }
    }

    /// Names of the features of the column called `name`: the name itself, or `name=value`
    /// for each one-hot category.
    func featureNames(column name: String) -> [String] {
        switch self {
        case .numeric: [name]
        case .oneHot(let categories, _): categories.map { "\(name)=\($0)" }
        }
    }
}
