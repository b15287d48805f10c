extension String {
    /// This text with every character that could act on a terminal written out visibly, so a
    /// header name, a label or a path taken from a file can be printed without its bytes
    /// reaching the terminal as commands, and a message stays on one line.
    ///
    /// Escaped: the C0 controls (`\n`, `\r`, `\t`, `\e` for ESC, `\xHH` for the others), DEL
    /// (`\x7F`), the C1 controls U+0080–U+009F and the bidirectional overrides and isolates
    /// (U+202A–U+202E, U+2066–U+2069), which reorder what follows them (`\u{HHHH}`). Everything
    /// else, non-ASCII letters included, is kept as it is; text with nothing to escape comes
    /// back unchanged.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: \.needsTerminalEscape) else { return self }
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        for scalar in unicodeScalars {
            guard scalar.needsTerminalEscape else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x1B: out += "\\e"
            case 0..<0x80: out += "\\x" + hexDigits(scalar.value, width: 2)
            default: out += "\\u{" + hexDigits(scalar.value, width: 4) + "}"
            }
        }
        return out
    }
}

extension Unicode.Scalar {
    /// Whether printing this scalar raw could move the cursor, change colours, end the line or
    /// reorder the text after it.
    var needsTerminalEscape: Bool {
        switch value {
        case 0..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

private func hexDigits(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
