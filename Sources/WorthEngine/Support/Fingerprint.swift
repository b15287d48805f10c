import Foundation

/// Short content fingerprints: FNV-1a over bytes, 64 bits, as 16 lowercase hex digits.
///
/// Used to tell whether saved flags or a run's state belong to the same data (not a
/// cryptographic hash: it guards against mistakes, not against tampering).
public enum Fingerprint {
    /// The fingerprint of `bytes`.
    public static func of<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = Hasher()
        for b in bytes { hasher.add(b) }
        return hasher.digest
    }

    /// FNV-1a fed piece by piece, for content that is not one buffer (a state's fields): the
    /// same digest as `of` over the pieces' bytes one after the other.
    public struct Hasher {
        private var hash: UInt64 = 0xCBF2_9CE4_8422_2325

        public init() {}

        /// Adds one byte.
        @inline(__always) public mutating func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }

        /// Adds the bytes of `value` as they lie in memory: pass `.littleEndian` integers and
        /// `bitPattern`s for a digest that does not depend on the machine.
        @inline(__always) public mutating func add<T: BitwiseCopyable>(bytesOf value: T) {
            withUnsafeBytes(of: value) { for b in $0 { add(b) } }
        }

        /// Adds `value` as 8 little-endian bytes.
        public mutating func add(integer value: Int) { add(bytesOf: Int64(value).littleEndian) }

        /// Adds the bits of `value`, little-endian.
        public mutating func add(real value: Double) { add(bytesOf: value.bitPattern.littleEndian) }

        /// Adds `text` as its UTF-8 length (`add(integer:)`), then its bytes: two texts never
        /// run into each other.
        public mutating func add(text: String) {
            add(integer: text.utf8.count)
            for b in text.utf8 { add(b) }
        }

        /// The digest: 16 lowercase hex digits.
        public var digest: String {
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
    }

    /// The fingerprint of `text`'s UTF-8 bytes.
    public static func of(_ text: String) -> String { of(text.utf8) }

    /// The fingerprint of the file at `path`'s bytes; `shouldContinue` is asked before each
    /// block (false stops with `CancellationError`).
    public static func ofFile(_ path: String, shouldContinue: () -> Bool = { true }) throws -> String {
        // A block at a time: a file to value may be larger than the memory it is worth keeping.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, "cannot be read")
        }
        defer { try? handle.close() }
        var hasher = Hasher()
        do {
            while shouldContinue(), let block = try handle.read(upToCount: 8 << 20), !block.isEmpty {
                block.withUnsafeBytes { for b in $0 { hasher.add(b) } }
            }
        } catch {
            throw InputError(file: path, "cannot be read")
        }
        guard shouldContinue() else { throw CancellationError() }
        return hasher.digest
    }
}
