#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A path as the file system holds it: bytes, which need not be UTF-8.
/// `description` shows it with every byte that is not printable UTF-8 escaped.
public struct SystemPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var bytes: [UInt8]

    public init(_ text: String) { bytes = Array(text.utf8) }
    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(stringLiteral text: String) { self.init(text) }

    /// `self/component`.
    public func appending(_ component: [UInt8]) -> SystemPath {
        var joined = bytes
        if !joined.isEmpty && joined.last != UInt8(ascii: "/") { joined.append(UInt8(ascii: "/")) }
        joined.append(contentsOf: component)
        return SystemPath(bytes: joined)
    }

    public func appending(_ component: String) -> SystemPath { appending(Array(component.utf8)) }

    /// The folder that holds the last component: `a/b/` → `a`, `/a` → `/`, `/` → `/`, and
    /// `""` for a single relative name (`q`, `.`, `..`), which is in the current folder.
    /// Cut at the bytes, not with NSString's `deletingLastPathComponent`: Foundation on Linux
    /// traps (SIGILL) on a relative path whose last component is one character.
    public var parent: SystemPath {
        let slash = UInt8(ascii: "/")
        var end = bytes.count
        while end > 1 && bytes[end - 1] == slash { end -= 1 }
        guard let last = bytes[..<end].lastIndex(of: slash) else { return SystemPath(bytes: []) }
        var kept = last
        while kept > 0 && bytes[kept - 1] == slash { kept -= 1 }
        return SystemPath(bytes: kept == 0 ? [slash] : Array(bytes[..<kept]))
    }

    /// `parent` of a path given as text.
    public static func parent(of path: String) -> String { String(decoding: SystemPath(path).parent.bytes, as: UTF8.self) }

    /// The text of the path when it is valid UTF-8.
    public var text: String? { String(validating: bytes, as: UTF8.self) }

    public var description: String { SystemPath.shown(bytes) }

    /// Bytes as text for people: valid UTF-8 kept, control bytes and bytes that
    /// are not UTF-8 written `\xFF`, so a name is never shown as something it is not.
    public static func shown(_ bytes: [UInt8]) -> String {
        // Most names are printable ASCII, shown as they are.
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) { return String(decoding: bytes, as: UTF8.self) }
        var out = ""
        var index = 0
        while index < bytes.count {
            let length = utf8SequenceLength(bytes, at: index)
            if length == 0 || (length == 1 && (bytes[index] < 0x20 || bytes[index] == 0x7F || bytes[index] == UInt8(ascii: "\\"))) {
                if length == 1 && bytes[index] == UInt8(ascii: "\\") {
                    out += "\\\\"
                } else {
                    out += "\\x" + String(bytes[index], radix: 16, uppercase: true).leftPadded(to: 2)
                }
                index += 1
                continue
            }
            out += String(decoding: bytes[index..<(index + length)], as: UTF8.self)
            index += length
        }
        return out
    }

    /// The length of the well-formed UTF-8 sequence at `index`, 0 when there is none.
    private static func utf8SequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        let length: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            let (low, high) = offset == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
            if byte < low || byte > high { return 0 }
        }
        return length
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// What kind of file a `stat` describes.
public enum FileKind: String, Sendable {
    case regular = "a regular file"
    case folder = "a folder"
    case symbolicLink = "a symbolic link"
    case fifo = "a FIFO"
    case socket = "a socket"
    case characterDevice = "a character device"
    case blockDevice = "a block device"
    case unknown = "a special file"

    public init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .folder
        case S_IFLNK: self = .symbolicLink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .unknown
        }
    }
}

/// A file's device, inode, size, and modification and change times in nanoseconds: what git's index
/// keeps to tell an unchanged file without reading it. Any write moves the change time, so a copy or
/// an edit that puts the size and modification time back is still seen.
public struct FileStamp: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modified: Int64
    public var changed: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        (self.device, self.inode, self.size, self.modified, self.changed) = (device, inode, size, modified, changed)
    }

    public init(_ info: stat) {
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                  modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                  changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }

    /// Whether the file last changed before `time` (`POSIX.fileSystemClock`), so that a change after `time`
    /// would show in its stamp (git's "racily clean" rule, the other way round). Times with no nanoseconds
    /// come from a file system that keeps whole seconds (two on FAT), which a later change can round down to.
    public func changedBefore(_ time: Int64) -> Bool {
        let wholeSeconds = modified % 1_000_000_000 == 0 && changed % 1_000_000_000 == 0
        let latest = max(modified, changed)
        return wholeSeconds ? latest + 2_000_000_000 <= time : latest < time
    }
}

