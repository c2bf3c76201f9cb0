import EditionFiles
import Foundation
import YearbookCore

/// Publishes an edition, `<out>/<year>`, so that readers see the old edition
/// or the new one, never none and never a mix, whatever stops the build:
/// - the new edition is made whole in `.<year>.building-<pid>` beside it
///   (each file written and fsynced; an unchanged file linked from the old
///   edition), folders fsynced, the manifest last;
/// - then swapped in with one atomic exchange (`renameat2(RENAME_EXCHANGE)`),
///   or one rename when there was none; the old edition, now under the
///   staging name, is removed after;
/// - one writer at a time: a lock on `<out>/.yearbook-lock`;
/// - leftovers of an interrupted build are removed at the next one, never
///   the only copy of an edition.
/// `--chapter` publishes the same way: a whole folder, mostly links.
final class EditionPublisher: @unchecked Sendable {
    let out: String
    let year: Int
    /// The folder's name under `out`: the year, or `<year>.failed` for a failed build's reports.
    let name: String
    let target: String
    private let parent: String
    private var lockDescriptor: Int32 = -1

    convenience init(out: String, year: Int) {
        self.init(out: out, name: String(year), year: year)
    }

    init(out: String, name: String, year: Int? = nil) {
        self.out = out
        self.name = name
        self.year = year ?? Int(name.prefix(4)) ?? 0
        parent = out.isEmpty ? "." : out
        target = (parent as NSString).appendingPathComponent(name)
    }

    /// Where this process makes the new edition before it is swapped in.
    var stagingFolder: String { (parent as NSString).appendingPathComponent(".\(name).building-\(getpid())") }

    /// Refuses an output that is, holds or lies inside the input tree's year
    /// folders or its `areas.csv` (symbolic links resolved): a slip of
    /// `--out` must never replace a county's files.
    static func checkPlace(out: String, year: Int, input: String) throws {
        let edition = resolved((out.isEmpty ? "." : out as NSString).appendingPathComponent(String(year)))
        let root = resolved(input)
        var protected = [resolved((input as NSString).appendingPathComponent("areas.csv"))]
        for entry in (try? POSIX.folderEntries(SystemPath(root))) ?? [] {
            guard entry.count == 4, entry.allSatisfy({ (0x30...0x39).contains($0) }) else { continue }
            protected.append(resolved((root as NSString).appendingPathComponent(String(decoding: entry, as: UTF8.self))))
        }
        for path in protected where edition == path || isInside(path, edition) || isInside(edition, path) {
            throw YearbookError.usage("--out \(out) would put the \(year) edition at \(edition), which "
                + (edition == path ? "is" : isInside(path, edition) ? "holds" : "lies inside")
                + " the input tree's \(path); nothing was written. Choose an --out outside the input tree")
        }
    }

    /// Refuses an `--out` that cannot be a folder: a file there, or on the way there, a link to
    /// nothing or a loop of links, or a path too long for the system. Checked before anything
    /// is read, so a slip costs no build.
    static func checkOut(_ out: String) throws {
        // `afile/` names afile itself: without the slash, its parent is not taken for it.
        var trimmed = Array((out.isEmpty ? "." : out).utf8)
        while trimmed.count > 1 && trimmed.last == UInt8(ascii: "/") { trimmed.removeLast() }
        let given = SystemPath(bytes: trimmed)
        var path = given
        while !path.bytes.isEmpty {
            let info: stat
            do {
                info = try POSIX.stat(path)
            } catch let error as YearbookError where error.errno == ENOENT || error.errno == ENOTDIR {
                if POSIX.kind(path) == .symbolicLink {
                    throw YearbookError.usage("--out \(out): \(path) is a symbolic link to nothing: name a folder for the yearbook, or make the link's target")
                }
                path = path.parent
                continue
            } catch let error as YearbookError where error.errno == ELOOP {
                throw YearbookError.usage("--out \(out) goes through a loop of symbolic links: name a folder for the yearbook")
            } catch let error as YearbookError where error.errno == ENAMETOOLONG {
                throw YearbookError.usage("--out \(out.prefix(80))… is too long a path for the system (\(out.utf8.count) bytes; "
                    + "at most \(PATH_MAX - 1), and \(NAME_MAX) for one name): name a shorter folder for the yearbook")
            }
            let kind = FileKind(mode: info.st_mode)
            if kind == .folder { return }
            let what = kind == .regular ? "a file" : kind.rawValue
            throw YearbookError.usage((path == given ? "--out \(out) is" : "--out \(out): \(path) is")
                + " \(what), not a folder: name a folder for the yearbook")
        }
    }

