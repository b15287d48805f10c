import Testing
@testable import WorthEngine

@Suite struct RadixSortTests {
    @Test func ordersByKeyThenIndex() {
        var g = SeededGenerator(seed: 3)
        for count in [0, 1, 2, 17, 300] {
            // Few distinct distances (many ties) of varied magnitude, as squared distances.
            let keys = (0..<count).map { _ in Double(g.nextInt(below: 20)) * [1e-3, 1, 7e5][g.nextInt(below: 3)] }
            var sorter = RadixSorter(count: count)
            sorter.sort { buffer in for i in 0..<count { buffer[i] = keys[i].bitPattern } }
            let expected = (0..<count).sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
            #expect(sorter.order.map(Int.init) == expected)
        }
    }
}