/// The one home of raw POSIX calls. Each wrapper retries on EINTR where that is
/// safe and throws a system `YearbookError` naming the path.
///
/// Faults can be injected, so that failures and kill points are repeatable:
/// - in process, `POSIX.faultInjector` is asked before every call and may
///   return an errno that the call then fails with;
/// - from outside, `YEARBOOK_FAULT_AT=N` ends the process with `_exit(137)`
///   (as if killed) instead of making the N-th call that changes the file
///   system (creating or writing open, write, fsync, rename, mkdir, rmdir,
///   unlink, symlink); `YEARBOOK_FAULT_TRACE=1` prints each such call
///   numbered on stderr, so a test can count the kill points of a run.
public enum POSIX {
    public typealias FaultInjector = @Sendable (_ call: String, _ path: String) -> Int32?

    private static let faultLock = NSLock()
    nonisolated(unsafe) private static var injector: FaultInjector?
    nonisolated(unsafe) private static var changingCalls = 0
    private static let faultAt: Int? = ProcessInfo.processInfo.environment["YEARBOOK_FAULT_AT"].flatMap { Int($0) }
    private static let faultTrace = ProcessInfo.processInfo.environment["YEARBOOK_FAULT_TRACE"] == "1"

    /// Asked before every call with the call's name and path; an errno makes the call fail with it.
    public static var faultInjector: FaultInjector? {
        get { faultLock.withLock { injector } }
        set { faultLock.withLock { injector = newValue } }
    }

    /// Calls made so far that change the file system (what `YEARBOOK_FAULT_AT` counts).
    public static var fileSystemChanges: Int { faultLock.withLock { changingCalls } }

    private static func checkFault(_ call: String, _ path: SystemPath, changesFileSystem: Bool) throws {
        let (injected, number) = faultLock.withLock { () -> (FaultInjector?, Int) in
            if changesFileSystem { changingCalls += 1 }
            return (injector, changingCalls)
        }
        if changesFileSystem {
            if faultTrace { fputs("yearbook fault point \(number): \(call) \(path)\n", stderr) }
            if let faultAt, number == faultAt { _exit(137) }
        }
        if let code = injected?(call, path.description) {
            throw YearbookError.system(call: call, path: path, errno: code)
        }
    }

    private static func withCString<T>(_ path: SystemPath, _ body: (UnsafePointer<CChar>) -> T) -> T {
        (path.bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// Runs `body` until it does not fail with EINTR; throws on -1.
    private static func retrying<T: BinaryInteger>(_ call: String, _ path: SystemPath, otherPath: SystemPath? = nil,
                                                   _ body: () -> T) throws -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            if errno == EINTR { continue }
            throw YearbookError.system(call: call, path: path, otherPath: otherPath, errno: errno)
        }
    }

    // MARK: descriptors

