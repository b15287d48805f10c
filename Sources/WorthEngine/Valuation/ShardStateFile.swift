import Foundation

/// A shard state as a file: JSON with the results in base64 (exact integers, the bits of
/// doubles), a format version and a checksum, checked field by field when read.
///
/// Like a Monte Carlo state (`SemivalueStateFile.swift`), a shard state is input: it may be
/// truncated, hand-edited or damaged. Loading checks every field against the others (the
/// method and its parameter values, units inside the shard's block, result sizes as the units
/// imply, tallies and sums within what the units allow, the layout) and the checksum, so that
/// whatever is wrong is one `InputError` naming the file and the fault, never a trap later on.
extension ShardState: StateFile {
    /// Writes the state to `path` atomically (`StateFile.write`).
    public func save(to path: String) throws { try write(to: path) }

    /// Reads a state saved by `save(to:)`.
    public static func load(from path: String) throws -> ShardState {
        try load(data: contents(of: path), name: path)
    }

    /// Reads a state from the bytes of a state file, checking every field and the checksum;
    /// `name` names the file in errors. Any bytes give a state or an `InputError`, never a trap.
    public static func load(data: Data, name: String) throws -> ShardState {
        try read(data: data, name: name) { state in
            guard state.version == formatVersion else {
                throw InputError(file: name, "shard state format \(state.version); this worth reads format \(formatVersion)")
            }
        }
    }

    /// Checks every field against the others; throws a `Defect` saying what is wrong.
    func validate() throws {
        typealias Defect = StateDefect
        let maxUnits = SemivalueState.maxUnits
        guard let method = MethodCatalog.method(origin.method) else { throw Defect("unknown method '\(origin.method)'") }
        let names = origin.parameters.map(\.name)
        guard names == method.parameters.map(\.name) else {
            throw Defect("parameters \(names.joined(separator: ", ")) are not those of \(method.id)")
        }
        var values = method.defaults
        for p in origin.parameters {
            do { try values.set(p.name, p.value) } catch let error as InputError { throw Defect(error.message) }
        }
        guard (0...maxUnits).contains(units) else { throw Defect("\(units) \(unitName) is outside 0...\(maxUnits)") }
        guard (1...max(1, units)).contains(granule) else { throw Defect("blocks of \(granule) \(unitName) in \(units)") }
        var plan = 0..<units
        if let shard {
            guard (1...maxUnits).contains(shard.count), (0..<shard.count).contains(shard.index) else {
                throw Defect("shard \(shard) does not exist")
            }
            plan = shard.units(of: units, granule: granule)
        }

        let done = try StateDefect.checkCompleted(completed, plan: plan, unitName: unitName)

        // Results: the kind the unit implies, sizes and counts as the units done imply.
        let expectedUnits: [String]
        switch results {
        case .rows(let values, let columns):
            expectedUnits = ["rows"]
            guard values.count == done else { throw Defect("\(values.count) values for \(done) completed rows") }
            var seen = Set<String>()
            for column in columns {
                guard column.values.count == done else {
                    throw Defect("column \(column.name.debugDescription) has \(column.values.count) values for \(done) completed rows")
                }
                guard (1...64).contains(column.name.utf8.count), column.name.utf8.allSatisfy({ $0 == 95 || (97...122).contains($0) || (48...57).contains($0) }),
                      seen.insert(column.name).inserted else {
                    throw Defect("column name \(column.name.debugDescription) is not a new word of a-z, 0-9 and _")
                }
            }
        case .outOfBag(let tally):
            expectedUnits = ["trees", "models"]
            guard tally.correct.count == tally.outOfBag.count, tally.outOfBag.count <= maxUnits else {
                throw Defect("\(tally.outOfBag.count) out-of-bag counts and \(tally.correct.count) correct counts")
            }
            guard tally.models == done else { throw Defect("\(tally.models) models tallied, but \(done) \(unitName) completed") }
            if let i = tally.outOfBag.indices.first(where: { tally.correct[$0] > tally.outOfBag[$0] || Int(tally.outOfBag[$0]) > done }) {
                throw Defect("row \(i + 1) is right \(tally.correct[i]) times out of \(tally.outOfBag[i]) out-of-bag of \(done) \(unitName)")
            }
        case .sums(let sums):
            expectedUnits = ["validation points"]
            guard sums.count <= maxUnits else { throw Defect("\(sums.count) sums") }
            // Each validation point adds a contribution in [−1, 1] per row (rounded once per
            // chunk): twice that bounds any sum.
            let limit = Int128(done) << 65
            if let i = sums.indices.first(where: { sums[$0] > limit || sums[$0] < -limit }) {
                throw Defect("row \(i + 1)'s sum exceeds what \(done) \(unitName) allow")
            }
        }
        guard expectedUnits.contains(unitName) else {
            throw Defect("these results count \(expectedUnits.joined(separator: " or ")), not '\(unitName)'")
        }
        if case .rows = results {} else if units > 0 && rows == 0 { throw Defect("results for no valued row") }
        if let defect = input.defect(valuedRows: rows) { throw Defect(defect) }
    }

