import Foundation

/// The workbench's one way of writing numbers, so a value reads the same in the table, the
/// header, the charts and the panels (durations: the engine's `formatDuration`, shared with the
/// command line).
enum NumberFormat {
    /// Compact: 4 significant digits (or `digits`), no exponent for everyday magnitudes; `–`
    /// for NaN.
    static func compact(_ x: Double, digits: Int = 4) -> String {
        guard x.isFinite else { return x.isNaN ? "–" : (x > 0 ? "inf" : "-inf") }
        let a = abs(x)
        if a != 0 && (a < 1e-3 || a >= 1e6) { return String(format: "%.\(max(1, digits - 2))e", x) }
        let magnitude = a == 0 ? 0 : Int(log10(a).rounded(.down))
        return clean(String(format: "%.\(min(6, max(0, digits - 1 - magnitude)))f", x))
    }

    /// `decimals` places, fixed (`0.734`); never `-0.000`.
    static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return compact(x) }
        return clean(String(format: "%.\(decimals)f", x))
    }

    /// A change with its sign (`+0.012`, `-0.034`); a change that rounds to zero is `0.000`,
    /// never `-0.000` or `+0.000`.
    static func signed(_ x: Double, decimals: Int) -> String {
        let text = fixed(x, decimals: decimals)
        return text.contains(where: { $0 != "0" && $0 != "." && $0 != "-" }) && !text.hasPrefix("-") ? "+" + text : text
    }

    /// A percentage of `fraction` (0…1) without decimals: `25%`.
    static func percent(_ fraction: Double) -> String {
        "\(Int((min(1, max(0, fraction)) * 100).rounded(.down)))%"
    }

    /// A count with thousands separated by commas: `1,000,000`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `-0.00…` written without its sign: a value that rounds to zero shows as zero.
    private static func clean(_ text: String) -> String {
        guard text.hasPrefix("-"), !text.dropFirst().contains(where: { ("1"..."9").contains($0) }) else { return text }
        return String(text.dropFirst())
    }
}

/// Shorthand for the format used everywhere (durations: the engine's `formatDuration`).
func formatNumber(_ x: Double, digits: Int = 4) -> String { NumberFormat.compact(x, digits: digits) }
