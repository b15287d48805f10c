import Foundation

/// Turns a file's bytes into UTF-8 text, and when they are not UTF-8 says where the first bad
/// byte is, which encoding the file looks like and how to convert it, so that a Latin-1,
/// Windows-1252 or UTF-16 export is one `iconv` away from loading.
enum TextDecoding {
    /// The bytes of `file` as text.
    ///
    /// - Throws: `InputError` naming the file when the bytes are UTF-16 or UTF-32 (by their
    ///   byte-order mark, or for UTF-16 by every other byte being zero), hold a NUL byte (a
    ///   binary file) or are not valid UTF-8. The last two name the line and the byte offset
    ///   (counted from 0, as `xxd` shows it) of the first bad byte. Each message ends with the
    ///   `iconv` command that converts the file when the encoding can be told.
    static func utf8Text(_ data: Data, file: String) throws -> String {
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            if let wide = wideEncoding(bytes) {
                throw InputError(file: file, "is \(wide.name) text, not UTF-8 (\(wide.evidence)); "
                                 + conversion(from: wide.iconvName, file: file))
            }
            // Valid UTF-8 may still hold a NUL: the parser says where.
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            throw nulByte(in: bytes, file: file) ?? invalidUTF8(bytes, file: file)
        }
    }

    /// The error for the first NUL byte in `bytes`, or nil when there is none: no text file
    /// holds one.
    static func nulByte(in bytes: UnsafeBufferPointer<UInt8>, file: String) -> InputError? {
        guard let offset = bytes.firstIndex(of: 0) else { return nil }
        return InputError(file: file, line: line(ofOffset: offset, in: bytes),
                          "is not a text file (a NUL byte at byte offset \(offset))")
    }

    /// The 1-based line of the byte at `offset`, counting line ends as the CSV reader does:
    /// LF, CRLF and a lone CR each end one line.
    static func line(ofOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        for j in 0..<min(offset, bytes.count) {
            if bytes[j] == 0x0A || (bytes[j] == 0x0D && !(j + 1 < bytes.count && bytes[j + 1] == 0x0A)) { line += 1 }
        }
        return line
    }

    /// A 16- or 32-bit encoding the bytes are in, told by a byte-order mark or, for UTF-16
    /// without one, by zeros in every other byte (the high byte of each ASCII character).
    static func wideEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> (name: String, iconvName: String, evidence: String)? {
        let head = Array(bytes.prefix(4))
        if head == [0xFF, 0xFE, 0, 0] { return ("UTF-32 LE", "UTF-32", "it starts with the byte-order mark FF FE 00 00") }
        if head == [0, 0, 0xFE, 0xFF] { return ("UTF-32 BE", "UTF-32", "it starts with the byte-order mark 00 00 FE FF") }
        if head.starts(with: [0xFF, 0xFE]) { return ("UTF-16 LE", "UTF-16", "it starts with the byte-order mark FF FE") }
        if head.starts(with: [0xFE, 0xFF]) { return ("UTF-16 BE", "UTF-16", "it starts with the byte-order mark FE FF") }
        // Look at the first 4 KiB: a UTF-16 CSV is mostly ASCII digits and delimiters.
        let pairs = min(bytes.count, 4096) / 2
        guard pairs >= 2 else { return nil }
        var zerosEven = 0, zerosOdd = 0
        for k in 0..<pairs {
            if bytes[2 * k] == 0 { zerosEven += 1 }
            if bytes[2 * k + 1] == 0 { zerosOdd += 1 }
        }
        let evidence = "every other byte is zero"
        if zerosOdd * 4 >= pairs, zerosEven * 8 <= zerosOdd { return ("UTF-16 LE", "UTF-16LE", evidence) }
        if zerosEven * 4 >= pairs, zerosOdd * 8 <= zerosEven { return ("UTF-16 BE", "UTF-16BE", evidence) }
        return nil
    }

    /// The error for bytes that are not valid UTF-8: where the first bad byte is and what the
    /// bad bytes suggest. Bad bytes alone (no valid multi-byte character anywhere) are an 8-bit
    /// encoding: Windows-1252 when some are in 0x80–0x9F (its curly quotes and dashes; control
    /// characters in Latin-1), else Latin-1. Bad bytes among valid multi-byte characters mean
    /// mixed or damaged text, which no single conversion fixes.
    static func invalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, file: String) -> InputError {
        var firstBad: Int?
        var badCount = 0
        var badInC1 = false
        var validMultiByte = 0
        var endsInsideSequence = false
        var j = 0
        while j < bytes.count {
            if bytes[j] < 0x80 { j += 1; continue }
            let length = validSequenceLength(bytes, at: j)
            if length > 0 {
                validMultiByte += 1
                j += length
                continue
            }
            if firstBad == nil { firstBad = j }
            badCount += 1
            if (0x80...0x9F).contains(bytes[j]) { badInC1 = true }
            let skipped = maximalPrefixLength(bytes, at: j)
            // A lone lead byte at the end is as likely a Latin-1 letter as a cut character.
            if j + skipped == bytes.count, isLeadByte(bytes[j]) { endsInsideSequence = skipped > 1 || validMultiByte > 0 }
            j += skipped
        }
        let offset = firstBad ?? 0
        let line = line(ofOffset: offset, in: bytes)
        let what = "byte \(hexByte(bytes[offset])) at byte offset \(offset) is not valid UTF-8"
        if endsInsideSequence, badCount == 1 {
            return InputError(file: file, line: line, "\(what): the file ends inside a character (was it cut short?)")
        }
        if validMultiByte > 0 {
            return InputError(file: file, line: line,
                              "\(what), but other lines are UTF-8: the file mixes encodings or is damaged; fix this line")
        }
        let (name, iconvName) = badInC1 ? ("Windows-1252", "WINDOWS-1252") : ("Latin-1 (ISO-8859-1)", "LATIN1")
        return InputError(file: file, line: line,
                          "\(what); the file looks like \(name): " + conversion(from: iconvName, file: file))
    }

    /// Length of the well-formed UTF-8 sequence of 2 to 4 bytes at `j` (Unicode's table 3-7),
    /// or 0.
    static func validSequenceLength(_ b: UnsafeBufferPointer<UInt8>, at j: Int) -> Int {
        let lead = b[j]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; second = 0x80...0x8F
        default: return 0
        }
        guard j + length <= b.count, second.contains(b[j + 1]) else { return 0 }
        for k in 2..<length where !(0x80...0xBF).contains(b[j + k]) { return 0 }
        return length
    }

    /// How many bytes from `j` form the longest start of a well-formed sequence (at least 1):
    /// the unit a decoder replaces by one U+FFFD.
    static func maximalPrefixLength(_ b: UnsafeBufferPointer<UInt8>, at j: Int) -> Int {
        guard isLeadByte(b[j]) else { return 1 }
        var k = 1
        while j + k < b.count, k < 4, (0x80...0xBF).contains(b[j + k]) {
            // Stop where the bytes so far could not begin any well-formed sequence.
            if k == 1 {
                let lead = b[j], next = b[j + 1]
                if (lead == 0xE0 && next < 0xA0) || (lead == 0xED && next > 0x9F)
                    || (lead == 0xF0 && next < 0x90) || (lead == 0xF4 && next > 0x8F) { break }
            }
            k += 1
        }
        return k
    }

    static func isLeadByte(_ byte: UInt8) -> Bool { (0xC2...0xF4).contains(byte) }

    /// "convert it with iconv -f ENC -t UTF-8 FILE > STEM.utf8.csv", the names quoted for a
    /// shell when they need it.
    static func conversion(from encoding: String, file: String) -> String {
        let stem = file.hasSuffix(".csv") ? String(file.dropLast(4)) : file
        return "convert it with iconv -f \(encoding) -t UTF-8 \(shellQuoted(file)) > \(shellQuoted(stem + ".utf8.csv"))"
    }

    /// `word` as one shell word: unchanged when it holds only characters no shell treats
    /// specially, else in single quotes; control characters written out.
    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_@%+=:,./-".unicodeScalars.contains($0))
        }
        let quoted = plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        return quoted.escapingControlCharacters
    }

    static func hexByte(_ byte: UInt8) -> String {
        "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }
}
