/// What one input column of a CSV file holds, for the Dataset screen: its kind as the loader
/// will treat it, how many cells are present or missing, and its range or its most frequent
/// values.
public struct ColumnSummary: Sendable, Equatable {
    /// How the loader treats the column.
    public enum Kind: String, Sendable, Equatable {
        /// A feature column of numbers (more than half of its present cells are numbers).
        case numeric
        /// A feature column of text, one-hot encoded by the loader.
        case text
        /// The label column.
        case label
    }

    /// A value and how many cells hold it.
    public struct ValueCount: Sendable, Equatable {
        public var value: String
        public var count: Int

        public init(value: String, count: Int) {
            self.value = value
            self.count = count
        }
    }

    /// Header name.
    public var name: String
    /// 0-based index of the column in the header.
    public var column: Int
    /// How the loader treats the column.
    public var kind: Kind
    /// Cells that are not missing.
    public var present: Int
    /// Missing cells (`""`, `NA`, `NaN`, `?`, `null`).
    public var missing: Int
    /// Present cells of a numeric column that are not numbers (the loader rejects them); 0 for
    /// other kinds.
    public var nonNumeric: Int
    /// Smallest number of a numeric column; nil for other kinds.
    public var minimum: Double?
    /// Mean of the numbers of a numeric column; nil for other kinds.
    public var mean: Double?
    /// Largest number of a numeric column; nil for other kinds.
    public var maximum: Double?
    /// Distinct present values: distinct numbers for a numeric column, distinct texts otherwise.
    public var distinct: Int
    /// For text and label columns, the most frequent values, most frequent first (ties in
    /// string order); empty for numeric columns.
    public var topValues: [ValueCount]

    public init(name: String, column: Int, kind: Kind, present: Int, missing: Int, nonNumeric: Int,
                minimum: Double?, mean: Double?, maximum: Double?, distinct: Int, topValues: [ValueCount]) {
        self.name = name
        self.column = column
        self.kind = kind
        self.present = present
        self.missing = missing
        self.nonNumeric = nonNumeric
        self.minimum = minimum
        self.mean = mean
        self.maximum = maximum
        self.distinct = distinct
        self.topValues = topValues
    }

    /// One summary per column of `table`, in header order; `labelColumn` (0-based) is the label.
    /// Text and label columns list at most `top` values.
    public static func summarize(_ table: CSVTable, labelColumn: Int, top: Int = 5) -> [ColumnSummary] {
        var columns = CSVColumns(table: table, interned: [labelColumn])
        // Reading a table's columns again cannot fail.
        return (try? summarize(&columns, labelColumn: labelColumn, top: top)) ?? []
    }

    /// One summary per column of `columns`, over `rows` (0-based; nil: all of them);
    /// `shouldContinue` is asked before each column (false stops with `CancellationError`).
    static func summarize(_ columns: inout CSVColumns, labelColumn: Int, top: Int, rows: [Int]? = nil,
                          shouldContinue: () -> Bool = { true }) throws -> [ColumnSummary] {
        try columns.header.indices.map {
            guard shouldContinue() else { throw CancellationError() }
            return try summarize(&columns, column: $0, isLabel: $0 == labelColumn, top: top, rows: rows)
        }
    }

    static func summarize(_ columns: inout CSVColumns, column: Int, isLabel: Bool, top: Int,
                          rows: [Int]? = nil) throws -> ColumnSummary {
        var present = 0
        var numbers: [Double] = []
        let cells = columns.columns[column]
        let all = rows ?? Array(0..<columns.rows)
        for r in all {
            switch cells.cell(r) {
            case .missing: continue
            case .number(let v): numbers.append(v)
            case .text: break
            }
            present += 1
        }
        let missing = all.count - present
        let name = columns.header[column]
        if !isLabel, present > 0, ColumnEncoder.isNumeric(present: present, numbers: numbers.count) {
            return ColumnSummary(name: name, column: column, kind: .numeric, present: present, missing: missing,
                                 nonNumeric: present - numbers.count, minimum: numbers.min(),
                                 mean: ColumnEncoder.mean(numbers), maximum: numbers.max(),
                                 distinct: distinctCount(numbers), topValues: [])
        }
        if !numbers.isEmpty { try columns.internAll([column]) }
        let counts = ColumnEncoder.textCounts(columns.columns[column], rows: all)
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return ColumnSummary(name: name, column: column, kind: isLabel ? .label : .text, present: present,
                             missing: missing, nonNumeric: 0, minimum: nil, mean: nil, maximum: nil,
                             distinct: counts.count,
                             topValues: ranked.prefix(top).map { ValueCount(value: $0.key, count: $0.value) })
    }

    /// How many distinct values `numbers` holds (−0 and +0 are one): an open-addressing table
    /// of bit patterns, several times faster than a `Set<Double>` on a million rows.
    static func distinctCount(_ numbers: [Double]) -> Int {
        var size = 16, shift: UInt64 = 60
        while size < numbers.count * 2 { size <<= 1; shift -= 1 }
        let mask = size - 1
        // Slot holds the bit pattern + 1 (never 0: patterns of finite numbers are below UInt64.max).
        var slots = [UInt64](repeating: 0, count: size)
        var distinct = 0
        slots.withUnsafeMutableBufferPointer { t in
            for x in numbers {
                let key = (x + 0).bitPattern &+ 1
                // Fibonacci hashing: the product's top bits, which depend on every bit of the key.
                var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while t[i] != 0 && t[i] != key { i = (i + 1) & mask }
                if t[i] == 0 {
                    t[i] = key
                    distinct += 1
                }
            }
        }
        return distinct
    }
}
