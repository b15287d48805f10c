import Foundation
import Synchronization

/// Reads a CSV file into `CSVColumns` a block at a time, never holding its text: each block is
/// cut at line ends into chunks that are parsed on all cores (`CSVScanner` into a
/// `ColumnSink`) and appended in file order, so the columns are the same whatever the number of
/// cores, and so is the first error, with its exact line and column.
///
/// A chunk is cut after a line feed, which is a record boundary unless it lies inside a quoted
/// field; a chunk whose parse stops inside a quoted field at its end (`CSVScanner.Truncated`)
/// is read again from that record with the bytes that follow, sequentially. The first chunk
/// starts after the header, and each next one is only trusted when the one before it ended
/// cleanly at its end, so every record is read as one pass over the whole file would read it.
///
/// The bytes must be UTF-8 without NUL: a block that is not is left to `CSVReader.read`, which
/// names the first bad byte (`TextDecoding`), as are UTF-16 and UTF-32 files. A parse error is
/// only reported once the rest of the file is known to be UTF-8, as `CSVReader` would.
enum CSVStreamReader {
    /// How much is read at a time and parsed by one task.
    struct Sizes: Sendable {
        /// Bytes read at a time.
        var block = 8 << 20
        /// Bytes per chunk parsed by one task (cut at the next line end).
        var chunk = 512 << 10
    }

