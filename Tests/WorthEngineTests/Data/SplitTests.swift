import Testing
@testable import WorthEngine

@Suite struct SplitTests {
    let labels = (0..<100).map { $0 < 70 ? 0 : ($0 < 95 ? 1 : 2) }

    @Test func partsAreDisjointAndCoverEveryRow() {
        let s = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.2, testFraction: 0.2, seed: 3)
        let all = s.valued + s.validation + s.test
        #expect(all.sorted() == Array(0..<100))
        #expect(Set(s.valued).isDisjoint(with: s.validation))
    }

    @Test func eachClassIsSplitByItsOwnFraction() {
        let s = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.2, testFraction: 0.2, seed: 3)
        let validationPerClass = (0..<3).map { c in s.validation.filter { labels[$0] == c }.count }
        #expect(validationPerClass == [14, 5, 1])
        // Every class keeps at least one valued row, even the 5-row one.
        for c in 0..<3 { #expect(s.valued.contains { labels[$0] == c }) }
    }

    @Test func sameSeedSameSplitOtherSeedOtherSplit() {
        let a = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.3, testFraction: 0, seed: 9)
        let b = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.3, testFraction: 0, seed: 9)
        let c = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.3, testFraction: 0, seed: 10)
        #expect(a == b)
        #expect(a != c)
        #expect(a.test.isEmpty)
    }
}
