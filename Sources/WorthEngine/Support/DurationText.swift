import Foundation

/// Seconds as people read them in progress and reports: `0.04s` (under a second), `3.2s`,
/// `12s`, `3m05s`, `1h02m`; `–` for a negative or non-finite figure. The one duration
/// formatter of every front end.
public func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "–" }
    if seconds < 1 { return String(format: "%.2fs", seconds) }
    let s = Int(seconds.rounded())
    if s < 60 { return seconds < 10 ? String(format: "%.1fs", seconds) : "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
}