    /// FNV-1a over every field in a fixed binary order.
    var checksum: String {
        var h = Fingerprint.Hasher()
        func optional<T>(_ v: T?, _ write: (T) -> Void) {
            if let v { h.add(integer: 1); write(v) } else { h.add(integer: 0) }
        }
        func reals(_ values: [Double]) {
            h.add(integer: values.count)
            for v in values { h.add(real: v) }
        }
        h.add(text: "worth shard state")
        h.add(integer: version)
        h.add(text: origin.method)
        h.add(integer: origin.parameters.count)
        for p in origin.parameters { h.add(text: p.name); h.add(text: p.value) }
        h.add(bytesOf: seed.littleEndian)
        input.addFields(to: &h)
        h.add(text: unitName)
        h.add(integer: units)
        h.add(integer: granule)
        optional(shard) { h.add(integer: $0.index); h.add(integer: $0.count) }
        h.add(integer: completed.count)
        for r in completed { h.add(integer: r.lowerBound); h.add(integer: r.upperBound) }
        switch results {
        case .rows(let values, let columns):
            h.add(text: "rows")
            reals(values)
            h.add(integer: columns.count)
            for c in columns { h.add(text: c.name); reals(c.values) }
        case .outOfBag(let tally):
            h.add(text: "out-of-bag")
            h.add(integer: tally.models)
            h.add(integer: tally.outOfBag.count)
            for (o, c) in zip(tally.outOfBag, tally.correct) { h.add(bytesOf: o.littleEndian); h.add(bytesOf: c.littleEndian) }
        case .sums(let sums):
            h.add(text: "sums")
            h.add(integer: sums.count)
            for s in sums { h.add(bytesOf: s.littleEndian) }
        }
        return h.digest
    }
}

extension ShardState: Codable {
    enum CodingKeys: String, CodingKey {
        case version, origin, seed, input, unitName, units, granule, shard, completed, results, fileChecksum = "checksum"
    }

    private enum ResultKeys: String, CodingKey { case kind, values, columns, models, outOfBag, correct, sums }
    private enum ColumnKeys: String, CodingKey { case name, values }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        origin = try c.decode(RunOrigin.self, forKey: .origin)
        seed = try c.decode(UInt64.self, forKey: .seed)
        input = try c.decode(RunInput.self, forKey: .input)
        unitName = try c.decode(String.self, forKey: .unitName)
        units = try c.decode(Int.self, forKey: .units)
        granule = try c.decode(Int.self, forKey: .granule)
        shard = try c.decodeIfPresent(ShardSpec.self, forKey: .shard)
        completed = try c.decode([Range<Int>].self, forKey: .completed)
        fileChecksum = try c.decodeIfPresent(String.self, forKey: .fileChecksum)

