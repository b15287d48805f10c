/// A CSV file's cells by column, as the loader and the column summary need them and no more:
/// numbers as 32-bit floats (doubles where needed), text cells interned once per column,
/// missing cells marked. No cell is kept as a `String`.
///
/// Built by `CSVStreamReader` from a file in parallel chunks, or from a `CSVTable`; both go
/// through the same `ColumnSink`, so a file and its table give the same columns.
struct CSVColumns: Sendable {
    /// One input column's cells.
    struct Column: Sendable {
        /// Per row: the number, or NaN for a missing or text cell. Nil for an interned column.
        var values: FeatureColumn?
        /// Per row: the text's number in `texts`, or `UInt32.max` for a number or missing
        /// cell. Nil when the column has no text cell.
        var textIDs: [UInt32]?
        /// The column's distinct texts, in order of first appearance.
        var texts: TextInterner
        /// Whether every present cell is a text (numbers too, as written): the label column,
        /// and columns read again for their spellings (`internAll`).
        var interned: Bool

        init(interned: Bool) {
            values = interned ? nil : .float([])
            textIDs = interned ? [] : nil
            texts = TextInterner()
            self.interned = interned
        }

        /// Whether row `i`'s cell is missing.
        @inline(__always)
        func isMissing(_ i: Int) -> Bool {
            if let textIDs, textIDs[i] != .max { return false }
            guard let values else { return true }
            return values[i].isNaN
        }

        /// What row `i` holds.
        func cell(_ i: Int) -> Cell {
            if let textIDs, textIDs[i] != .max { return .text(Int(textIDs[i])) }
            guard let values else { return .missing }
            let v = values[i]
            return v.isNaN ? .missing : .number(v)
        }
    }

    /// What a cell holds.
    enum Cell: Equatable {
        case missing
        case number(Double)
        /// Text number k of the column.
        case text(Int)
    }

    /// Where the cells came from, to read columns again (`internAll`).
    enum Source: Sendable {
        case table(CSVTable)
        case file(path: String)
    }

    /// The header names, unique and non-empty.
    var header: [String]
    /// The data rows.
    var rows = 0
    /// Per row, the 1-based physical line where the record starts.
    var lines: [UInt32] = []
    /// Per row, where its record lies in the file's bytes, line end excluded (as
    /// `CSVTable.recordBytes`), when the reader was asked to keep them; nil otherwise.
    var recordBytes: [Range<Int>]?
    /// Where the header record lies in the file's bytes, line end excluded (`CSVTable.headerBytes`).
    var headerBytes = 0..<0
    /// The field delimiter found in the header.
    var delimiter = UInt8(ascii: ",")
    /// Per header column, its cells.
    var columns: [Column]
    var source: Source

    init(header: [String], interned: Set<Int>, source: Source, keepingRecordBytes: Bool = false) {
        self.header = header
        if keepingRecordBytes { recordBytes = [] }
        self.columns = header.indices.map { Column(interned: interned.contains($0)) }
        self.source = source
    }

    /// Makes room for `count` rows in all, so that growing does not copy the columns.
    mutating func reserve(rows count: Int) {
        lines.reserveCapacity(count)
        recordBytes?.reserveCapacity(count)
        for c in columns.indices {
            if case .float(var v)? = columns[c].values {
                columns[c].values = nil
                v.reserveCapacity(count)
                columns[c].values = .float(v)
            }
            if columns[c].interned { columns[c].textIDs!.reserveCapacity(count) }
        }
    }

    /// Appends the rows of a chunk; its lines count from `firstLine`, its record bytes from
    /// `firstByte` (the chunk's offset in the file).
    mutating func append(_ chunk: ColumnSink, firstLine: Int, firstByte: Int = 0) {
        let n = chunk.rows
        for i in 0..<n { lines.append(UInt32(truncatingIfNeeded: firstLine - 1 + Int(chunk.lines[i]))) }
        if recordBytes != nil, let ranges = chunk.recordBytes {
            recordBytes!.append(contentsOf: ranges.lazy.map { ($0.lowerBound + firstByte)..<($0.upperBound + firstByte) })
        }
        for c in columns.indices where !chunk.skipped[c] {
            var column = columns[c]
            columns[c] = Column(interned: false)   // leaves the arrays uniquely referenced
            if !column.interned {
                let base = c * chunk.capacity
                if let doubles = chunk.doubles[c] {
                    var all: [Double]
                    switch column.values! {
                    case .float(let v): all = v.map(Double.init); all.reserveCapacity(max(v.capacity, v.count + n))
                    case .double(let v): all = v
                    }
                    column.values = nil
                    all.append(contentsOf: doubles[0..<n])
                    column.values = .double(all)
                } else {
                    chunk.numbers.withUnsafeBufferPointer { numbers in
                        let part = UnsafeBufferPointer(rebasing: numbers[base..<(base + n)])
                        switch column.values! {
                        case .float(var v):
                            column.values = nil
                            v.append(contentsOf: part)
                            column.values = .float(v)
                        case .double(var v):
                            column.values = nil
                            v.append(contentsOf: part.lazy.map(Double.init))
                            column.values = .double(v)
                        }
                    }
                }
            }
            if let local = chunk.textIDs[c] {
                let map = (0..<chunk.interners[c].count).map { k in
                    chunk.interners[c].withBytes(of: k) { column.texts.intern($0) }
                }
                var ids = column.textIDs ?? [UInt32](repeating: .max, count: rows)
                column.textIDs = nil
                for i in 0..<n { ids.append(local[i] == .max ? .max : map[Int(local[i])]) }
                column.textIDs = ids
            } else if column.textIDs != nil {
                column.textIDs!.append(contentsOf: repeatElement(.max, count: n))
            }
            columns[c] = column
        }
        rows += n
    }

