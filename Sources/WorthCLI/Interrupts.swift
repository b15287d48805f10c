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
    private nonisolated(unsafe) static var installed: [any DispatchSourceSignal] = []

    /// Starts catching SIGINT and SIGTERM. Call once, from the main thread, before any work.
    func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in received(sig) }
            source.resume()
            Self.installed.append(source)
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
