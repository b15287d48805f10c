import Testing
@testable import WorthEngine

@Suite struct ChunkedPassTests {
    @Test func mergesEveryChunkInOrderAndCountsTheUnits() async throws {
        for workers in [1, 2, 3] {
            var merged: [Range<Int>] = []
            var seen: [Int] = []
            let (_, continuation) = AsyncThrowingStream.makeStream(of: ValuationUpdate.self)
            let final = try await ChunkedPass(units: 0..<23, chunkSize: 5, unit: "rows", phase: "testing").run(
                workers: workers, reporter: ProgressReporter(continuation: continuation),
                work: { range in range.map { $0 * $0 } },
                merge: { range, squares in
                    merged.append(range)
                    #expect(squares == range.map { $0 * $0 })
                },
                estimate: { done in
                    seen.append(done)
                    return ValuationEstimate(values: [Double(done)])
                })
            #expect(merged == [0..<5, 5..<10, 10..<15, 15..<20, 20..<23])
            #expect(final.done == 23 && final.total == 23 && final.unit == "rows" && final.phase == "testing")
            #expect(final.stop == .completed && final.estimate.values == [23])
            #expect(seen.last == 23)
        }
    }

    @Test func aCancelledPassEndsCancelledWithWhatWasMerged() async throws {
        let task = Task {
            try await runDirectly { reporter in
                try await ChunkedPass(units: 0..<1_000_000, chunkSize: 1, unit: "rows").run(
                    workers: 2, reporter: reporter,
                    work: { range in
                        if range.lowerBound == 3 { withUnsafeCurrentTask { $0?.cancel() } }
                        return range.count
                    },
                    merge: { _, _ in },
                    estimate: { done in ValuationEstimate(values: [Double(done)]) })
            }
        }
        task.cancel()
        let final = try await task.value
        #expect(final.stop == .cancelled && final.done < 1_000_000)
    }
}
