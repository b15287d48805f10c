import Foundation

/// A saved run as a file: JSON with the per-row arrays in base64 (little-endian), a format
/// version and a checksum, checked field by field when read.
///
/// A run file is input like any other: it may be truncated, hand-edited, damaged, or written
/// by another version of worth. Loading checks the checksum and every field against the others
/// (as many values as rows, rows ascending inside the file, fractions in range, a known stop
/// reason), so whatever is wrong is one `InputError` naming the file and the fault, never a
/// trap.
extension SavedRun {
    /// The file's bytes.
    public func encoded() throws -> Data {
        let file = File(self)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(file)
    }

    /// Reads a run from the bytes of a run file; `name` names the file in errors. Any bytes at
    /// all give a run or an `InputError`, never a trap.
    public static func decode(_ data: Data, name: String) throws -> SavedRun {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let file: File
        do { file = try decoder.decode(File.self, from: data) } catch let error as DecodingError {
            throw InputError(file: name, "not a worth run file, or a damaged one (\(SemivalueState.describe(error)))")
        } catch {
            throw InputError(file: name, "not a worth run file (\(error))")
        }
        guard file.format == File.formatName else { throw InputError(file: name, "not a worth run file") }
        guard file.version == formatVersion else {
            throw InputError(file: name, "run file format \(file.version); this worth reads format \(formatVersion)")
        }
        let run: SavedRun
        do { run = try file.run() } catch let defect as Defect {
            throw InputError(file: name, "damaged run file: \(defect.what)")
        }
        guard file.checksum == run.checksum else {
            throw InputError(file: name, "damaged run file: the checksum does not match (it was changed after worth saved it)")
        }
        return run
    }

    /// A field check that failed.
    struct Defect: Error {
        var what: String
        init(_ what: String) { self.what = what }
    }

    /// Checks every field against the others; throws a `Defect` saying what is wrong.
    func validate() throws {
        guard !id.isEmpty, !id.hasPrefix("."), !id.contains("/") else { throw Defect("the id '\(id.prefix(40))' cannot name a file") }
        guard created.isFinite else { throw Defect("the start time is not a number") }
        guard !method.isEmpty else { throw Defect("the method is empty") }
        guard data.dataRows >= 0, data.labelColumn >= 0 else { throw Defect("negative row or column counts") }
        for (name, f) in [("validation", settings.validationFraction), ("test", settings.testFraction)] where !(0..<1).contains(f) {
            throw Defect("the \(name) fraction \(f) is outside [0, 1)")
        }
        guard settings.validationFraction + settings.testFraction < 1 else { throw Defect("the held-out fractions add up to 1 or more") }
        guard (0...1).contains(settings.flipFraction) else { throw Defect("the flip fraction \(settings.flipFraction) is outside [0, 1]") }
        var previous = 0
        for r in rows {
            guard r > previous, r <= data.dataRows else {
                throw Defect("valued row \(r) is not in 1...\(data.dataRows) in ascending order")
            }
            previous = r
        }
        guard values.count == rows.count else { throw Defect("\(values.count) values for \(rows.count) rows") }
        if let se = standardErrors, se.count != rows.count { throw Defect("\(se.count) standard errors for \(rows.count) rows") }
        for c in extraColumns where c.values.count != rows.count {
            throw Defect("column \(c.name.prefix(40)) has \(c.values.count) entries for \(rows.count) rows")
        }
        guard done >= 0, (total ?? 0) >= 0, elapsed.isFinite, elapsed >= 0 else { throw Defect("negative progress or time") }
        for s in convergence {
            for p in s.history where p.done < 0 { throw Defect("a convergence point of \(s.name.prefix(40)) at \(p.done)") }
        }
        guard flippedRows >= 0, flippedRows <= rows.count else { throw Defect("\(flippedRows) flipped of \(rows.count) rows") }
        if let auroc, !(0...1).contains(auroc) { throw Defect("AUROC \(auroc) is outside [0, 1]") }
    }

    /// FNV-1a over every field in a fixed binary order (not over the JSON text, so another
    /// encoder's spelling of a number cannot invalidate a file).
    var checksum: String {
        var h = Fingerprint.Hasher()
        func int(_ v: Int) { h.add(bytesOf: Int64(v).littleEndian) }
        func real(_ v: Double) { h.add(bytesOf: v.bitPattern.littleEndian) }
        func text(_ s: String) { int(s.utf8.count); for b in s.utf8 { h.add(b) } }
        func optional<T>(_ v: T?, _ write: (T) -> Void) { if let v { int(1); write(v) } else { int(0) } }
        func parameters(_ list: [Parameter]) { int(list.count); for p in list { text(p.name); text(p.value) } }
        text("worth run")
        int(Self.formatVersion)
        text(id); real(created); text(method); text(methodTitle)
        parameters(self.parameters); parameters(changedParameters)
        text(data.fingerprint); int(data.dataRows); int(data.labelColumn); text(data.labelName); text(data.missing.rawValue)
        optional(data.validationFile, text); optional(data.testFile, text)
        real(settings.validationFraction); real(settings.testFraction); real(settings.flipFraction)
        h.add(bytesOf: settings.seed.littleEndian)
        int(rows.count); rows.forEach(int)
        values.forEach(real)
        optional(standardErrors) { $0.forEach(real) }
        int(extraColumns.count)
        for c in extraColumns { text(c.name); c.values.forEach(real) }
        int(done); optional(total, int); text(unit); real(elapsed)
        text(File.Stop(stop).kind); text(File.Stop(stop).detail ?? "")
        int(convergence.count)
        for s in convergence {
            text(s.name); optional(s.target, real)
            int(s.history.count)
            for p in s.history { int(p.done); real(p.value) }
        }
        int(flippedRows); optional(auroc, real)
        return h.digest
    }

