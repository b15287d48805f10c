import Synchronization

/// Work done off the key loop's thread, its result handed to the loop through a mailbox.
///
/// The key loop blocks the main thread, so the work starts with `Task.detached` (a task
/// started from the main actor would wait behind the loop forever), and the loop polls
/// `result` when it is ready to draw: the work never waits for the UI. `cancel()` asks the
/// work to stop; work that checks `Task.isCancelled` returns nil then, and nothing is delivered.
final class BackgroundJob<Value: Sendable>: Sendable {
    /// The slot the work writes and the loop reads.
    private final class Mailbox: Sendable {
        let value = Mutex<Value?>(nil)
    }

    private let mailbox = Mailbox()
    private let task: Task<Void, Never>

    /// Starts `work` at `priority`.
    init(priority: TaskPriority? = nil, _ work: @escaping @Sendable () -> Value?) {
        let box = mailbox
        task = Task.detached(priority: priority) {
            guard let value = work() else { return }
            box.value.withLock { $0 = value }
        }
    }

    /// The result once it is ready.
    var result: Value? { mailbox.value.withLock { $0 } }

    /// Asks the work to stop.
    func cancel() { task.cancel() }
}
