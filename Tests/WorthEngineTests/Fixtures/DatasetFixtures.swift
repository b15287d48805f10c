@testable import WorthEngine

/// A small dataset with a missing cell, text labels with a comma, and enough rows per class.
func loadFixture(missing: MissingPolicy = .drop) throws -> LoadedDataset {
    var text = "a,b,label\n"
    for i in 0..<30 {
        let label = i % 3 == 0 ? "\"x, y\"" : (i % 3 == 1 ? "z" : "w")
        text += i == 4 ? "\(i),NA,\(label)\n" : "\(i),\(Double(i % 7) * 0.5),\(label)\n"
    }
    return try DatasetLoader.load(table: CSVReader.parse(text, file: "f.csv"), path: "f.csv",
                                  options: LoadOptions(missing: missing))
}
