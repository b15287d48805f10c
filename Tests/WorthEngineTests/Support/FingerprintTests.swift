import Testing
@testable import WorthEngine

@Suite struct FingerprintTests {
    @Test func matchesTheFNV1aReferenceVectors() {
        #expect(Fingerprint.of("") == "cbf29ce484222325")
        #expect(Fingerprint.of("a") == "af63dc4c8601ec8c")
        #expect(Fingerprint.of("foobar") == "85944171f73967e8")
    }
}
