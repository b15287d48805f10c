import Foundation
import Testing
@testable import WorthEngine

@Suite struct ExperimentTests {
    @Test func everyFileRowHasExactlyOneRole() throws {
        let loaded = try loadFixture()
        let e = try Experiment(source: loaded, options: ExperimentOptions(validationFraction: 0.2, testFraction: 0.2, seed: 1), for: nil)
        #expect(e.roles.count == 30)
        #expect(e.roles[4] == .dropped)
        let valued = e.roles.compactMap { if case .valued(let k) = $0 { k } else { nil } }
        #expect(valued.sorted() == Array(0..<e.problem.count))
        #expect(e.roles.filter { $0 == .validation }.count == e.problem.validationLabels.count)
        #expect(e.roles.filter { $0 == .test }.count == e.testLabels.count)
        for k in 0..<e.problem.count { #expect(e.roles[e.sourceRow(ofValued: k) - 1] == .valued(k)) }
        for (t, row) in e.validationSourceRows.enumerated() {
            #expect(e.roles[row - 1] == .validation)
            #expect(loaded.dataset.labels[loaded.dataset.sourceRows.firstIndex(of: row)!] == e.problem.validationLabels[t])
        }
    }

    @Test func standardisesWithTheValuedRowsOnly() throws {
        let e = try Experiment(source: try loadFixture(), options: ExperimentOptions(validationFraction: 0.3, seed: 2), for: nil)
        for j in 0..<e.problem.train.columns {
            let column = (0..<e.problem.count).map { e.problem.train[$0, j] }
            #expect(abs(column.reduce(0, +) / Double(column.count)) < 1e-12)
        }
    }

    @Test func theValuedRowsAreTheDatasetsColumnsStandardisedAndBinnedWithoutAMatrix() async throws {
        let loaded = try loadFixture()
        let e = try Experiment(source: loaded, options: ExperimentOptions(validationFraction: 0.3, testFraction: 0.2, seed: 3),
                               for: nil)
        // The matrix a method may ask for: the dataset's values standardised, row by row.
        let x = loaded.dataset.features
        let expected = e.standardizer.apply(x).selecting(rows: e.valuedRows)
        #expect(e.problem.train == expected)
        #expect(e.problem.featureCount == x.columns)
        // Binning reads the columns as they are, standardised on the fly: the same bins.
        let fromColumns = try #require(try await BinnedFeatures.fitting(e.problem.trainSource, workers: 2))
        let fromMatrix = BinnedFeatures(fitting: expected)
        #expect(fromColumns.bins == fromMatrix.bins && fromColumns.edges == fromMatrix.edges)
    }

    @Test func flipsAreRecordedAgainstTheOriginalLabels() throws {
        let e = try Experiment(source: try loadFixture(), options: ExperimentOptions(flipFraction: 0.25, seed: 3), for: nil)
        #expect(!e.flippedRows.isEmpty)
        for k in 0..<e.problem.count {
            #expect((e.problem.trainLabels[k] != e.originalLabels[k]) == e.flipped[k])
        }
    }

    @Test func rejectsFractionsThatLeaveNothing() throws {
        #expect(throws: InputError.self) {
            try Experiment(source: try loadFixture(), options: ExperimentOptions(validationFraction: 0.6, testFraction: 0.5), for: nil)
        }
    }
}
