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
    nonisolated(unsafe) private static var failed: (any Error)?

    /// A path for `name` in this process's folder, made (and the folders of ended builds removed) at the first call.
    public static func path(_ name: String) throws -> SystemPath {
        try folder().appending(name)
    }

    /// Made once. A failure (a full disk, a temporary folder without locks) leaves nothing behind and is
    /// remembered: every spool after it holds its records in memory, and the reject spool says why.
    static func folder(in base: SystemPath = SystemPath(NSTemporaryDirectory())) throws -> SystemPath {
        try lock.withLock {
            if let made { return made }
            if let failed { throw failed }
            removeEnded(in: base)
            // Made under a name the sweep does not look at, and locked, before it takes its own name:
            // no other build can find it unlocked.
            let name = "\(prefix)\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            let making = base.appending(".\(name)")
            var descriptor: Int32 = -1
            do {
                try POSIX.mkdir(making, mode: 0o700)
                descriptor = try POSIX.open(making.appending("lock"), O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o600)
                try POSIX.flock(descriptor, LOCK_EX | LOCK_NB, path: making.appending("lock"))
                try POSIX.rename(making, to: base.appending(name))
            } catch {
                if descriptor >= 0 { try? POSIX.close(descriptor, path: making) }
                removeFiles(in: making)
                failed = error
                throw error
            }
            // The descriptor stays open, and so the lock held, until the process ends.
            let folder = base.appending(name)
            made = folder
            atexit { WorkFolder.removeOwn() }
            return folder
        }
    }

    /// The folders of builds that ended without removing theirs. Only a real folder (not a link) of this
    /// user, closed to others, whose lock is this user's and free; one still locked is another build's.
    static func removeEnded(in base: SystemPath) {
        guard let names = try? POSIX.folderEntries(base) else { return }
        for name in names where name.starts(with: Array(prefix.utf8)) {
            let folder = SystemPath(bytes: base.bytes + [UInt8(ascii: "/")] + name)
            guard let info = try? POSIX.lstat(folder), info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(),
                  info.st_mode & 0o077 == 0 else { continue }
            let descriptor: Int32
            do {
                descriptor = try POSIX.open(folder.appending("lock"), O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            } catch let error as YearbookError where error.errno == ENOENT {
                // No lock: a folder is named only once locked, and its lock goes last, so this one was
                // being removed when its build was killed (between the lock's unlink and the rmdir).
                removeFiles(in: folder)
                continue
            } catch {
                continue
            }
            defer { try? POSIX.close(descriptor, path: folder) }
            guard let lockInfo = try? POSIX.fstat(descriptor, path: folder), lockInfo.st_uid == geteuid(),
                  (try? POSIX.flock(descriptor, LOCK_EX | LOCK_NB, path: folder)) != nil else { continue }
            removeFiles(in: folder)
        }
    }

    /// The files of a work folder, the lock last, then the folder. Never recursive: a work folder holds
    /// files only; an entry that is a link is unlinked, not followed, and a folder is kept. The lock goes only
    /// once nothing else is left (files a running thread still makes are listed again), so that a folder
    /// that cannot be removed whole keeps a free lock and the next sweep finishes it.
    static func removeFiles(in folder: SystemPath) {
        let lockName = Array("lock".utf8)
        for _ in 0..<3 {
            let others = ((try? POSIX.folderEntries(folder)) ?? []).filter { $0 != lockName }
            guard !others.isEmpty else {
                try? POSIX.unlink(folder.appending("lock"))
                try? POSIX.rmdir(folder)
                return
            }
            for name in others { try? POSIX.unlink(SystemPath(bytes: folder.bytes + [UInt8(ascii: "/")] + name)) }
        }
    }

    /// At a normal exit, and before a SIGINT or SIGTERM ends the process (`_exit`, which runs no
    /// `atexit`): the folder and what is left in it (the spools of values never released).
    public static func removeOwn() {
        guard let made = lock.withLock({ made }) else { return }
        removeFiles(in: made)
    }
}
