import Synchronization
import Testing
@testable import WorthEngine

@Suite struct ChunkRunnerTests {
    /// Merges see every chunk exactly once, in index order, whatever the worker count.
    @Test(arguments: [1, 2, 5])
    func mergesInIndexOrder(workers: Int) async throws {
        var seen: [Int] = []
        let outcome = try await runChunks(units: 0..<37, chunkSize: 4, workers: workers, work: { range in
            // Uneven work so chunks finish out of order.
            var g = SeededGenerator(seed: UInt64(range.lowerBound))
            var x = 0.0
            for _ in 0..<(g.nextInt(below: 20_000)) { x += g.nextUnit() }
            return (Array(range), x)
        }, merge: { range, partial in
            #expect(Array(range) == partial.0)
            seen += partial.0
            return .proceed
        })
        #expect(outcome == .completed)
        #expect(seen == Array(0..<37))
    }

    /// `workers` bounds how many chunks run at the same time.
    @Test(arguments: [1, 2])
    func runsAtMostWorkersChunksAtOnce(workers: Int) async throws {
        let running = Atomic<Int>(0)
        let most = Atomic<Int>(0)
        _ = try await runChunks(units: 0..<24, chunkSize: 1, workers: workers, work: { _ in
            let now = running.add(1, ordering: .sequentiallyConsistent).newValue
            _ = most.max(now, ordering: .sequentiallyConsistent)
            var x = 0.0
            for i in 0..<50_000 { x += Double(i) }
            running.subtract(1, ordering: .sequentiallyConsistent)
            return x
        }, merge: { _, _ in .proceed })
        #expect(most.load(ordering: .sequentiallyConsistent) <= workers)
    }

    @Test func stopDiscardsLaterChunks() async throws {
        var merged = 0
        let outcome = try await runChunks(units: 0..<100, chunkSize: 10, workers: 3, work: { $0.count }, merge: { _, n in
            merged += n
            return merged >= 30 ? .stop : .proceed
        })
        #expect(outcome == .stopped)
        #expect(merged == 30)
    }

    @Test func cancellationEndsPromptly() async throws {
        let started = Atomic<Int>(0)
        let task = Task.detached {
            try await runChunks(units: 0..<10_000, chunkSize: 1, workers: 2, work: { _ in
                started.add(1, ordering: .relaxed)
                var x = 0.0
                for i in 0..<20_000 { x += Double(i) }
                return x
            }, merge: { _, _ in .proceed })
        }
        while started.load(ordering: .relaxed) < 5 { await Task.yield() }
        task.cancel()
        let outcome = try await task.value
        #expect(outcome == .cancelled)
        #expect(started.load(ordering: .relaxed) < 10_000)
    }
}