    /// Reads `indices` again with every present cell interned, numbers as written too: what a
    /// one-hot or summarised text column needs when some of its cells are numbers.
    mutating func internAll(_ indices: [Int]) throws {
        let wanted = indices.filter { !columns[$0].interned }
        guard !wanted.isEmpty else { return }
        let again: CSVColumns
        switch source {
        case .table(let table): again = CSVColumns(table: table, interned: Set(wanted), only: Set(wanted))
        case .file(let path): again = try CSVStreamReader.read(path: path, interned: { _ in Set(wanted) }, only: Set(wanted))
        }
        for c in wanted { columns[c] = again.columns[c] }
    }

    /// The cells of `table`; columns `interned` interned whole; only columns `only` when given;
    /// with the table's record bytes when `keepingRecordBytes`.
    init(table: CSVTable, interned: Set<Int>, only: Set<Int>? = nil, keepingRecordBytes: Bool = false) {
        self.init(header: table.header, interned: interned, source: .table(table), keepingRecordBytes: keepingRecordBytes)
        headerBytes = table.headerBytes
        delimiter = table.delimiter.asciiValue ?? UInt8(ascii: ",")
        let keep = keepingRecordBytes && table.recordBytes.count == table.records.count
        var sink = ColumnSink(columns: table.header.count, capacity: table.records.count, interned: interned, only: only,
                              keepingRecordBytes: keep)
        for (k, (record, line)) in zip(table.records, table.lineNumbers).enumerated() {
            for (c, cell) in record.enumerated() {
                var cell = cell
                cell.withUTF8 { sink.field($0, column: c) }
            }
            sink.endRecord(line: line, bytes: keep ? table.recordBytes[k] : 0..<0)
        }
        append(sink, firstLine: 1)
    }
}

/// Receives one chunk of records from `CSVScanner` into column-major storage sized for the
/// chunk: a number per cell (parsed straight from the bytes), text cells interned per column.
struct ColumnSink: CSVFieldSink {
    /// Rows the storage holds (at least the chunk's records).
    let capacity: Int
    let interned: [Bool]
    /// Columns not read (reading a few columns again).
    let skipped: [Bool]
    /// Column c, row i at `c * capacity + i`: the number, or NaN (missing or text).
    var numbers: [Float]
    /// Columns with a value 32 bits cannot hold, as doubles (NaN as in `numbers`).
    var doubles: [[Double]?]
    /// Per column, per row: the text's local number, or `.max`; nil until a text is seen.
    var textIDs: [[UInt32]?]
    var interners: [TextInterner]
    /// Per row, its line counted from the chunk's first line (1).
    var lines: [UInt32]
    /// Per row, its record's bytes from the chunk's first byte, when they are kept.
    var recordBytes: [Range<Int>]?
    var rows = 0

    init(columns: Int, capacity: Int, interned: Set<Int>, only: Set<Int>? = nil, keepingRecordBytes: Bool = false) {
        self.capacity = capacity
        self.interned = (0..<columns).map { interned.contains($0) }
        self.skipped = (0..<columns).map { c in only.map { !$0.contains(c) } ?? false }
        numbers = [Float](repeating: .nan, count: columns * capacity)
        doubles = Array(repeating: nil, count: columns)
        textIDs = (0..<columns).map { interned.contains($0) ? [UInt32](repeating: .max, count: capacity) : nil }
        interners = Array(repeating: TextInterner(), count: columns)
        lines = [UInt32](repeating: 0, count: capacity)
        if keepingRecordBytes {
            recordBytes = []
            recordBytes!.reserveCapacity(capacity)
        }
    }

    @inline(__always)
    mutating func field(_ bytes: UnsafeBufferPointer<UInt8>, column c: Int) {
        guard c < interned.count, !skipped[c] else { return }
        if interned[c] {
            if !ColumnEncoder.isMissing(bytes) { textIDs[c]![rows] = interners[c].intern(bytes) }
            return
        }
        if let v = ColumnEncoder.number(bytes) {
            let magnitude = abs(v)
            if doubles[c] != nil {
                doubles[c]![rows] = Self.floatPrecision(v)
            } else if magnitude > Double(Float.greatestFiniteMagnitude) || (magnitude < Double(Float.leastNormalMagnitude) && v != 0) {
                // Beyond a 32-bit float's normal range: this column's values are doubles.
                var d = [Double](repeating: .nan, count: capacity)
                for i in 0..<rows { d[i] = Double(numbers[c * capacity + i]) }
                d[rows] = Self.floatPrecision(v)
                doubles[c] = d
            } else {
                numbers[c * capacity + rows] = Float(v)
            }
        } else if !ColumnEncoder.isMissing(bytes) {
            if textIDs[c] == nil { textIDs[c] = [UInt32](repeating: .max, count: capacity) }
            textIDs[c]![rows] = interners[c].intern(bytes)
        }
    }

    /// `v` rounded to a 32-bit float's 24 significant bits, whatever its exponent: what a
    /// column of doubles holds, so every number of a file has the same precision and a column
    /// scaled by a power of two loads as the same numbers scaled (the standardised features,
    /// and so the values, are then the same).
    static func floatPrecision(_ v: Double) -> Double {
        guard v != 0, v.isFinite else { return v }
        return Double(sign: v.sign, exponent: v.exponent, significand: Double(Float(v.significand)))
    }

    mutating func endRecord(line: Int, bytes: Range<Int>) {
        lines[rows] = UInt32(truncatingIfNeeded: line)
        recordBytes?.append(bytes)
        rows += 1
    }
}
