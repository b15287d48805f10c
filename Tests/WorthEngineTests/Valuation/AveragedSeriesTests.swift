import Testing
@testable import WorthEngine

@Suite struct AveragedSeriesTests {
    @Test func keepsBlockMeansWithinTheLimit() {
        var s = AveragedSeries(name: "x", limit: 8)
        for t in 1...7 { s.append(Double(t), done: t) }
        #expect(s.series.history.map(\.value) == [1, 2, 3, 4, 5, 6, 7] && s.blockSize == 1)
        s.append(8, done: 8)
        // 8 points reached: pairs merged, blocks of 2 iterations dated by their last one.
        #expect(s.series.history.map(\.done) == [2, 4, 6, 8])
        #expect(s.series.history.map(\.value) == [1.5, 3.5, 5.5, 7.5] && s.blockSize == 2)
        for t in 9...100 { s.append(Double(t), done: t) }
        // Every point is the mean of its block of consecutive iterations 1, 2, 3, …
        let size = s.blockSize
        #expect(s.series.history.count >= 4 && s.series.history.count < 8)
        for point in s.series.history {
            let first = point.done - size + 1
            #expect(point.value == Double(first + point.done) / 2)
            #expect(point.done % size == 0)
        }
        #expect(s.series.history.last!.done > 100 - size)
        #expect(s.series.name == "x")
    }
}
