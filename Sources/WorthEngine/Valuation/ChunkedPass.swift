/// One pass over independent units of work, merged in index order as chunks finish: the loop
/// of the exact methods, whose units are a valued row (leave-one-out's refit, an influence
/// value) or a validation point (KNN-Shapley's contribution).
///
/// Each method keeps its kernel (`work`, run on up to `problem.workers` tasks through
/// `runChunks`) and what it does with a chunk's result (`merge`, on the calling task); the
/// pass counts the units done, offers progress updates and returns the final one, `.completed`
/// or `.cancelled`. Chunk sizes depend on the sizes of the problem only, so results never
/// depend on the number of workers. A shard's pass covers its block of units (`units`); its
/// progress counts them from 0.
struct ChunkedPass {
    /// The units of this pass: all of the method's (`0..<count`), or one shard's block.
    var units: Range<Int>
    /// Units per chunk handed to a worker.
    var chunkSize: Int
    /// What a unit is, plural (`rows`, `validation points`).
    var unit: String
    /// The phase every update of the pass shows, if any (how the method works).
    var phase: String?

    /// Runs the pass; `estimate` is called with the number of units merged so far whenever an
    /// update is built.
    func run<Partial: Sendable>(
        workers: Int, reporter: ProgressReporter,
        work: @escaping @Sendable (Range<Int>) throws -> Partial,
        merge: (Range<Int>, Partial) -> Void,
        estimate: (_ done: Int) -> ValuationEstimate
    ) async throws -> ValuationUpdate {
        var done = 0
        func update(stop: StopReason?) -> ValuationUpdate {
            ValuationUpdate(done: done, total: units.count, unit: unit, phase: phase, estimate: estimate(done),
                            elapsed: reporter.elapsed, stop: stop)
        }
        let outcome = try await runChunks(
            units: units, chunkSize: chunkSize, workers: workers, work: work,
            merge: { range, partial in
                merge(range, partial)
                done += range.count
                reporter.offer { update(stop: nil) }
                return .proceed
            })
        return update(stop: outcome == .cancelled ? .cancelled : .completed)
    }
}
