import Testing
@testable import WorthEngine

@Suite struct RadixSortTests {
    @Test func ordersStablyByTheChosenBits() {
        var g = SeededGenerator(seed: 3)
        var sorter = RadixSorter()
        for count in [0, 1, 2, 17, 300, 5000] {
            // Few distinct distances (many ties) of varied magnitude, as squared distances, in
            // the upper half; the row index in the lower half rides along.
            let keys = (0..<count).map { _ in Double(g.nextInt(below: 20)) * [1e-3, 1, 7e5][g.nextInt(below: 3)] }
            var words = keys.enumerated().map { (keys[$0.offset].bitPattern >> 32) << 32 | UInt64($0.offset) }
            sorter.sort(&words, bits: 32..<64)
            let expected = (0..<count).sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
            #expect(words.map { Int($0 & 0xFFFF_FFFF) } == expected)
            // All 64 bits, and bits that do not fill whole digits.
            var all = (0..<count).map { _ in g.next() }
            let reference = all.sorted()
            sorter.sort(&all, bits: 0..<64)
            #expect(all == reference)
            var middle = (0..<count).map { _ in g.next() }
            let stable = middle.enumerated().sorted { ($0.element >> 5) & 0x1FFF < ($1.element >> 5) & 0x1FFF || (($0.element >> 5) & 0x1FFF == ($1.element >> 5) & 0x1FFF && $0.offset < $1.offset) }.map(\.element)
            sorter.sort(&middle, bits: 5..<18)
            #expect(middle == stable)
        }
    }

    @Test func doubleKeysOrderLikeTheNumbers() {
        let values: [Double] = [-.infinity, -3e300, -2.5, -1, -0x1p-1074, 0, 0x1p-1074, 1e-300, 1, 2.5, 4e300, .infinity]
        let keys = values.map(RadixSorter.key)
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == values.count)
        #expect(keys.map(RadixSorter.value(ofKey:)) == values)
        #expect(RadixSorter.key(-0.0 + 0) == RadixSorter.key(0))
    }
}