    /// An absolute path with symbolic links resolved, as far as it exists.
    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : ((try? POSIX.currentFolder()) ?? ".") + "/" + path
        if let real = try? POSIX.realpath(SystemPath(absolute)), let text = real.text { return text }
        let parent = SystemPath.parent(of: absolute)
        guard parent != absolute, !parent.isEmpty else { return absolute }
        return (resolved(parent) as NSString).appendingPathComponent((absolute as NSString).lastPathComponent)
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// Takes the lock of the folder of editions (`--out`); waits, saying so, while another build holds it.
    func lock(waiting: (String) -> Void) throws {
        try POSIX.makeFolders(SystemPath(parent))
        let path = SystemPath((parent as NSString).appendingPathComponent(".yearbook-lock"))
        lockDescriptor = try POSIX.open(path, O_RDWR | O_CREAT, mode: 0o644)
        do {
            try POSIX.flock(lockDescriptor, LOCK_EX | LOCK_NB, path: path)
        } catch let error as YearbookError where error.errno == EWOULDBLOCK {
            waiting("another yearbook build is writing \(parent); waiting for it to finish…")
            try POSIX.flock(lockDescriptor, LOCK_EX, path: path)
        }
    }

    deinit {
        if lockDescriptor >= 0 { try? POSIX.close(lockDescriptor, path: ".yearbook-lock") }
    }

    /// Removes what interrupted builds left beside the edition: staging
    /// folders (`.<year>.building-PID`) of processes that are gone. One is
    /// kept, and named, when it holds a whole edition and no edition is
    /// published: it may then be the only copy.
    func removeLeftovers() -> [String] {
        var kept: [String] = []
        let prefix = Array(".\(name).building-".utf8)
        for entry in (try? POSIX.folderEntries(SystemPath(parent))) ?? [] where entry.starts(with: prefix) {
            guard let pid = Int32(String(decoding: entry.dropFirst(prefix.count), as: UTF8.self)),
                  pid != getpid(), kill(pid, 0) != 0 else { continue }
            let path = (parent as NSString).appendingPathComponent(String(decoding: entry, as: UTF8.self))
            let whole = POSIX.kind(SystemPath((path as NSString).appendingPathComponent(Manifest.fileName))) == .regular
            if whole && POSIX.kind(SystemPath(target)) == nil {
                kept.append(path)
                continue
            }
            try? POSIX.removeTree(SystemPath(path))
        }
        return kept
    }

    /// A new edition being made beside the target; files may be added from several threads.
    final class Staging: @unchecked Sendable {
        let folder: String
        let current: String
        private var folders: Set<String> = []
        private let lock = NSLock()
        private(set) var written: [String] = []

        init(publisher: EditionPublisher) throws {
            current = publisher.target
            folder = publisher.stagingFolder
            try POSIX.removeTree(SystemPath(folder))
            try POSIX.mkdir(SystemPath(folder))
            folders.insert(folder)
            Interruption.stage(folder)
        }

        private func prepare(_ name: String) throws -> String {
            let full = (folder as NSString).appendingPathComponent(name)
            let inner = SystemPath.parent(of: full)
            try lock.withLock {
                var missing: [String] = []
                var path = inner
                while !folders.contains(path) && path.count > folder.count {
                    missing.append(path)
                    path = SystemPath.parent(of: path)
                }
                try OutputFolder.creatingFolders.withLock {
                    for path in missing.reversed() {
                        // A target that writes its own file may have made it already.
                        if POSIX.kind(SystemPath(path)) != .folder { try POSIX.mkdir(SystemPath(path)) }
                        folders.insert(path)
                    }
                }
            }
            return full
        }

        /// Writes one output; one whose bytes the published edition already has is linked instead.
        func add(_ name: String, _ bytes: [UInt8]) throws {
            let full = try prepare(name)
            let old = (current as NSString).appendingPathComponent(name)
            if let existing = try? POSIX.readFile(SystemPath(old)), existing == bytes,
               (try? POSIX.link(SystemPath(old), at: SystemPath(full))) != nil { return }
            try POSIX.writeFile(SystemPath(full), bytes, durable: true)
            lock.withLock { written.append(name) }
        }

        /// Where a file copied in place (a release's) goes; then `addWritten`.
        func location(of name: String) throws -> String {
            let full = try prepare(name)
            try POSIX.removeTree(SystemPath(full))
            return full
        }

