import Synchronization

/// Work done off the key loop's thread, handing its news to the loop through a mailbox: the
/// workbench's one way of running anything in the background (the dataset map, the what-if,
/// the reference model, and the valuation run itself).
///
/// The key loop blocks the main thread, so the work starts with `Task.detached` (a task started
/// from the main actor would wait behind the loop forever) and posts into the mailbox, which
/// keeps only the newest news; the loop takes it when it is ready to draw. The work never waits
/// for the UI and the UI never draws stale news twice. `cancel()` asks the work to stop; work
/// that checks `Task.isCancelled` then ends without news.
final class BackgroundJob<News: Sendable>: Sendable {
    /// Where the work posts its news.
    final class Mailbox: Sendable {
        fileprivate let slot = Mutex<(news: News?, finished: Bool)>((nil, false))

        /// Replaces the news not yet taken with `news`.
        func post(_ news: News) { slot.withLock { $0.news = news } }

        /// Updates the news not yet taken (nil when it was taken), e.g. to keep part of it.
        func post(merging merge: (inout News?) -> Void) { slot.withLock { merge(&$0.news) } }
    }

    private let mailbox = Mailbox()
    private let task: Task<Void, Never>

    /// Starts `work` at `priority`; it posts its news into the mailbox it is given.
    init(priority: TaskPriority? = nil, _ work: @escaping @Sendable (Mailbox) async -> Void) {
        let box = mailbox
        task = Task.detached(priority: priority) {
            await work(box)
            box.slot.withLock { $0.finished = true }
        }
    }

    /// Starts computing one result; nil from `compute` (cancelled) posts nothing.
    convenience init(priority: TaskPriority? = nil, computing compute: @escaping @Sendable () -> News?) {
        self.init(priority: priority) { box in
            if let value = compute() { box.post(value) }
        }
    }

    /// Takes the newest news not yet taken, and whether the work has finished (then nothing
    /// more will come).
    func take() -> (news: News?, finished: Bool) {
        mailbox.slot.withLock { slot in
            let out = slot
            slot.news = nil
            return out
        }
    }

    /// Asks the work to stop.
    func cancel() { task.cancel() }
}
