/// Distinct byte strings numbered in order of first appearance, each stored once: the text
/// cells of a column (labels, categories, the odd non-number) without a `String` per cell.
struct TextInterner: Sendable {
    /// The texts' bytes, one after another.
    private var arena: [UInt8] = []
    /// Text `k` is `arena[ends[k]..<ends[k + 1]]`.
    private var ends: [Int] = [0]
    /// Open addressing: a text's number + 1 at its hash's slot (or a later one), 0 when empty.
    private var slots: [UInt32] = Array(repeating: 0, count: 16)

    /// Number of distinct texts.
    var count: Int { ends.count - 1 }

    /// The number of `bytes`, given a new one (`count`) if it was not seen before.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        if count * 2 >= slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let k = Int(entry - 1)
            if equals(k, bytes) { return UInt32(k) }
            slot = (slot + 1) & mask
        }
        let id = UInt32(count)
        arena.append(contentsOf: bytes)
        ends.append(arena.count)
        slots[slot] = id + 1
        return id
    }

    /// The bytes of text `id`, valid during `body`.
    func withBytes<R>(of id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[ends[id]..<ends[id + 1]])) }
    }

    /// Text `id` as a string.
    func text(_ id: Int) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Every text, in number order.
    var texts: [String] { (0..<count).map(text) }

    private func equals(_ k: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = ends[k], length = ends[k + 1] - start
        guard length == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            length == 0 || memcmp(a.baseAddress! + start, bytes.baseAddress!, length) == 0
        }
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for k in 0..<count {
            var slot = withBytes(of: k) { Int(truncatingIfNeeded: Self.hash($0)) } & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(k + 1)
        }
    }

    /// FNV-1a, 64 bits.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
