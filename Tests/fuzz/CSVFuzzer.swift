import Foundation
import WorthEngine

/// libFuzzer entry point: the bytes are a CSV file. Reads it as `worth` does and loads the
/// table under every missing-value policy; any input must give a table or an `InputError`,
/// never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard let text = String(validating: data, as: UTF8.self) else { return 0 }
    guard let table = try? CSVReader.parse(text, file: "fuzz.csv") else { return 0 }
    _ = ColumnSummary.summarize(table, labelColumn: table.header.count - 1)
    for policy in MissingPolicy.allCases {
        _ = try? DatasetLoader.load(table: table, path: "fuzz.csv", options: LoadOptions(missing: policy))
    }
    return 0
}