        let r = try c.nestedContainer(keyedBy: ResultKeys.self, forKey: .results)
        func packed<T: FixedWidthInteger, K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K, as: T.Type) throws -> [T] {
            guard let values = PackedIntegers.values(try container.decode(Data.self, forKey: key), as: T.self) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not \(MemoryLayout<T>.size)-byte numbers")
            }
            return values
        }
        func reals<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> [Double] {
            try packed(container, key, as: UInt64.self).map(Double.init(bitPattern:))
        }
        switch try r.decode(String.self, forKey: .kind) {
        case "rows":
            var list = try r.nestedUnkeyedContainer(forKey: .columns)
            var columns: [ExtraColumn] = []
            while !list.isAtEnd {
                let column = try list.nestedContainer(keyedBy: ColumnKeys.self)
                columns.append(ExtraColumn(name: try column.decode(String.self, forKey: .name), values: try reals(column, .values)))
            }
            results = .rows(values: try reals(r, .values), columns: columns)
        case "out-of-bag":
            var tally = OutOfBagTally(rows: 0)
            tally.outOfBag = try packed(r, .outOfBag, as: UInt32.self)
            tally.correct = try packed(r, .correct, as: UInt32.self)
            tally.models = try r.decode(Int.self, forKey: .models)
            results = .outOfBag(tally)
        case "sums":
            results = .sums(try packed(r, .sums, as: Int128.self))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: r, debugDescription: "results of an unknown kind '\(other.prefix(40))'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(origin, forKey: .origin)
        try c.encode(seed, forKey: .seed)
        try c.encode(input, forKey: .input)
        try c.encode(unitName, forKey: .unitName)
        try c.encode(units, forKey: .units)
        try c.encode(granule, forKey: .granule)
        try c.encodeIfPresent(shard, forKey: .shard)
        try c.encode(completed, forKey: .completed)
        try c.encodeIfPresent(fileChecksum, forKey: .fileChecksum)
        var r = c.nestedContainer(keyedBy: ResultKeys.self, forKey: .results)
        func reals(_ values: [Double]) -> Data { PackedIntegers.data(values.map(\.bitPattern)) }
        switch results {
        case .rows(let values, let columns):
            try r.encode("rows", forKey: .kind)
            try r.encode(reals(values), forKey: .values)
            var list = r.nestedUnkeyedContainer(forKey: .columns)
            for column in columns {
                var entry = list.nestedContainer(keyedBy: ColumnKeys.self)
                try entry.encode(column.name, forKey: .name)
                try entry.encode(reals(column.values), forKey: .values)
            }
        case .outOfBag(let tally):
            try r.encode("out-of-bag", forKey: .kind)
            try r.encode(PackedIntegers.data(tally.outOfBag), forKey: .outOfBag)
            try r.encode(PackedIntegers.data(tally.correct), forKey: .correct)
            try r.encode(tally.models, forKey: .models)
        case .sums(let sums):
            try r.encode("sums", forKey: .kind)
            try r.encode(PackedIntegers.data(sums), forKey: .sums)
        }
    }
}

/// A state file of either kind, as `worth merge` reads them.
public enum SavedState: Sendable {
    /// A Monte Carlo run's state (`SemivalueState`).
    case semivalue(SemivalueState)
    /// A state of the exact or bagging methods (`ShardState`).
    case shard(ShardState)

    /// Reads the state file at `path`, of whichever kind it is (a shard state records its
    /// method's `origin`; a Monte Carlo state does not).
    public static func load(from path: String) throws -> SavedState {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the state file")
        }
        return try load(data: data, name: path)
    }

    /// Reads a state file's bytes; `name` names it in errors.
    public static func load(data: Data, name: String) throws -> SavedState {
        struct Probe: Decodable { var origin: RunOrigin? }
        if let probe = try? JSONDecoder().decode(Probe.self, from: data), probe.origin != nil {
            return .shard(try ShardState.load(data: data, name: name))
        }
        return .semivalue(try SemivalueState.load(data: data, name: name))
    }
}
