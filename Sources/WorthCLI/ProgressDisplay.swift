import Foundation
import Synchronization
import WorthEngine

/// Progress of a run on stderr: a redrawn bar with rate and ETA on a terminal, a plain line
/// every few seconds otherwise (logs, CI), nothing with `--quiet`.
final class ProgressDisplay: Sendable {
    private struct State {
        var lastDraw: Double = -1
        var drewBar = false
    }

    private let enabled: Bool
    private let isTerminal: Bool
    private let state = Mutex(State())

    init(enabled: Bool) {
        self.enabled = enabled
        isTerminal = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Shows `update` if enough time has passed since the last line (the final update always).
    func show(_ update: ValuationUpdate) {
        guard enabled else { return }
        let interval = isTerminal ? 0.1 : 5.0
        let line: String? = state.withLock { s in
            guard update.isFinal || update.elapsed - s.lastDraw >= interval || s.lastDraw < 0 else { return nil }
            s.lastDraw = update.elapsed
            if isTerminal { s.drewBar = true }
            return Self.describe(update, bar: isTerminal)
        }
        guard let line else { return }
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line.escapingControlCharacters)".utf8))
        } else if !update.isFinal {
            writeError("worth: \(line)")
        }
    }

    /// Ends the bar's line so that what follows starts on a fresh line.
    func finish() {
        let drew = state.withLock { $0.drewBar }
        if enabled && isTerminal && drew { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// `[########··········]  45%  450/1000 trees  120/s  ETA 4s  mean |Δvalue| 0.0012`
    static func describe(_ u: ValuationUpdate, bar: Bool) -> String {
        var parts: [String] = []
        if let fraction = u.fraction {
            if bar {
                let width = 24
                let filled = Int((fraction * Double(width)).rounded(.down))
                parts.append("[" + String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled) + "]")
            }
            parts.append(String(format: "%3.0f%%", fraction * 100))
        }
        parts.append(u.total.map { "\(u.done)/\($0) \(u.unit)" } ?? "\(u.done) \(u.unit)")
        if let rate = u.rate {
            parts.append(rate >= 10 ? String(format: "%.0f/s", rate) : String(format: "%.2f/s", rate))
        }
        if let left = u.timeLeft { parts.append("ETA " + formatDuration(left)) }
        if let phase = u.phase { parts.append(phase) }
        for series in u.convergence {
            if let v = series.current { parts.append("\(series.name) \(String(format: "%.4g", v))") }
        }
        return parts.joined(separator: "  ")
    }
}

/// Writes one line to stderr, with every control character in it written out
/// (`String.escapingControlCharacters`): messages carry header names, labels and paths from
/// the user's files, which must neither act on the terminal nor break the line.
func writeError(_ line: String) {
    FileHandle.standardError.write(Data((line.escapingControlCharacters + "\n").utf8))
}
