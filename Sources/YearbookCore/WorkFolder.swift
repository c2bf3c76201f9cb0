#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// This process's folder in the temporary folder, for what a build spools and
/// reads back (problems, rule failures, rejected rows of a file read without
/// a cache). A build that is killed cannot remove its own: each folder holds a
/// `lock` its process keeps locked while it runs, and the first build that
/// needs a folder removes every `yearbook-work-*` whose lock it can take (the
/// lock of a process that ended is free, whatever its process id now names).
public enum WorkFolder {
    static let prefix = "yearbook-work-"
    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: SystemPath?

    /// A path for `name` in this process's folder, made (and the folders of ended builds removed) at the first call.
    public static func path(_ name: String) throws -> SystemPath {
        try folder().appending(name)
    }

    /// Made once; a failure (a full disk, an injected fault) is tried again at the next call.
    static func folder(in base: SystemPath = SystemPath(NSTemporaryDirectory())) throws -> SystemPath {
        try lock.withLock {
            if let made { return made }
            removeEnded(in: base)
            // Made under a name the sweep does not look at, and locked, before it takes its own name:
            // no other build can find it unlocked.
            let name = "\(prefix)\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            let making = base.appending(".\(name)")
            try POSIX.mkdir(making, mode: 0o700)
            let descriptor = try POSIX.open(making.appending("lock"), O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o600)
            try POSIX.flock(descriptor, LOCK_EX | LOCK_NB, path: making.appending("lock"))
            let folder = base.appending(name)
            try POSIX.rename(making, to: folder)
            // The descriptor stays open, and so the lock held, until the process ends.
            made = folder
            atexit { WorkFolder.removeOwn() }
            return folder
        }
    }

    /// The folders of builds that ended without removing theirs; one still locked is another build's, and kept.
    static func removeEnded(in base: SystemPath) {
        guard let names = try? POSIX.folderEntries(base) else { return }
        for name in names where name.starts(with: Array(prefix.utf8)) {
            let folder = SystemPath(bytes: base.bytes + [UInt8(ascii: "/")] + name)
            guard let descriptor = try? POSIX.open(folder.appending("lock"), O_RDWR | O_CLOEXEC) else { continue }
            defer { try? POSIX.close(descriptor, path: folder) }
            guard (try? POSIX.flock(descriptor, LOCK_EX | LOCK_NB, path: folder)) != nil else { continue }
            try? POSIX.removeTree(folder)
        }
    }

    /// At a normal exit, and before a SIGINT or SIGTERM ends the process (`_exit`, which runs no
    /// `atexit`): the folder and what is left in it (the spools of values never released).
    public static func removeOwn() {
        guard let made = lock.withLock({ made }) else { return }
        try? POSIX.removeTree(made)
    }
}
