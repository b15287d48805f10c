import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM for the headless commands: at any moment they end the command
/// with status 128 + the signal's number (130, 143) and one line on stderr, and never leave a
/// half-written output behind.
///
/// What the first signal does depends on the phase:
/// - while loading and checking (the default): exit at once, nothing has been written;
/// - during a run (`cancelling`): cancel it, so the estimate so far can still be written;
/// - during a write (`deferring`): let the write finish, then the command ends with the status.
/// A second signal exits at once (an atomic write then leaves at most a temporary file, which
/// the next write to that name removes).
/// The pipe's write end for the signal handler (set once by `Interrupts.install`, before the
/// handler exists; a handler may only make async-signal-safe calls, such as `write`).
private nonisolated(unsafe) var signalPipeWriteEnd: Int32 = -1

final class Interrupts: Sendable {
    static let shared = Interrupts()

    private enum Phase: Sendable {
        case exitAtOnce
        case cancel(@Sendable () -> Void)
        case deferred
    }

    private struct State: Sendable {
        var phase = Phase.exitAtOnce
        var signal: Int32?
    }

    private let state = Mutex(State())

    /// Starts catching SIGINT and SIGTERM. Call once, before any work.
    ///
    /// A handler is installed for both at once (process-wide, whatever thread calls this and
    /// whatever the shell set, such as the SIGINT a background job inherits ignored); it only
    /// writes the signal's number to a pipe, and one thread reads the pipe and acts. So no
    /// signal is lost between installing and listening (a dispatch signal source, registered
    /// asynchronously, left a window in which Ctrl-C was dropped and the run exited 0).
    func install() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        signalPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        let listener = Thread { [self] in
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n == 1 { received(Int32(byte)) } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
        listener.name = "worth signals"
        listener.start()
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var byte = UInt8(truncatingIfNeeded: sig)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
    }

    /// The exit status for the signal that arrived (128 + its number), or nil when none did.
    var exitStatus: Int32? { state.withLock { $0.signal }.map { 128 + $0 } }

    /// Runs `body` (a valuation) with the first signal calling `cancel` instead of exiting.
    func cancelling<T>(_ cancel: @escaping @Sendable () -> Void, _ body: () async throws -> T) async rethrows -> T {
        state.withLock { $0.phase = .cancel(cancel) }
        defer { state.withLock { $0.phase = .exitAtOnce } }
        return try await body()
    }

    /// Runs `body` (a write) with a signal held back until it has finished.
    func deferring<T>(_ body: () throws -> T) rethrows -> T {
        state.withLock { $0.phase = .deferred }
        defer { state.withLock { $0.phase = .exitAtOnce } }
        return try body()
    }

    private func received(_ sig: Int32) {
        enum Action { case exitFirst, exitAgain, cancel(@Sendable () -> Void), wait }
        let action: Action = state.withLock { s in
            if s.signal != nil { return .exitAgain }
            s.signal = sig
            switch s.phase {
            case .exitAtOnce: return .exitFirst
            case .cancel(let cancel): return .cancel(cancel)
            case .deferred: return .wait
            }
        }
        let name = sig == SIGTERM ? "terminated (SIGTERM)" : "interrupted"
        // Start on a fresh line when a progress bar is on the terminal.
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        switch action {
        case .exitFirst:
            writeError("worth: \(name)")
            exit(128 + sig)
        case .exitAgain:
            exit(128 + sig)
        case .cancel(let cancel):
            writeError("worth: \(name); stopping (\(sig == SIGTERM ? "a second signal" : "Ctrl-C again") quits at once)")
            cancel()
        case .wait:
            writeError("worth: \(name); finishing the write first")
        }
    }
}
