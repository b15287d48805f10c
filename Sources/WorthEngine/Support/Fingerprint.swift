import Foundation

/// Short content fingerprints: FNV-1a over bytes, 64 bits, as 16 lowercase hex digits.
///
/// Used to tell whether saved flags or a run's state belong to the same data (not a
/// cryptographic hash: it guards against mistakes, not against tampering).
public enum Fingerprint {
    /// The fingerprint of `bytes`.
    public static func of<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The fingerprint of `text`'s UTF-8 bytes.
    public static func of(_ text: String) -> String { of(text.utf8) }

    /// The fingerprint of the file at `path`'s bytes.
    public static func ofFile(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot be read")
        }
        return of(data)
    }
}