    /// `open(2)`; pass `O_NONBLOCK` to open a FIFO without waiting for a writer.
    public static func open(_ path: SystemPath, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        let changes = flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC) != 0
        try checkFault("open", path, changesFileSystem: changes)
        return try retrying("open", path) { withCString(path) { Glibc.open($0, flags | O_CLOEXEC, mode) } }
    }

    /// `close(2)`; not retried on EINTR (the descriptor is gone either way on Linux).
    public static func close(_ descriptor: Int32, path: SystemPath) throws {
        try checkFault("close", path, changesFileSystem: false)
        if Glibc.close(descriptor) != 0 && errno != EINTR {
            throw YearbookError.system(call: "close", path: path, errno: errno)
        }
    }

    /// `read(2)` into `buffer`; 0 is the end of the file.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, path: SystemPath) throws -> Int {
        try checkFault("read", path, changesFileSystem: false)
        return try retrying("read", path) { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// `write(2)` of all of `bytes` (short writes continued).
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: SystemPath) throws {
        try checkFault("write", path, changesFileSystem: true)
        var offset = 0
        while offset < bytes.count {
            offset += try retrying("write", path) {
                Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
        }
    }

    public static func fsync(_ descriptor: Int32, path: SystemPath) throws {
        try checkFault("fsync", path, changesFileSystem: true)
        _ = try retrying("fsync", path) { Glibc.fsync(descriptor) }
    }

    /// Opens the folder, fsyncs it (so the names in it are on disk) and closes it.
    public static func fsyncFolder(_ path: SystemPath) throws {
        let descriptor = try open(path, O_RDONLY | O_DIRECTORY)
        defer { try? close(descriptor, path: path) }
        try fsync(descriptor, path: path)
    }

    /// Opens a file written and closed earlier, fsyncs it and closes it.
    public static func fsyncFile(_ path: SystemPath) throws {
        let descriptor = try open(path, O_RDONLY)
        defer { try? close(descriptor, path: path) }
        try fsync(descriptor, path: path)
    }

    public static func fstat(_ descriptor: Int32, path: SystemPath) throws -> stat {
        try checkFault("fstat", path, changesFileSystem: false)
        var info = Glibc.stat()
        _ = try retrying("fstat", path) { Glibc.fstat(descriptor, &info) }
        return info
    }

    /// `flock(2)`, e.g. `LOCK_EX | LOCK_NB`.
    public static func flock(_ descriptor: Int32, _ operation: Int32, path: SystemPath) throws {
        try checkFault("flock", path, changesFileSystem: false)
        _ = try retrying("flock", path) { systemFlock(descriptor, operation) }
    }

    // MARK: paths

    /// `stat(2)`: follows symbolic links.
    public static func stat(_ path: SystemPath) throws -> stat {
        try checkFault("stat", path, changesFileSystem: false)
        var info = Glibc.stat()
        _ = try retrying("stat", path) { withCString(path) { systemStat($0, &info) } }
        return info
    }

    /// What `stat(2)` says of the file at `path` (links followed) that changes when its content may have:
    /// the stat data git's index keeps.
    public static func stamp(_ path: SystemPath) throws -> FileStamp { FileStamp(try stat(path)) }

    /// `lstat(2)`: a symbolic link itself.
    public static func lstat(_ path: SystemPath) throws -> stat {
        try checkFault("lstat", path, changesFileSystem: false)
        var info = Glibc.stat()
        _ = try retrying("lstat", path) { withCString(path) { Glibc.lstat($0, &info) } }
        return info
    }

    /// `realpath(3)`: the absolute path with every symbolic link resolved.
    public static func realpath(_ path: SystemPath) throws -> SystemPath {
        try checkFault("realpath", path, changesFileSystem: false)
        guard let resolved = withCString(path, { Glibc.realpath($0, nil) }) else {
            throw YearbookError.system(call: "resolve", path: path, errno: errno)
        }
        defer { free(resolved) }
        return SystemPath(bytes: Array(UnsafeRawBufferPointer(start: resolved, count: strlen(resolved))))
    }

    /// The names in a folder (without `.` and `..`), as bytes, in byte order.
    public static func folderEntries(_ path: SystemPath) throws -> [[UInt8]] {
        try checkFault("opendir", path, changesFileSystem: false)
        guard let folder = withCString(path, { opendir($0) }) else {
            throw YearbookError.system(call: "list", path: path, errno: errno)
        }
        defer { closedir(folder) }
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(folder) else {
                if errno != 0 { throw YearbookError.system(call: "list", path: path, errno: errno) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    public static func mkdir(_ path: SystemPath, mode: mode_t = 0o755) throws {
        try checkFault("mkdir", path, changesFileSystem: true)
        _ = try retrying("create folder", path) { withCString(path) { Glibc.mkdir($0, mode) } }
    }

    public static func rmdir(_ path: SystemPath) throws {
        try checkFault("rmdir", path, changesFileSystem: true)
        _ = try retrying("remove folder", path) { withCString(path) { Glibc.rmdir($0) } }
    }

    public static func unlink(_ path: SystemPath) throws {
        try checkFault("unlink", path, changesFileSystem: true)
        _ = try retrying("remove", path) { withCString(path) { Glibc.unlink($0) } }
    }

    public static func symlink(target: SystemPath, at path: SystemPath) throws {
        try checkFault("symlink", path, changesFileSystem: true)
        _ = try retrying("link", path) { withCString(target) { t in withCString(path) { Glibc.symlink(t, $0) } } }
    }

    /// `rename(2)`: replaces `destination` atomically.
    public static func rename(_ source: SystemPath, to destination: SystemPath) throws {
        try checkFault("rename", source, changesFileSystem: true)
        _ = try retrying("rename", source, otherPath: destination) {
            withCString(source) { s in withCString(destination) { Glibc.rename(s, $0) } }
        }
    }

    /// Flags of `renameat2(2)` (linux/fs.h).
    public static let renameNoReplace: UInt32 = 1
    public static let renameExchange: UInt32 = 2

    /// `renameat2(2)` on paths; `renameExchange` swaps two existing names atomically.
    /// Glibc's Swift module does not declare it, so it is looked up in the C library.
    public static func renameat2(_ source: SystemPath, _ destination: SystemPath, flags: UInt32) throws {
        try checkFault("renameat2", source, changesFileSystem: true)
        guard let function = renameat2Function else {
            throw YearbookError.system(call: "rename", path: source, otherPath: destination, errno: ENOSYS)
        }
        _ = try retrying("rename", source, otherPath: destination) {
            withCString(source) { s in withCString(destination) { function(AT_FDCWD, s, AT_FDCWD, $0, flags) } }
        }
    }

    private typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameat2Function: Renameat2? = {
        guard let library = dlopen(nil, RTLD_NOW), let symbol = dlsym(library, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: Renameat2.self)
    }()
}

// `stat` and `flock` are also the names of C structs: called at file scope, the names mean the functions.
private func systemStat(_ path: UnsafePointer<CChar>, _ info: inout stat) -> Int32 { stat(path, &info) }
private func systemFlock(_ descriptor: Int32, _ operation: Int32) -> Int32 { flock(descriptor, operation) }

// MARK: whole files and folders, for the edition publisher and the target cache

extension POSIX {
    /// `link(2)`: a second name for an existing file.
    public static func link(_ existing: SystemPath, at path: SystemPath) throws {
        try checkFault("link", path, changesFileSystem: true)
        _ = try retrying("link", path) { withCString(existing) { e in withCString(path) { Glibc.link(e, $0) } } }
    }

    /// The whole of a regular file, or nil when there is none at `path`.
    public static func readFile(_ path: SystemPath) throws -> [UInt8]? {
        let descriptor: Int32
        do { descriptor = try open(path, O_RDONLY | O_NONBLOCK) } catch let error as YearbookError where error.errno == ENOENT || error.errno == ENOTDIR {
            return nil
        }
        defer { try? close(descriptor, path: path) }
        let info = try fstat(descriptor, path: path)
        guard FileKind(mode: info.st_mode) == .regular else { throw YearbookError.system(call: "read", path: path, errno: EINVAL) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: 65_536)) }
            let count = try bytes.withUnsafeMutableBytes { raw in
                try read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), path: path)
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Creates `path` with `bytes`; with `durable`, fsyncs it before closing.
    public static func writeFile(_ path: SystemPath, _ bytes: [UInt8], durable: Bool) throws {
        let descriptor = try open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
        do {
            try bytes.withUnsafeBytes { try write(descriptor, $0, path: path) }
            if durable { try fsync(descriptor, path: path) }
        } catch {
            try? close(descriptor, path: path)
            throw error
        }
        try close(descriptor, path: path)
    }

    /// Writes `path` whole or not at all: a temporary file beside it, renamed over it.
    public static func replaceFile(_ path: SystemPath, _ bytes: [UInt8], durable: Bool) throws {
        let temporary = SystemPath(bytes: path.bytes + Array(".\(getpid()).tmp".utf8))
        do {
            try writeFile(temporary, bytes, durable: durable)
            try rename(temporary, to: path)
        } catch {
            try? unlink(temporary)
            throw error
        }
    }

    /// `replaceFile` for a file written in pieces by `write`: a large one is never held whole in memory.
    public static func replaceFile(_ path: SystemPath, durable: Bool, writing write: (BufferedFileWriter) throws -> Void) throws {
        let temporary = SystemPath(bytes: path.bytes + Array(".\(getpid()).tmp".utf8))
        do {
            let file = try BufferedFileWriter(creating: temporary)
            try write(file)
            try file.close(durable: durable)
            try rename(temporary, to: path)
        } catch {
            try? unlink(temporary)
            throw error
        }
    }

    /// The kind of file at `path` (a symbolic link itself), nil when nothing is there.
    public static func kind(_ path: SystemPath) -> FileKind? {
        (try? lstat(path)).map { FileKind(mode: $0.st_mode) }
    }

    /// Whether anything is at `path`, following symbolic links (a dangling link is nothing).
    public static func exists(_ path: SystemPath) -> Bool { (try? stat(path)) != nil }

    /// The regular files under `folder` and its subfolders, as paths relative to it,
    /// each folder's entries in byte order; symbolic links are not followed.
    public static func regularFiles(under folder: SystemPath) throws -> [String] {
        var files: [String] = []
        func walk(_ here: SystemPath, _ relative: String) throws {
            for entry in try folderEntries(here) {
                let name = String(decoding: entry, as: UTF8.self)
                let path = relative.isEmpty ? name : relative + "/" + name
                switch kind(here.appending(entry)) {
                case .folder?: try walk(here.appending(entry), path)
                case .regular?: files.append(path)
                default: break
                }
            }
        }
        try walk(folder, "")
        return files
    }

    /// The current working folder (`getcwd`).
    public static func currentFolder() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { throw YearbookError.system(call: "getcwd", path: ".", errno: errno) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `mkdir -p`.
    public static func makeFolders(_ path: SystemPath) throws {
        if kind(path) == .folder { return }
        let parent = path.parent
        if !parent.bytes.isEmpty, parent != path { try makeFolders(parent) }
        do { try mkdir(path) } catch let error as YearbookError where error.errno == EEXIST {}
    }

    /// Removes a folder and everything in it (only folders the tool made: the edition
    /// publisher's staging and retired editions, the target cache).
    public static func removeTree(_ path: SystemPath) throws {
        guard let kind = kind(path) else { return }
        if kind != .folder { return try unlink(path) }
        for name in try folderEntries(path) {
            try removeTree(SystemPath(bytes: path.bytes + [UInt8(ascii: "/")] + name))
        }
        try rmdir(path)
    }

    /// CPU time (user and system) the calling thread has used, in nanoseconds: what a target
    /// costs on a machine busy with other work, where its wall time says little.
    public static func threadCPUTime() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The wall clock as the kernel stamps files with it (`CLOCK_REALTIME_COARSE`), in nanoseconds since 1970:
    /// never ahead of the time a file changed after it is read, as the precise clock can be.
    public static func fileSystemClock() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// How this process's allocator keeps memory, set once at start (glibc; elsewhere the defaults).
    /// Buffers of 1 MiB and more (a national build's reports) are mapped on their own and given back
    /// when freed: glibc would otherwise raise that threshold after the first such free and keep them
    /// resident (a national build's peak RSS: 218 MB without, 189 MB with). Smaller frees at the top of
    /// a heap are kept for the next allocation, where glibc gives back any 128 KB at once: a build
    /// allocates and frees a file's buffers 1,240 times, and each give-back flushed the other core's
    /// TLB and had the kernel zero the pages again (14% of a 300-county build's CPU was the kernel's).
    public static func configureAllocator() {
        #if canImport(Glibc)
        _ = mallopt(mallocMmapThreshold, 1 << 20)
        _ = mallopt(mallocTrimThreshold, 64 << 20)
        _ = mallopt(mallocTopPad, 4 << 20)
        #endif
    }

    /// Runs `handler` (on a queue of its own) when one of `signals` arrives, instead of the default action.
    public static func onSignals(_ signals: [Int32], _ handler: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
        signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue(label: "yearbook.signal.\(number)"))
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }
}

#if canImport(Glibc)
// <malloc.h> is not in Swift's Glibc module, hence the declaration and glibc's parameter numbers.
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let mallocTrimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
private let mallocTopPad: Int32 = -2  // M_TOP_PAD
private let mallocMmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
#endif
