import Synchronization
import WorthEngine

/// Runs one valuation off the UI thread and keeps only its newest update for the UI to take.
///
/// The terminal UI's key loop blocks the main thread between key presses, so the engine is
/// started with `Task.detached` (tasks started from the main actor would starve) and hands
/// each update to a mailbox that the loop empties when it is ready to draw: the engine never
/// waits for the UI, and the UI never draws a stale update twice.
final class RunController: Sendable {
    /// What the engine has delivered since the UI last looked.
    struct Mail: Sendable {
        /// The newest update not yet taken.
        var update: ValuationUpdate?
        /// The error that ended the run, as one line.
        var failure: String?
        /// True once the stream has ended (normally, by error or by cancellation).
        var ended = false
    }

    /// The slot the engine task writes and the UI reads.
    private final class Mailbox: Sendable {
        let mail = Mutex(Mail())
    }

    private let mailbox = Mailbox()
    private let task: Task<Void, Never>

    /// Starts `valuator` on `problem`.
    init(valuator: any Valuator, problem: ValuationProblem) {
        let box = mailbox
        task = Task.detached {
            do {
                for try await update in valuator.run(problem) {
                    box.mail.withLock { $0.update = update }
                }
            } catch is CancellationError {
            } catch {
                let text = String(describing: error)
                box.mail.withLock { $0.failure = text }
            }
            box.mail.withLock { $0.ended = true }
        }
    }

    /// Takes what arrived since the last call (the update slot is emptied).
    func take() -> Mail {
        mailbox.mail.withLock { mail in
            let out = mail
            mail.update = nil
            return out
        }
    }

    /// Asks the run to stop; the engine stops between units of work.
    func cancel() { task.cancel() }
}
