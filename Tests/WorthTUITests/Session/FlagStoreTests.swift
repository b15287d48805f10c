import Foundation
import Testing
@testable import WorthTUI

@Suite struct FlagStoreTests {
    func store(_ file: FixtureFile, fingerprint: String = "00000000000000aa") -> FlagStore {
        FlagStore(dataPath: file.path, fingerprint: fingerprint, rowCount: 40)
    }

    @Test func flagsRoundTripAndAreKeptForTheirFileOnly() throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let store = store(file)
        #expect(store.load() == .none)
        try store.save([7, 3, 12])
        #expect(store.load() == .flags([3, 7, 12], ignored: []))
        #expect(self.store(file, fingerprint: "00000000000000bb").load() == .stale)
        try store.save([])
        #expect(store.load() == .flags([], ignored: []))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.directory).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// Relabels are saved with the flags, one line per marked row, labels quoted as in a CSV
    /// file; a file without relabels is the list of flagged rows every worth reads.
    @Test func relabelsRoundTripBesideTheFlags() throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let store = store(file)
        let marks = Marks(flags: [3, 9], relabels: [9: "a, \"b\"", 12: "odd", 50: "even"])
        try store.save(marks)
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        #expect(text.hasSuffix("row,flagged,new_label\n3,1,\n9,1,\"a, \"\"b\"\"\"\n12,0,odd\n50,0,even\n"))
        var expected = marks
        expected.relabels[50] = nil
        #expect(store.load() == .marks(expected, ignored: [50]))
        try store.save(Marks(flags: [4]))
        #expect(try String(contentsOfFile: store.path, encoding: .utf8).hasSuffix("\nrow\n4\n"))
        try (text.components(separatedBy: "\n").prefix(2).joined(separator: "\n") + "\n3,yes,\n").write(toFile: store.path, atomically: true, encoding: .utf8)
        #expect(store.load() == .unreadable("line 3: 'flagged' is not 0 or 1"))
    }

    /// A damaged file is "unreadable", not "saved for another version"; rows outside the
    /// data file are left out and reported.
    @Test func corruptFilesAreUnreadableAndRowsOutsideTheFileAreIgnored() throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let store = store(file)
        func load(_ text: String) throws -> FlagStore.Loaded {
            try text.write(toFile: store.path, atomically: true, encoding: .utf8)
            return store.load()
        }
        let header = "# worth flags, fingerprint 00000000000000aa\n"
        #expect(try load(header + "row\n3\n41\n0\n-2\n\n5\n") == .flags([3, 5], ignored: [-2, 0, 41]))
        #expect(try load(header + "row\r\n3\r\n") == .flags([3], ignored: []))
        guard case .unreadable(let why) = try load(header + "row\n3\nthree\n") else { Issue.record("not unreadable"); return }
        #expect(why.contains("line 4") && why.contains("three"))
        #expect(try load("row\n3\n") != .stale)
        #expect(try load(header + "rows, 3\n") == .unreadable("line 2 is not 'row' or 'row,flagged,new_label'"))
        try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: store.path))
        #expect(store.load() == .unreadable("it is not text"))
        try FileManager.default.removeItem(atPath: store.path)
        try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: false)
        #expect(store.load() == .unreadable("it is a directory"))
    }

    /// Saving over an unreadable or stale file moves it aside first; a directory in the way
    /// makes the save fail (and stays).
    @Test func updateMovesUnreadableFilesAsideAndFailsOnADirectory() throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let store = store(file)
        try "my notes\n".write(toFile: store.path, atomically: true, encoding: .utf8)
        let first = try store.update { _ in Marks(flags: [1]) }
        #expect(first == FlagStore.Update(marks: Marks(flags: [1]), setAside: store.path + ".unreadable"))
        #expect(try String(contentsOfFile: store.path + ".unreadable", encoding: .utf8) == "my notes\n")
        try "still notes\n".write(toFile: store.path, atomically: true, encoding: .utf8)
        #expect(try store.update { _ in Marks(flags: [2]) }.setAside == store.path + ".unreadable.2")
        try self.store(file, fingerprint: "00000000000000bb").save([9])
        #expect(try store.update { _ in Marks(flags: [3]) }.setAside == store.path + ".stale")
        #expect(store.load() == .flags([3], ignored: []))

        try FileManager.default.removeItem(atPath: store.path)
        try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: false)
        #expect(throws: (any Error).self) { try store.update { _ in Marks(flags: [4]) } }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: store.path, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    /// Two sessions on one file: each save applies that session's own changes to what the
    /// file holds, so neither overwrites the other's flags or brings back the other's unflags.
    @Test func twoSessionsOnOneFileMergeTheirFlags() throws {
        let file = try FixtureFile()
        defer { file.remove() }
        var a = FlagSession.open(store(file)).session
        var b = FlagSession.open(store(file)).session
        a.set([1, 2], on: true)
        #expect(a.save() == .saved(merged: 0, setAside: nil))
        b.set([3], on: true)
        #expect(b.save() == .saved(merged: 2, setAside: nil))
        #expect(b.flags == [1, 2, 3])
        a.set([1], on: false)
        #expect(a.save() == .saved(merged: 1, setAside: nil))
        #expect(a.flags == [2, 3])
        b.set([4], on: true)
        _ = b.save()
        #expect(b.flags == [2, 3, 4])          // a's unflag of row 1 is kept
        #expect(store(file).load() == .flags([2, 3, 4], ignored: []))
    }

    /// A failed save keeps the flags, says why until a save works, and the retry writes them all.
    @Test func aFailedSaveIsKeptUntilOneSucceeds() throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let store = store(file)
        try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: false)
        var s = FlagSession.open(store).session
        s.set([5, 6], on: true)
        guard case .failed = s.save() else { Issue.record("saved into a directory"); return }
        #expect(!s.isSaved && s.flags == [5, 6])
        #expect(s.lostFlagsNote?.contains("flagged rows: 5 6") == true)
        s.set([7], on: true)
        guard case .failed = s.save() else { Issue.record("saved into a directory"); return }
        try FileManager.default.removeItem(atPath: store.path)
        #expect(s.save() == .saved(merged: 0, setAside: nil))
        #expect(s.isSaved && s.lostFlagsNote == nil)
        #expect(store.load() == .flags([5, 6, 7], ignored: []))
    }

    /// Saving elsewhere refuses to replace a file that is not this data's flags.
    @Test func saveToAnotherPathRefusesForeignFiles() throws {
        let file = try FixtureFile()
        defer { file.remove() }
        var s = FlagSession.open(store(file)).session
        s.set([8], on: true)
        guard case .failed(let why) = s.save(to: file.path) else { Issue.record("overwrote the data file"); return }
        #expect(why.contains("not a flags file"))
        #expect(try String(contentsOfFile: file.path, encoding: .utf8).hasPrefix("x,y,label\n"))
        let other = file.directory + "/elsewhere.csv"
        #expect(s.save(to: other) == .saved(merged: 0, setAside: nil))
        #expect(s.store.path == other)
        #expect(store(file).moved(to: other).load() == .flags([8], ignored: []))
    }
}
