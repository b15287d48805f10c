import Foundation

/// A valuation's result as the user's file sees it: one row per data row of the file, valued
/// or marked as held out, ready to write as CSV or JSON.
public struct ResultTable: Sendable {
    /// One output row.
    public struct Row: Sendable, Equatable {
        /// 1-based data-row number in the input file.
        public var row: Int
        /// The label as written in the file.
        public var label: String
        /// The label the method saw, when it was flipped for an experiment.
        public var noisyLabel: String?
        /// Whether the label was flipped (only with `--flip`).
        public var flipped: Bool?
        /// The row's value; nil when held out or when the method has none for it.
        public var value: Double?
        /// Standard error of the value, where the method has one.
        public var standardError: Double?
        /// 1 = lowest value (most suspect); nil without a value.
        public var rank: Int?
        /// Empty when valued, else why not: `validation`, `test`, `missing`.
        public var heldOut: String
        /// Values of the method's extra columns, parallel to `ResultTable.extraColumnNames`.
        public var extras: [Double?]
    }

    /// Rows in file order.
    public var rows: [Row]
    /// Names of the method-specific columns after the standard ones.
    public var extraColumnNames: [String]
    /// Whether the flip columns are present.
    public var hasFlips: Bool

    /// Joins `estimate` (one entry per valued row of `experiment`) back to the file's rows.
    public init(experiment: Experiment, estimate: ValuationEstimate) {
        self.init(layout: ResultLayout(experiment: experiment), estimate: estimate)
    }

    /// Joins `estimate` (one entry per valued row) back to the file's rows as `layout` says.
    public init(layout: ResultLayout, estimate: ValuationEstimate) {
        let ranks = ascendingRanks(estimate.values)
        hasFlips = layout.hasFlips
        extraColumnNames = estimate.extraColumns.map(\.name)
        rows = layout.rows.enumerated().map { index, file in
            var row = Row(row: index + 1, label: file.label, noisyLabel: file.noisyLabel, flipped: file.flipped,
                          value: nil, standardError: nil, rank: nil, heldOut: file.heldOut,
                          extras: Array(repeating: nil, count: estimate.extraColumns.count))
            if let k = file.valued {
                let v = estimate.values[k]
                row.value = v.isNaN ? nil : v
                row.standardError = estimate.standardErrors.flatMap { $0[k].isNaN ? nil : $0[k] }
                row.rank = ranks[k]
                row.extras = estimate.extraColumns.map { $0.values[k].isNaN ? nil : $0.values[k] }
            }
            return row
        }
    }

    /// Column names of the CSV, in order.
    public var columnNames: [String] {
        ["row", "label", "value", "stderr", "rank", "held_out"]
            + (hasFlips ? ["noisy_label", "flipped"] : []) + extraColumnNames
    }

    /// The table as RFC 4180 CSV with a header line; missing numbers are empty cells.
    public func csv() -> String {
        var out = columnNames.joined(separator: ",") + "\n"
        for r in rows {
            var cells = [String(r.row), csvField(r.label), format(r.value), format(r.standardError),
                         r.rank.map(String.init) ?? "", r.heldOut]
            if hasFlips {
                cells.append(csvField(r.noisyLabel ?? ""))
                cells.append(r.flipped.map { $0 ? "true" : "false" } ?? "")
            }
            cells += r.extras.map(format)
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The table as a JSON document with the run's metadata: method, parameters, seed and why
    /// it stopped, then `rows` (missing numbers are null).
    public func json(method: String, parameters: [(name: String, value: String)], seed: UInt64, stop: StopReason?) throws -> String {
        struct Document: Encodable {
            var method: String
            var parameters: [String: String]
            var seed: UInt64
            var stopped: String?
            var columns: [String]
            var rows: [[String: JSONCell]]
        }
        var documentRows: [[String: JSONCell]] = []
        documentRows.reserveCapacity(rows.count)
        for r in rows {
            var d: [String: JSONCell] = [
                "row": .number(Double(r.row)), "label": .text(r.label),
                "value": r.value.map(JSONCell.number) ?? .null,
                "stderr": r.standardError.map(JSONCell.number) ?? .null,
                "rank": r.rank.map { JSONCell.number(Double($0)) } ?? .null,
                "held_out": .text(r.heldOut),
            ]
            if hasFlips {
                d["noisy_label"] = r.noisyLabel.map(JSONCell.text) ?? .null
                d["flipped"] = r.flipped.map(JSONCell.bool) ?? .null
            }
            for (name, v) in zip(extraColumnNames, r.extras) { d[name] = v.map(JSONCell.number) ?? .null }
            documentRows.append(d)
        }
        let doc = Document(method: method, parameters: Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) }),
                           seed: seed, stopped: stop?.description, columns: columnNames, rows: documentRows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
    }
}

/// One JSON cell of a result row.
enum JSONCell: Encodable {
    case number(Double), text(String), bool(Bool), null

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let v): if v == v.rounded() && abs(v) < 1e15 { try c.encode(Int64(v)) } else { try c.encode(v) }
        case .text(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        }
    }
}

/// A number as it appears in a CSV cell: shortest round-trip text, whole numbers without a
/// fraction (`12`, not `12.0`), empty for nil.
func format(_ value: Double?) -> String {
    guard let value else { return "" }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}

/// Quotes a CSV field when it holds a comma, a quote or a line break.
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
