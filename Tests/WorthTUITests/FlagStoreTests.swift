import Foundation
import Testing
@testable import WorthTUI

@Suite struct FlagStoreTests {
    @Test func flagsRoundTripAndAreKeptForTheirFileOnly() throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let store = FlagStore(dataPath: file.path, fingerprint: "00000000000000aa")
        #expect(store.load() == .none)
        try store.save([7, 3, 12])
        #expect(store.load() == .flags([3, 7, 12]))
        #expect(FlagStore(dataPath: file.path, fingerprint: "00000000000000bb").load() == .stale)
        try store.save([])
        #expect(store.load() == .flags([]))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.directory).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
