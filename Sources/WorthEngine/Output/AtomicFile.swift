import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader never sees half of one, a crash never destroys the old one and
/// nothing but the file itself is ever replaced.
///
/// Where the path leads decides how:
/// - a regular file, or nothing yet: the bytes go to a temporary file `.NAME.PID.RANDOM.tmp` in
///   the same directory, which is flushed (`fsync`), given the old file's permission bits (and
///   owner, where allowed) and renamed over the destination; the directory is flushed after.
///   Temporary files of processes that died before their rename are removed on the next write
///   to the same name.
/// - a symbolic link (or a chain of them): its final target is written that way, in the
///   target's directory, and the link stays a link.
/// - a character device, a FIFO or one of the process's own descriptors (`/dev/null`,
///   `/dev/stdout`, `/dev/fd/3`, a pipe): the bytes are written through it, as every Unix tool
///   does; it is never renamed over. Block devices and sockets are refused.
///
/// Every failure is an `InputError` naming the path, one line: a missing directory, a
/// directory, a trailing slash, a full disk ("no space left on device"), no permission.
public enum AtomicFile {
    /// Writes `text` as UTF-8 to `path` as described above.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path` as described above.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { emit in try data.withUnsafeBytes { try emit($0) } }
    }

    /// Writes to `path` as described above the bytes that `produce` hands, block by block, to
    /// the function it is given: a file of any size (a generated data set) is written without
    /// holding it, and still replaces the destination only once complete.
    public static func write(to path: String,
                             _ produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        switch try Destination(path) {
        case .descriptor(let fd):
            try produce { try writeAll($0, to: fd, path: path) }
        case .stream(let target):
            let fd = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw failure(path, "cannot open for writing", errno) }
            defer { close(fd) }
            try produce { try writeAll($0, to: fd, path: path) }
        case .file(let target, let existing):
            try replace(target, with: produce, existing: existing, path: path)
        }
    }

    /// Checks, before any work is done, that `path` could be written: its directory exists and
    /// is writable, and it is not a directory, a block device or a socket. Writing can still
    /// fail later (a full disk), but not for a reason known now.
    public static func checkWritable(_ path: String) throws {
        if case .file(let target, _) = try Destination(path) {
            let directory = directoryPart(of: target)
            guard access(directory, W_OK) == 0 else {
                throw failure(path, "cannot create files in \(directory)", errno)
            }
        }
    }

    // MARK: Where a path leads

    /// What writing to a path means.
    enum Destination: Equatable {
        /// One of this process's open descriptors (`/dev/stdout`, `/dev/fd/N`).
        case descriptor(Int32)
        /// A character device or FIFO, at `target` (links followed): written through.
        case stream(target: String)
        /// A regular file at `target` (links followed), with its `stat` when it exists: replaced.
        case file(target: String, existing: FileStatus?)

        /// Follows `path`'s symbolic links (at most 40) and classifies where they lead; throws
        /// for a trailing slash, a directory, a missing directory, a block device or a socket.
        init(_ path: String) throws {
            guard !path.isEmpty else { throw InputError("an output path is empty") }
            guard !path.hasSuffix("/") else {
                throw InputError(file: path, "names a directory (it ends in /); give a file name")
            }
            var current = path
            for _ in 0..<40 {
                if let fd = ownDescriptor(current) {
                    self = .descriptor(fd)
                    return
                }
                var st = stat()
                guard lstat(current, &st) == 0 else {
                    let code = errno
                    guard code == ENOENT || code == ENOTDIR else { throw failure(path, "cannot write", code) }
                    try requireDirectory(of: current, for: path)
                    self = .file(target: current, existing: nil)
                    return
                }
                switch FileStatus(st).type {
                case .link:
                    let link = try readLink(current, for: path)
                    current = link.hasPrefix("/") ? link : directoryPart(of: current) + "/" + link
                case .regular:
                    self = .file(target: current, existing: FileStatus(st))
                    return
                case .directory:
                    throw InputError(file: path, "is a directory; give a file name")
                case .characterDevice, .fifo:
                    self = .stream(target: current)
                    return
                case .blockDevice:
                    throw InputError(file: path, "is a block device (a disk); worth writes only files, pipes and character devices")
                case .socket, .other:
                    throw InputError(file: path, "is a socket or special file; give a file name")
                }
            }
            throw InputError(file: path, "cannot write: too many levels of symbolic links")
        }
    }

    /// The descriptor `path` names when it is this process's own (`/dev/stdout`, `/dev/stderr`,
    /// `/dev/fd/N`, `/proc/self/fd/N`): written to directly, so an append (`>> log`) appends.
    static func ownDescriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default: break
        }
        for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/\(getpid())/fd/"] where path.hasPrefix(prefix) {
            if let fd = Int32(path.dropFirst(prefix.count)), fd >= 0 { return fd }
        }
        return nil
    }

    /// Throws unless the directory `path` would be created in exists and is a directory.
    private static func requireDirectory(of target: String, for path: String) throws {
        let directory = directoryPart(of: target)
        var st = stat()
        guard stat(directory, &st) == 0 else {
            let code = errno
            if code == ENOENT { throw InputError(file: path, "cannot write: the directory \(directory) does not exist") }
            throw failure(path, "cannot write in \(directory)", code)
        }
        guard FileStatus(st).type == .directory else {
            throw InputError(file: path, "cannot write: \(directory) is not a directory")
        }
    }

    private static func readLink(_ link: String, for path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count >= 0 else { throw failure(path, "cannot follow the link \(link)", errno) }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Writing

    /// Writes what `produce` hands beside `target` and renames it over `target` (see the type's
    /// comment).
    private static func replace(_ target: String, with produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void,
                                existing: FileStatus?, path: String) throws {
        let directory = directoryPart(of: target)
        let prefix = temporaryPrefix(for: lastPart(of: target))
        removeStaleTemporaryFiles(in: directory, prefix: prefix)
        let temporary = directory + "/" + prefix + "\(getpid()).\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw failure(path, "cannot create a file in \(directory)", errno) }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(fd) }
            if let existing {
                // Keep the destination's permission bits (and owner, where we may).
                _ = fchmod(fd, existing.permissions)
                if existing.owner != geteuid() || existing.group != getegid() { _ = fchown(fd, existing.owner, existing.group) }
            }
            try produce { try writeAll($0, to: fd, path: path) }
            guard fsync(fd) == 0 else { throw failure(path, "cannot write", errno) }
        }
        guard rename(temporary, target) == 0 else { throw failure(path, "cannot write", errno) }
        renamed = true
        // Make the rename itself durable; a file system without directory fsync just skips it.
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Writes every byte of `bytes` to `fd`, retrying interrupted and partial writes.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot write", errno)
            }
            offset += n
        }
    }

    /// `.NAME.` (or a fingerprint of a very long name, so the temporary name stays legal).
    static func temporaryPrefix(for name: String) -> String {
        "." + (name.utf8.count > 200 ? Fingerprint.of(name) : name) + "."
    }

    /// Removes `PREFIX<pid>.<hex>.tmp` files whose process no longer exists: left by a writer
    /// killed between creating its temporary file and renaming it.
    static func removeStaleTemporaryFiles(in directory: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let middle = name.dropFirst(prefix.count).dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
            guard middle.count == 2, let pid = Int32(middle[0]), pid > 0, UInt32(middle[1], radix: 16) != nil,
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(directory + "/" + name)
        }
    }

    /// The error for a failed system call: `cannot write: no space left on device`.
    static func failure(_ path: String, _ what: String, _ code: Int32) -> InputError {
        InputError(file: path, "\(what): \(reason(code))")
    }

    /// `errno` in words, lower case: `no space left on device`, `permission denied`.
    static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

/// The directory part of `path`: `.` for a bare name, `/` for a file in the root.
func directoryPart(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// The last component of `path`.
func lastPart(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
}