    /// The JSON layout.
    struct File: Codable {
        static let formatName = "worth run"
        var format: String
        var version: Int
        var checksum: String
        var id: String
        var created: Double
        var method: String
        var methodTitle: String
        var parameters: [Parameter]
        var changedParameters: [Parameter]
        var data: DataIdentity
        var settings: Settings
        /// Valued rows as little-endian Int64, values and the rest as little-endian Float64.
        var rows: Data
        var values: Data
        var standardErrors: Data?
        var extraColumns: [Column]
        var done: Int
        var total: Int?
        var unit: String
        var elapsed: Double
        var stop: Stop
        var convergence: [Series]
        var flippedRows: Int
        var auroc: Double?

        struct Column: Codable {
            var name: String
            var values: Data
        }

        struct Series: Codable {
            var name: String
            var target: Double?
            var history: [ConvergencePoint]
        }

        /// A stop reason: `completed`, `converged`, `budget` (with what was met) or `cancelled`.
        struct Stop: Codable {
            var kind: String
            var detail: String?

            init(_ reason: StopReason) {
                switch reason {
                case .completed: kind = "completed"
                case .converged(let why): kind = "converged"; detail = why
                case .budget(let why): kind = "budget"; detail = why
                case .cancelled: kind = "cancelled"
                }
            }

            func reason() throws -> StopReason {
                switch (kind, detail) {
                case ("completed", _): return .completed
                case ("cancelled", _): return .cancelled
                case ("converged", let why?): return .converged(why)
                case ("budget", let why?): return .budget(why)
                default: throw Defect("unknown stop reason '\(kind.prefix(40))'")
                }
            }
        }

        init(_ run: SavedRun) {
            format = Self.formatName
            version = SavedRun.formatVersion
            checksum = run.checksum
            id = run.id
            created = run.created
            method = run.method
            methodTitle = run.methodTitle
            parameters = run.parameters
            changedParameters = run.changedParameters
            data = run.data
            settings = run.settings
            rows = Self.pack(run.rows.map { UInt64(bitPattern: Int64($0)) })
            values = Self.pack(run.values.map(\.bitPattern))
            standardErrors = run.standardErrors.map { Self.pack($0.map(\.bitPattern)) }
            extraColumns = run.extraColumns.map { Column(name: $0.name, values: Self.pack($0.values.map(\.bitPattern))) }
            done = run.done
            total = run.total
            unit = run.unit
            elapsed = run.elapsed
            stop = Stop(run.stop)
            convergence = run.convergence.map { Series(name: $0.name, target: $0.target, history: $0.history) }
            flippedRows = run.flippedRows
            auroc = run.auroc
        }

        /// The run, its fields checked against each other.
        func run() throws -> SavedRun {
            func doubles(_ data: Data, _ what: String) throws -> [Double] { try Self.unpack(data, what).map(Double.init(bitPattern:)) }
            let rows = try Self.unpack(rows, "rows").map { Int(truncatingIfNeeded: Int64(bitPattern: $0)) }
            let run = SavedRun(
                id: id, created: created, method: method, methodTitle: methodTitle, parameters: parameters,
                changedParameters: changedParameters, data: data, settings: settings, rows: rows,
                values: try doubles(values, "values"), standardErrors: try standardErrors.map { try doubles($0, "standard errors") },
                extraColumns: try extraColumns.map { ExtraColumn(name: $0.name, values: try doubles($0.values, "column \($0.name.prefix(40))")) },
                done: done, total: total, unit: unit, elapsed: elapsed, stop: try stop.reason(),
                convergence: convergence.map { ConvergenceSeries(name: $0.name, history: $0.history, target: $0.target) },
                flippedRows: flippedRows, auroc: auroc)
            try run.validate()
            return run
        }

        static func pack(_ words: [UInt64]) -> Data {
            var out = Data(capacity: words.count * 8)
            for w in words { withUnsafeBytes(of: w.littleEndian) { out.append(contentsOf: $0) } }
            return out
        }

        static func unpack(_ data: Data, _ what: String) throws -> [UInt64] {
            guard data.count % 8 == 0 else { throw Defect("the \(what) are \(data.count) bytes, not a whole number of 8-byte words") }
            let bytes = [UInt8](data)
            return stride(from: 0, to: bytes.count, by: 8).map { k in
                var w: UInt64 = 0
                for b in 0..<8 { w |= UInt64(bytes[k + b]) << (8 * UInt64(b)) }
                return w
            }
        }
    }
}
