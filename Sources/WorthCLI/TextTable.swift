import WorthEngine

/// Columns of text aligned for a terminal: the CLI's one table renderer.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Whether each column is right-aligned (numbers); defaults to left for the first column.
    var rightAligned: [Bool]

    init(_ header: [String]) {
        self.header = header
        rightAligned = header.indices.map { $0 > 0 }
    }

    /// Adds a row; cells are escaped (`escapingControlCharacters`), as they may hold labels
    /// from the user's file.
    mutating func add(_ row: [String]) { rows.append(row.map(\.escapingControlCharacters)) }

    func render(indent: String = "  ") -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return all.map { row in
            indent + header.indices.map { c in
                let cell = c < row.count ? row[c] : ""
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return rightAligned[c] ? pad + cell : cell + pad
            }.joined(separator: "  ").replacing(/\s+$/, with: "")
        }.joined(separator: "\n")
    }
}
