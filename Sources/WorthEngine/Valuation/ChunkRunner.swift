/// What a merge step tells the chunk runner.
enum ChunkDecision: Sendable {
    /// Keep going.
    case proceed
    /// Enough: launch nothing more and merge nothing more (a convergence target was met).
    case stop
}

/// How a chunked run ended.
enum ChunkOutcome: Sendable, Equatable {
    /// Every unit was done and merged.
    case completed
    /// A merge step asked to stop.
    case stopped
    /// The task was cancelled; what had finished was merged, in order.
    case cancelled
}

/// Runs units `units` of independent work in chunks of `chunkSize` on up to `workers`
/// concurrent tasks, and merges each chunk's result on the calling task in index order.
///
/// This is the engine's one parallel loop. Because each unit seeds itself from its index and
/// results are merged in index order, the outcome does not depend on `workers` nor on which
/// chunk finishes first. A `.stop` from `merge` discards chunks after it, so a convergence
/// check sees the same sequence whatever the parallelism. While the run's `RunControl` is
/// paused, nothing is merged and nothing launched; a chunk whose unit stopped at the pause
/// (`UnitPaused`) is run again from its start after it.
func runChunks<Partial: Sendable>(
    units: Range<Int>,
    chunkSize: Int,
    workers: Int,
    work: @escaping @Sendable (Range<Int>) throws -> Partial,
    merge: (Range<Int>, Partial) throws -> ChunkDecision
) async throws -> ChunkOutcome {
    let size = max(1, chunkSize)
    let upper = units.upperBound
    return try await withThrowingTaskGroup(of: (Int, Partial?).self) { group in
        let workers = max(1, workers)
        var next = units.lowerBound
        var inFlight = 0
        var mergeAt = units.lowerBound
        var pending: [Int: Partial] = [:]
        /// Starts of chunks abandoned at a pause, to run again first.
        var again: [Int] = []
        var stopped = false
        var cancelled = false

        func launch() {
            let start = again.isEmpty ? next : again.removeFirst()
            let range = start..<min(start + size, upper)
            if start == next { next = range.upperBound }
            inFlight += 1
            group.addTask {
                do { return (range.lowerBound, try work(range)) } catch is UnitPaused { return (range.lowerBound, nil) }
            }
        }
        // At most `workers` chunks run at once, and at most 2 × `workers` chunks' results wait
        // beyond the merge point (a slow chunk must not let finished ones pile up).
        func canLaunch() -> Bool {
            !stopped && !cancelled && inFlight < workers
                && (!again.isEmpty || (next < upper && next - mergeAt < size * 2 * workers))
        }
        while canLaunch() { launch() }

        let control = RunControl.current
        while let (start, partial) = try await group.next() {
            inFlight -= 1
            await control?.waitWhilePaused()
            if let partial { pending[start] = partial } else { again.append(start); again.sort() }
            while !stopped, let ready = pending.removeValue(forKey: mergeAt) {
                let range = mergeAt..<min(mergeAt + size, upper)
                mergeAt = range.upperBound
                if try merge(range, ready) == .stop { stopped = true }
            }
            if Task.isCancelled { cancelled = true }
            while canLaunch() { launch() }
        }
        if stopped { return .stopped }
        if cancelled || mergeAt < upper { return .cancelled }
        return .completed
    }
}