        /// Takes an output a target wrote into this folder itself (`OutputFolder`): fsynced, and
        /// replaced by a link to the published edition's file when that is the same; its manifest entry.
        /// Read in bounded pieces: such an output can be larger than memory should hold.
        func addWritten(_ name: String, key: TargetKey?) throws -> Manifest.FileEntry {
            let location = (folder as NSString).appendingPathComponent(name), full = SystemPath(location)
            // Its folders, made by the target, are fsynced with the others at the commit.
            lock.withLock {
                var path = SystemPath.parent(of: location)
                while !folders.contains(path) && path.count > folder.count {
                    folders.insert(path)
                    path = SystemPath.parent(of: path)
                }
            }
            guard let made = try BufferedFileReader.digestAndSize(full) else { throw YearbookError.system(call: "read", path: full, errno: ENOENT) }
            let entry = Manifest.FileEntry(file: name, bytes: made.size, sha256: made.digest, key: key?.hex)
            let old = SystemPath((current as NSString).appendingPathComponent(name))
            if let existing = try? BufferedFileReader.digestAndSize(old), existing == made {
                try POSIX.unlink(full)
                try POSIX.link(old, at: full)
            } else {
                try POSIX.fsyncFile(full)
                lock.withLock { written.append(name) }
            }
            return entry
        }

        /// Takes a file another staging folder holds (a failed build's report, written for the edition).
        func move(_ name: String, from other: Staging, key: TargetKey?) throws -> Manifest.FileEntry {
            let full = try prepare(name)
            try POSIX.rename(SystemPath((other.folder as NSString).appendingPathComponent(name)), to: SystemPath(full))
            return try addWritten(name, key: key)
        }

        /// Keeps a file of the published edition as it is (linked).
        func keep(_ name: String) throws {
            let full = try prepare(name)
            try POSIX.link(SystemPath((current as NSString).appendingPathComponent(name)), at: SystemPath(full))
        }

        /// Swaps the new edition in, durably; returns the files written anew.
        func commit(manifest: Manifest) throws -> [String] {
            try Interruption.critical {
                let bytes = manifest.encoded()
                let published = try? POSIX.readFile(SystemPath((current as NSString).appendingPathComponent(Manifest.fileName)))
                if published != bytes { written.append(Manifest.fileName) }
                try POSIX.writeFile(SystemPath((folder as NSString).appendingPathComponent(Manifest.fileName)), bytes, durable: true)
                for path in folders.sorted(by: { $0.count > $1.count }) { try POSIX.fsyncFolder(SystemPath(path)) }
                let parent = SystemPath.parent(of: folder)
                if POSIX.kind(SystemPath(current)) != nil {
                    try POSIX.renameat2(SystemPath(folder), SystemPath(current), flags: POSIX.renameExchange)
                } else {
                    try POSIX.rename(SystemPath(folder), to: SystemPath(current))
                }
                try POSIX.fsyncFolder(SystemPath(parent))
                // The staging name now holds the old edition (or nothing): the new one is in place.
                try? POSIX.removeTree(SystemPath(folder))
                Interruption.unstage(folder)
            }
            return written.sorted()
        }

        /// Drops the new edition; the published one was never touched.
        func abandon() {
            try? POSIX.removeTree(SystemPath(folder))
            Interruption.unstage(folder)
        }
    }
}

/// SIGINT and SIGTERM stop a build cleanly: the staging folder is removed,
/// the published edition untouched, exit 130 or 143. A signal during the
/// swap waits for the swap to finish.
public enum Interruption {
    private static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var staged: Set<String> = []
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    public static func install() {
        lock.withLock {
            guard sources.isEmpty else { return }
            sources = POSIX.onSignals([SIGINT, SIGTERM]) { number in
                lock.lock()   // held by a swap in progress; never released: the process ends here
                let name = number == SIGINT ? "SIGINT" : "SIGTERM"
                let note = staged.isEmpty ? "" : "; nothing was published: the edition is as it was"
                for folder in staged { try? POSIX.removeTree(SystemPath(folder)) }
                WorkFolder.removeOwn()
                FileHandle.standardError.write(Data("\nyearbook: stopped by \(name)\(note)\n".utf8))
                _exit(128 + number)
            }
        }
    }

    static func stage(_ folder: String) { lock.withLock { _ = staged.insert(folder) } }
    static func unstage(_ folder: String) { lock.withLock { _ = staged.remove(folder) } }
    static func critical<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
