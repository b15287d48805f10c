import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a file, in the parts `AtomicFile` and `OutputPaths` need.
struct FileStatus: Equatable {
    enum Kind { case regular, directory, link, characterDevice, blockDevice, fifo, socket, other }

    var type: Kind
    var permissions: mode_t
    var owner: uid_t
    var group: gid_t
    var device: UInt64
    var inode: UInt64

    init(_ st: stat) {
        switch st.st_mode & 0o170000 {
        case 0o100000: type = .regular
        case 0o040000: type = .directory
        case 0o120000: type = .link
        case 0o020000: type = .characterDevice
        case 0o060000: type = .blockDevice
        case 0o010000: type = .fifo
        case 0o140000: type = .socket
        default: type = .other
        }
        permissions = st.st_mode & 0o7777
        owner = st.st_uid
        group = st.st_gid
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    /// The status of what `path` leads to (links followed), nil when it does not exist.
    init?(following path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        self.init(st)
    }
}
