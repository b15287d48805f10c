import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

@Suite struct ExporterTests {
    /// Runs the fixture method, flags the lowest 10% and exports; returns the workbench.
    func runFlagAndExport(_ file: FixtureFile) async throws -> Workbench {
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.char("f"), .enter)
        w.session.export(prefix: file.directory + "/out")
        #expect(w.status?.text.hasPrefix("exported") == true)
        return w
    }

    /// The rows are read back from the data file: once it has changed, an export writes
    /// nothing and says why, in one line.
    @Test func aFileChangedSinceItWasOpenedIsNotExported() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await ranWorkbench(file)
        try (String(contentsOfFile: file.path, encoding: .utf8) + "40,0.0,even\n").write(toFile: file.path, atomically: false, encoding: .utf8)
        w.session.export(prefix: file.directory + "/out")
        #expect(w.status?.style == .error && w.status?.text.contains("changed since it was opened") == true)
        #expect(!FileManager.default.fileExists(atPath: file.directory + "/out-values.csv"))
    }

    /// The flagged and cleaned exports hold exactly the flagged and the other records of the
    /// file, read back with the same reader, whatever its line ends.
    @Test(arguments: [["\r"], ["\n", "\r", "\r\n"], ["\r\n"]])
    func exportsCopyTheReadersRecords(lineEnds: [String]) async throws {
        let file = try FixtureFile(lineEnds: lineEnds)
        defer { file.remove() }
        let w = try await runFlagAndExport(file)
        let original = try CSVReader.read(path: file.path)
        let flagged = try CSVReader.read(path: file.directory + "/out-flagged.csv")
        let cleaned = try CSVReader.read(path: file.directory + "/out-cleaned.csv")
        #expect(w.flags.count == 4)
        #expect(flagged.header == original.header && cleaned.header == original.header)
        #expect(flagged.records == w.flags.sorted().map { original.records[$0 - 1] })
        #expect(cleaned.records == original.records.indices.filter { !w.flags.contains($0 + 1) }.map { original.records[$0] })
    }
}
