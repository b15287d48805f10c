import Foundation
import Testing
@testable import WorthEngine
import WorthTestSupport

/// Device nodes and FIFOs are made inside a temporary directory, never the machine's own
/// `/dev/null` or `/dev/full`: a wrong implementation would rename over them.
@Suite struct AtomicFileTests {
    let isRoot = geteuid() == 0

    func kind(_ path: String) -> FileStatus.Kind? {
        var st = stat()
        return lstat(path, &st) == 0 ? FileStatus(st).type : nil
    }

    /// Linux's device number of (major, minor), for majors below 4096 and minors below 256.
    func characterDevice(_ major: UInt64, _ minor: UInt64) -> dev_t { dev_t(major << 8 | minor) }

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func temporaryFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".tmp") }
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let error as InputError { return error.description } catch { return "\(error)" }
    }

    @Test func replacesTheFileWholeAndLeavesNoTemporaryFile() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("v.csv")
        try AtomicFile.write("old\n", to: path)
        try AtomicFile.write("new\n", to: path)
        #expect(contents(path) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["v.csv"])
    }

    @Test func characterDevicesAreWrittenThroughNeverReplaced() throws {
        guard isRoot else { return }   // mknod needs root; CI runs as root
        let dir = TemporaryDirectory()
        let null = dir.file("null"), full = dir.file("full"), link = dir.file("link-to-null")
        #expect(mknod(null, 0o020666, characterDevice(1, 3)) == 0)
        #expect(mknod(full, 0o020666, characterDevice(1, 7)) == 0)
        #expect(symlink("null", link) == 0)
        try AtomicFile.write("values\n", to: null)
        try AtomicFile.write("values\n", to: link)
        let error = message { try AtomicFile.write("values\n", to: full) }
        #expect(error?.contains("no space left on device") == true, "\(error ?? "no error")")
        #expect(error?.contains(full) == true)
        #expect(kind(null) == .characterDevice && kind(full) == .characterDevice && kind(link) == .link)
        #expect(temporaryFiles(dir.path).isEmpty)
    }

    @Test func aFIFOIsWrittenThroughToItsReader() throws {
        let dir = TemporaryDirectory()
        let fifo = dir.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // The reader opens first without blocking, so the writer's open does not wait for one
        // (no thread of the test pool is ever blocked).
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        try AtomicFile.write("through the pipe\n", to: fifo)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(count > 0 && String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == "through the pipe\n")
        #expect(kind(fifo) == .fifo)
    }

    @Test func theProcessesOwnDescriptorsAreWrittenDirectly() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        try AtomicFile.write("to fd\n", to: "/dev/fd/\(ends[1])")
        close(ends[1])
        #expect(String(decoding: FileHandle(fileDescriptor: ends[0]).readDataToEndOfFile(), as: UTF8.self) == "to fd\n")
        #expect(AtomicFile.ownDescriptor("/dev/stdout") == 1 && AtomicFile.ownDescriptor("/proc/self/fd/7") == 7)
        #expect(AtomicFile.ownDescriptor("/dev/fdx") == nil)
    }

    @Test func aSymlinkKeepsBeingALinkAndItsTargetIsReplacedInItsOwnDirectory() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("real"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("links"), withIntermediateDirectories: true)
        let target = dir.file("real/values.csv"), link = dir.file("links/values.csv")
        try AtomicFile.write("old\n", to: target)
        #expect(symlink("../real/values.csv", link) == 0)
        try AtomicFile.write("new\n", to: link)
        #expect(kind(link) == .link && kind(target) == .regular)
        #expect(contents(target) == "new\n")
        #expect(temporaryFiles(dir.file("real")).isEmpty && temporaryFiles(dir.file("links")).isEmpty)
        // A dangling link gets its target created.
        #expect(symlink("../real/later.csv", dir.file("links/later.csv")) == 0)
        try AtomicFile.write("made\n", to: dir.file("links/later.csv"))
        #expect(contents(dir.file("real/later.csv")) == "made\n" && kind(dir.file("links/later.csv")) == .link)
    }

    @Test func theDestinationKeepsItsPermissionBits() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("private.csv")
        try AtomicFile.write("old\n", to: path)
        #expect(chmod(path, 0o640) == 0)
        try AtomicFile.write("new\n", to: path)
        #expect(FileStatus(following: path)?.permissions == 0o640)
    }

    @Test func badDestinationsAreOneLineErrorsNamingThePath() throws {
        let dir = TemporaryDirectory()
        let cases: [(String, String)] = [
            (dir.file("no/such/dir/f.csv"), "does not exist"),
            (dir.file("f.csv") + "/", "ends in /"),
            (dir.path, "is a directory"),
            ("", "empty"),
        ]
        for (path, expected) in cases {
            let error = message { try AtomicFile.write("x", to: path) }
            #expect(error?.contains(expected) == true, "\(path): \(error ?? "no error")")
            #expect(error?.contains("\n") == false)
            #expect(throws: InputError.self) { try AtomicFile.checkWritable(path) }
        }
        #expect(FileManager.default.createFile(atPath: dir.file("plain"), contents: nil))
        #expect(message { try AtomicFile.write("x", to: dir.file("plain/f.csv")) }?.contains("is not a directory") == true)
        try AtomicFile.checkWritable(dir.file("new.csv"))
        #expect(temporaryFiles(dir.path).isEmpty)
    }

    @Test func staleTemporaryFilesOfDeadWritersAreRemovedOnTheNextWrite() throws {
        let dir = TemporaryDirectory()
        let prefix = AtomicFile.temporaryPrefix(for: "v.csv")
        let dead = dir.file(prefix + "99999999.1a2b.tmp")   // above Linux's largest pid
        let alive = dir.file(prefix + "\(getppid()).3c4d.tmp")
        let other = dir.file(AtomicFile.temporaryPrefix(for: "w.csv") + "99999999.1a2b.tmp")
        for path in [dead, alive, other] { #expect(FileManager.default.createFile(atPath: path, contents: Data("half".utf8))) }
        try AtomicFile.write("whole\n", to: dir.file("v.csv"))
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: alive) && FileManager.default.fileExists(atPath: other))
        #expect(AtomicFile.temporaryPrefix(for: String(repeating: "n", count: 250)).utf8.count < 30)
    }

    @Test func outputsNamingAnInputOrEachOtherAreRefused() throws {
        let dir = TemporaryDirectory()
        let data = dir.file("data.csv")
        try AtomicFile.write("a,b\n", to: data)
        #expect(link(data, dir.file("hard.csv")) == 0)
        #expect(symlink("data.csv", dir.file("soft.csv")) == 0)
        let inputs = [OutputPaths.Named("the data file", data)]
        for alias in [data, dir.file("hard.csv"), dir.file("soft.csv"), dir.path + "/./data.csv"] {
            let error = message { try OutputPaths.check(outputs: [.init("--out", alias)], inputs: inputs) }
            #expect(error?.contains("the data file") == true, "\(alias): \(error ?? "no error")")
        }
        try AtomicFile.write("{}", to: dir.file("state.json"))
        let state = [OutputPaths.Named("the --resume file", dir.file("state.json"))]
        #expect(throws: InputError.self) { try OutputPaths.check(outputs: [.init("--out", dir.file("state.json"))], inputs: state) }
        try OutputPaths.check(outputs: [.init("--checkpoint", dir.file("state.json"))], inputs: state,
                              allowed: [("--checkpoint", "the --resume file")])
        try AtomicFile.write("old", to: dir.file("out.csv"))
        #expect(throws: InputError.self) {
            try OutputPaths.check(outputs: [.init("--out", dir.file("out.csv")), .init("--checkpoint", dir.file("out.csv"))], inputs: [])
        }
        // Outputs that do not exist yet, and devices, conflict with nothing.
        try OutputPaths.check(outputs: [.init("--out", dir.file("new.csv")), .init("--state-out", "/dev/stdout"),
                                        .init("--checkpoint", "/dev/stdout")], inputs: inputs)
        #expect(contents(data) == "a,b\n")
    }
}
