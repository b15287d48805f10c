import Testing
@testable import WorthEngine

@Suite struct DurationTextTests {
    @Test func secondsReadAsPeopleWriteThem() {
        #expect(formatDuration(0.04) == "0.04s")
        #expect(formatDuration(0.1) == "0.10s")
        #expect(formatDuration(7.25) == "7.2s" || formatDuration(7.25) == "7.3s")
        #expect(formatDuration(12.4) == "12s")
        #expect(formatDuration(75) == "1m15s")
        #expect(formatDuration(3_720) == "1h02m")
        #expect(formatDuration(-1) == "–" && formatDuration(.infinity) == "–" && formatDuration(.nan) == "–")
    }
}