    /// Reads the file at `path`.
    ///
    /// - Parameters:
    ///   - interned: given the header, the columns whose every present cell is interned (the
    ///     label); it may throw (an unknown label column).
    ///   - only: read only these columns (the others' cells are skipped).
    ///   - keepingRecordBytes: keep where each record lies in the file (`CSVColumns.recordBytes`).
    ///   - progress: called after each block with the fraction of the file read and the rows
    ///     read so far; returning false cancels the read (`CancellationError`).
    ///   - sizes: the block and chunk sizes (small ones test the cuts).
    /// - Throws: `InputError` as `CSVReader.read(path:)` for the same file.
    static func read(path: String, interned: ([String]) throws -> Set<Int>, only: Set<Int>? = nil,
                     keepingRecordBytes: Bool = false, progress: ((_ fraction: Double, _ rows: Int) -> Bool)? = nil,
                     sizes: Sizes = Sizes()) throws -> CSVColumns {
        try CSVReader.checkReadable(path: path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, "cannot be read (check its permissions)")
        }
        defer { try? handle.close() }
        let size = CSVReader.fileSize(path)
        var reader = BlockReader(handle: handle, size: sizes.block)
        do {
            return try read(&reader, path: path, fileSize: size, interned: interned, only: only,
                            keepingRecordBytes: keepingRecordBytes, progress: progress, sizes: sizes)
        } catch let error as InputError {
            // An error names its place only once the whole file is known to be text.
            do { while try reader.next() != nil {} } catch is NotPlainText {
                return try fallback(path: path, interned: interned, only: only, keepingRecordBytes: keepingRecordBytes)
            }
            throw error
        } catch is NotPlainText {
            return try fallback(path: path, interned: interned, only: only, keepingRecordBytes: keepingRecordBytes)
        }
    }

    /// Bytes that are not UTF-8 text, or may not be: `CSVReader.read` says what is wrong.
    struct NotPlainText: Error {}

    /// Reads the whole file the slow way, which names every encoding problem exactly.
    private static func fallback(path: String, interned: ([String]) throws -> Set<Int>, only: Set<Int>?,
                                 keepingRecordBytes: Bool) throws -> CSVColumns {
        let table = try CSVReader.read(path: path)
        return CSVColumns(table: table, interned: try interned(table.header), only: only, keepingRecordBytes: keepingRecordBytes)
    }

    private static func read(_ reader: inout BlockReader, path: String, fileSize: Int?, interned: ([String]) throws -> Set<Int>,
                             only: Set<Int>?, keepingRecordBytes: Bool, progress: ((Double, Int) -> Bool)?,
                             sizes: Sizes) throws -> CSVColumns {
        var buffer: [UInt8] = []
        var atEnd = false
        var consumed = 0   // bytes of the file before buffer[0]
        func more() throws {
            guard let block = try reader.next() else { atEnd = true; return }
            buffer.append(contentsOf: block)
        }

        // The header, from as many blocks as it takes.
        var header: [String] = [], headerBytes = 0..<0, delimiter = UInt8(ascii: ","), position = 0, line = 1
        try more()
        while true {
            let result: Result<(names: [String], bytes: Range<Int>), Error> = buffer.withUnsafeBufferPointer { bytes in
                var scanner = CSVScanner(bytes: bytes, file: path, atEndOfFile: atEnd)
                let result = Result { try scanner.header() }
                (delimiter, position, line) = (scanner.delimiter, scanner.position, scanner.line)
                return result
            }
            do {
                (header, headerBytes) = try result.get()
                break
            } catch is CSVScanner.Truncated {
                try more()
            }
        }
        let internedColumns = try interned(header)
        var columns = CSVColumns(header: header, interned: internedColumns, source: .file(path: path),
                                 keepingRecordBytes: keepingRecordBytes)
        columns.headerBytes = headerBytes
        columns.delimiter = delimiter
        let columnCount = header.count

        // Records: the buffer holds whole chunks from `position`; the tail after its last line
        // feed waits for the next block.
        var firstLine = line
        var stalled = false   // the last pass stopped in a record the buffer's end cuts
        while true {
            if !atEnd, stalled || (buffer.count - position) < sizes.block { try more() }
            let end = atEnd ? buffer.count : (lastLineFeed(in: buffer, from: position).map { $0 + 1 } ?? position)
            if end > position {
                let chunks = cut(buffer, from: position, to: end, size: sizes.chunk)
                let results = parse(buffer, chunks: chunks, path: path, columns: columnCount, delimiter: delimiter,
                                    interned: internedColumns, only: only, keepingRecordBytes: keepingRecordBytes,
                                    endIsFileEnd: atEnd && end == buffer.count)
                if columns.rows == 0, let fileSize, let first = results.first, first.sink.rows > 0 {
                    let perRow = Double(chunks[0].count) / Double(first.sink.rows)
                    columns.reserve(rows: Int(Double(fileSize) / perRow * 1.02) + 1024)
                }
                var resumeAt: Int?
                for (k, result) in results.enumerated() {
                    if var error = result.error {
                        error.line = error.line.map { $0 + firstLine - 1 }
                        throw error
                    }
                    columns.append(result.sink, firstLine: firstLine, firstByte: consumed + chunks[k].lowerBound)
                    firstLine += result.lineEnds
                    if let truncated = result.truncatedAt {
                        // Read again from the cut record with everything after it.
                        resumeAt = chunks[k].lowerBound + truncated
                        break
                    }
                }
                stalled = false
                if let resumeAt {
                    let (sink, lineEnds, stop) = try sequential(buffer, from: resumeAt, to: end, path: path, columns: columnCount,
                                                                delimiter: delimiter, interned: internedColumns, only: only,
                                                                keepingRecordBytes: keepingRecordBytes, firstLine: firstLine,
                                                                endIsFileEnd: atEnd && end == buffer.count)
                    columns.append(sink, firstLine: firstLine, firstByte: consumed + resumeAt)
                    firstLine += lineEnds
                    position = stop
                    stalled = stop < end
                } else {
                    position = end
                }
            } else {
                stalled = !atEnd
            }
            if atEnd && position >= buffer.count { break }
            // Drop what was read; keep the tail.
            buffer.removeSubrange(0..<position)
            consumed += position
            position = 0
            if let progress, let fileSize, fileSize > 0, !progress(min(1, Double(consumed) / Double(fileSize)), columns.rows) {
                throw CancellationError()
            }
        }
        guard columns.rows > 0 else { throw InputError(file: path, "has a header but no data rows") }
        return columns
    }

    /// One chunk's outcome.
    private struct ChunkResult: Sendable {
        var sink: ColumnSink
        /// Line ends in the records read (lines counted from 1 in the chunk).
        var lineEnds: Int
        /// The first error, its line counted from the chunk's first.
        var error: InputError?
        /// Where (from the chunk's start) the record cut by the chunk's end starts.
        var truncatedAt: Int?
    }

    /// Ranges of about `size` bytes in `from..<to`, each ending after a line feed (the last
    /// at `to`).
    private static func cut(_ buffer: [UInt8], from: Int, to: Int, size chunkSize: Int) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var start = from
        while start < to {
            var end = min(start + chunkSize, to)
            if end < to {
                end = buffer[end..<to].firstIndex(of: lineFeed).map { $0 + 1 } ?? to
            }
            chunks.append(start..<end)
            start = end
        }
        return chunks
    }

    private static func lastLineFeed(in buffer: [UInt8], from: Int) -> Int? {
        buffer[from...].lastIndex(of: lineFeed)
    }

    /// Parses the chunks on all cores; results in chunk order.
    private static func parse(_ buffer: [UInt8], chunks: [Range<Int>], path: String, columns: Int, delimiter: UInt8,
                              interned: Set<Int>, only: Set<Int>?, keepingRecordBytes: Bool, endIsFileEnd: Bool) -> [ChunkResult] {
        let results = Mutex([ChunkResult?](repeating: nil, count: chunks.count))
        buffer.withUnsafeBufferPointer { all in
            let base = UncheckedPointer(all)
            DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                let range = chunks[k]
                let bytes = UnsafeBufferPointer(rebasing: base.bytes[range])
                let result = parseChunk(bytes, path: path, columns: columns, delimiter: delimiter, interned: interned,
                                        only: only, keepingRecordBytes: keepingRecordBytes,
                                        atEndOfFile: endIsFileEnd && k == chunks.count - 1)
                results.withLock { $0[k] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    private static func parseChunk(_ bytes: UnsafeBufferPointer<UInt8>, path: String, columns: Int, delimiter: UInt8,
                                   interned: Set<Int>, only: Set<Int>?, keepingRecordBytes: Bool,
                                   atEndOfFile: Bool) -> ChunkResult {
        // A record of `columns` fields holds at least `columns - 1` delimiters and a line end
        // (the last one of the file: no line end), and only whole records are kept.
        var sink = ColumnSink(columns: columns, capacity: bytes.count / columns + 1, interned: interned, only: only,
                              keepingRecordBytes: keepingRecordBytes)
        var scanner = CSVScanner(bytes: bytes, file: path, delimiter: delimiter, atEndOfFile: atEndOfFile)
        var result = ChunkResult(sink: sink, lineEnds: 0)
        do {
            try scanner.records(expectedCount: columns, into: &sink)
        } catch let error as InputError {
            result.error = error
        } catch let truncated as CSVScanner.Truncated {
            result.truncatedAt = truncated.recordStart
            scanner.line = truncated.line
        } catch {
            fatalError("unexpected error \(error)")
        }
        result.sink = sink
        result.lineEnds = scanner.line - 1
        return result
    }

    /// Parses `from..<to` in one pass, for what follows a cut record; returns where it stopped
    /// (`to`, or the start of a record still cut by `to`).
    private static func sequential(_ buffer: [UInt8], from: Int, to: Int, path: String, columns: Int, delimiter: UInt8,
                                   interned: Set<Int>, only: Set<Int>?, keepingRecordBytes: Bool, firstLine: Int,
                                   endIsFileEnd: Bool) throws -> (ColumnSink, Int, Int) {
        try buffer.withUnsafeBufferPointer { all in
            let bytes = UnsafeBufferPointer(rebasing: all[from..<to])
            let result = parseChunk(bytes, path: path, columns: columns, delimiter: delimiter, interned: interned,
                                    only: only, keepingRecordBytes: keepingRecordBytes, atEndOfFile: endIsFileEnd)
            if var error = result.error {
                error.line = error.line.map { $0 + firstLine - 1 }
                throw error
            }
            return (result.sink, result.lineEnds, from + (result.truncatedAt ?? bytes.count))
        }
    }
}

/// A buffer's address for the chunk tasks, which only read it while it lives.
private struct UncheckedPointer: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
}

/// A file's bytes a block at a time, each checked to be UTF-8 text without NUL bytes: what
/// `CSVReader.read` would accept (`NotPlainText` otherwise, and then it says why).
private struct BlockReader {
    let handle: FileHandle
    let size: Int
    var first = true
    /// Bytes after the last line feed of the blocks so far, not yet checked (a block may end
    /// inside a character).
    var tail: [UInt8] = []

    mutating func next() throws -> [UInt8]? {
        guard let data = try handle.read(upToCount: size), !data.isEmpty else {
            if !tail.isEmpty, !Self.isText(tail) { throw CSVStreamReader.NotPlainText() }
            tail = []
            return nil
        }
        let block = data.withUnsafeBytes { [UInt8]($0) }
        if first {
            first = false
            if block.withUnsafeBufferPointer(TextDecoding.wideEncoding) != nil { throw CSVStreamReader.NotPlainText() }
        }
        if Self.isASCIIWithoutNUL(block) {
            if !tail.isEmpty, !Self.isText(tail) { throw CSVStreamReader.NotPlainText() }
            tail = []
        } else {
            let end = (block.lastIndex(of: lineFeed) ?? -1) + 1
            tail += block[0..<end]
            if end > 0 {
                guard Self.isText(tail) else { throw CSVStreamReader.NotPlainText() }
                tail = []
            }
            tail += block[end...]
        }
        return block
    }

    /// Whether every byte is in 1...127 (a loop the compiler vectorises).
    static func isASCIIWithoutNUL(_ bytes: [UInt8]) -> Bool {
        var high: UInt8 = 0, low: UInt8 = 0xFF
        bytes.withUnsafeBufferPointer { b in
            for byte in b {
                high |= byte
                low = min(low, byte)
            }
        }
        return high < 0x80 && low > 0
    }

    /// Whether `bytes` are UTF-8 with no NUL.
    static func isText(_ bytes: [UInt8]) -> Bool {
        !bytes.contains(0) && bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) != nil }
    }
}
