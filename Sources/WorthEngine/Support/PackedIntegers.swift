import Foundation

/// Arrays of fixed-width integers as bytes, little-endian, one value after the other: how state
/// files keep exact numbers (128-bit sums, tallies, the bits of doubles) compactly, as base64
/// in their JSON.
enum PackedIntegers {
    /// The bytes of `values`, `T.bitWidth / 8` each, little-endian.
    static func data<T: FixedWidthInteger>(_ values: [T]) -> Data {
        var data = Data(capacity: values.count * MemoryLayout<T>.size)
        for v in values {
            withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// The values `data(_:)` wrote; nil when the byte count is not a multiple of the width.
    static func values<T: FixedWidthInteger>(_ data: Data, as type: T.Type = T.self) -> [T]? {
        let width = MemoryLayout<T>.size
        guard data.count % width == 0 else { return nil }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: width).map { start in
            var v = T.zero
            withUnsafeMutableBytes(of: &v) { raw in
                for j in 0..<width { raw[j] = bytes[start + j] }
            }
            return T(littleEndian: v)
        }
    }
}
