#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import YearbookCore

/// A source of bytes read in chunks: a plain file, or a gzip file inflated on
/// the fly. Nothing is ever read whole into memory.
public protocol ByteStream: AnyObject {
    /// Fills `buffer` from the start and returns the number of bytes written;
    /// 0 means the end of the stream. Throws an input `YearbookError` naming the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes consumed from the file on disk so far.
    var bytesReadFromDisk: Int { get }
    /// SHA-256 of the bytes consumed from the file on disk (the whole file once read to the end).
    /// A file opened with its `KnownContent` is not hashed: its digest is the known one, and
    /// this throws an input error when the file is no longer the one that was hashed.
    func fileDigest() throws -> String
}

/// A file's SHA-256 as the build found it before reading it, with the file's stamp then: the
/// file is not hashed a second time as it is read, and its stamp once read says whether it is
/// still the file that was hashed (an edit moves its size or times; a file renamed over it is
/// another inode, while the open descriptor still reads the old one).
public struct KnownContent: Sendable, Equatable {
    public var digest: String
    public var stamp: FileStamp

    public init(digest: String, stamp: FileStamp) {
        self.digest = digest
        self.stamp = stamp
    }

    /// The error for a file whose stamp is no longer `stamp`.
    public func changed(_ name: String) -> YearbookError {
        YearbookError.input(file: name, "changed while this build read it (its size or times are not those it had when the build "
                            + "hashed it): build again once the file is complete")
    }
}

/// Limits that keep hostile inputs from exhausting memory or time.
public struct ReadLimits: Sendable, Equatable {
    /// Most bytes a single file may inflate to (a decompression bomb stops here).
    public var maxDecompressedBytes: Int
    /// Longest CSV record, in bytes (an endless line stops here).
    public var maxRecordBytes: Int

    public init(maxDecompressedBytes: Int = 8 << 30, maxRecordBytes: Int = 1 << 20) {
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxRecordBytes = maxRecordBytes
    }

    public static let standard = ReadLimits()
}

/// A file on disk read with POSIX `read`, unbuffered: callers read in large chunks.
/// Only a regular file is read: a FIFO, socket, device or folder is refused by name.
public final class FileByteStream: ByteStream {
    public let path: SystemPath
    private var descriptor: Int32
    public private(set) var bytesReadFromDisk = 0
    private var hasher = SHA256()
    private let known: KnownContent?

    public convenience init(path: String) throws { try self.init(systemPath: SystemPath(path)) }

    /// `known`: the file's digest as the build found it (then its bytes are not hashed as they are read).
    public init(systemPath path: SystemPath, known: KnownContent? = nil) throws {
        self.path = path
        self.known = known
        // Without O_NONBLOCK, opening a FIFO waits for a writer forever; with it, the open returns and fstat refuses it.
        do {
            descriptor = try POSIX.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
        } catch let error as YearbookError where error.code == .system {
            // A socket cannot be opened at all (ENXIO): say what it is.
            if let info = try? POSIX.stat(path), FileKind(mode: info.st_mode) != .regular {
                throw FileByteStream.notRegular(path, FileKind(mode: info.st_mode))
            }
            throw YearbookError.input(file: path.description, "cannot open", cause: error.cause)
        }
        let kind = (try? POSIX.fstat(descriptor, path: path)).map { FileKind(mode: $0.st_mode) } ?? .unknown
        if kind != .regular {
            try? POSIX.close(descriptor, path: path)
            descriptor = -1
            throw FileByteStream.notRegular(path, kind)
        }
    }

    static func notRegular(_ path: SystemPath, _ kind: FileKind) -> YearbookError {
        YearbookError.input(file: path.description, "cannot read: is \(kind.rawValue), not a regular file")
    }

    deinit {
        if descriptor >= 0 { try? POSIX.close(descriptor, path: path) }
    }

    public func fileDigest() throws -> String {
        if let known {
            guard FileStamp(try POSIX.fstat(descriptor, path: path)) == known.stamp else { throw known.changed(path.description) }
            return known.digest
        }
        var copy = hasher
        return copy.hexDigest()
    }

    /// The bytes of a whole (regular) file, e.g. a definition file: never waits on a FIFO.
    public static func contents(path: String) throws -> [UInt8] {
        let file = try FileByteStream(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try file.read(into: $0) }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// SHA-256 of a whole file, read in chunks.
    public static func digest(path: String) throws -> String { try digest(systemPath: SystemPath(path)) }

    public static func digest(systemPath path: SystemPath) throws -> String { try digestAndSize(systemPath: path).digest }

    /// SHA-256 and size of a whole file, in one read.
    public static func digestAndSize(systemPath path: SystemPath) throws -> (digest: String, size: Int) {
        let file = try FileByteStream(systemPath: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 1)
        defer { buffer.deallocate() }
        while try file.read(into: buffer) > 0 {}
        return (try file.fileDigest(), file.bytesReadFromDisk)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count: Int
        do { count = try POSIX.read(descriptor, into: buffer, path: path) } catch let error as YearbookError where error.code == .system {
            throw YearbookError.input(file: path.description, "cannot read", cause: error.cause)
        }
        bytesReadFromDisk += count
        if known == nil { hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
        return count
    }
}

/// Opens `path` for reading, inflating it when it starts with the gzip magic
/// bytes (whatever its name says), so a `.xml.gz` and a `.xml` read alike.
public func openByteStream(path: String, limits: ReadLimits = .standard, inflater: Inflater = .preferred) throws -> ByteStream {
    try openByteStream(systemPath: SystemPath(path), limits: limits, inflater: inflater)
}

/// `known`: the file's digest as the build found it (see `KnownContent`).
public func openByteStream(systemPath path: SystemPath, limits: ReadLimits = .standard, inflater: Inflater = .preferred,
                           known: KnownContent? = nil) throws -> ByteStream {
    let file = try FileByteStream(systemPath: path, known: known)
    var magic = [UInt8](repeating: 0, count: 2)
    let got = try magic.withUnsafeMutableBytes { try file.read(into: $0) }
    let prefix = Array(magic.prefix(got))
    if prefix == [0x1f, 0x8b] {
        return GzipByteStream(source: file, name: path.description, prefix: prefix, limits: limits, inflater: inflater,
                              reopen: { try FileByteStream(systemPath: path, known: known) })
    }
    if path.bytes.suffix(3).elementsEqual(".gz".utf8) {
        throw YearbookError.input(file: path.description, "not a gzip file (no gzip magic bytes)")
    }
    return PrefixedByteStream(source: file, prefix: prefix)
}

/// Replays bytes already read (the sniffed magic) before the rest of a stream.
final class PrefixedByteStream: ByteStream {
    private let source: ByteStream
    private var prefix: [UInt8]

    init(source: ByteStream, prefix: [UInt8]) {
        self.source = source
        self.prefix = prefix
    }

    var bytesReadFromDisk: Int { source.bytesReadFromDisk }
    func fileDigest() throws -> String { try source.fileDigest() }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !prefix.isEmpty {
            let count = min(prefix.count, buffer.count)
            buffer.copyBytes(from: prefix[0..<count])
            prefix.removeFirst(count)
            return count
        }
        return try source.read(into: buffer)
    }
}

/// Bytes already in memory, read as a stream (tests and fuzzing).
public final class MemoryByteStream: ByteStream {
    private let bytes: [UInt8]
    private var position = 0
    private var hasher = SHA256()

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var bytesReadFromDisk: Int { position }

    public func fileDigest() -> String {
        var copy = hasher
        return copy.hexDigest()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - position)
        if count > 0 {
            bytes.withUnsafeBytes { all in
                let slice = UnsafeRawBufferPointer(rebasing: all[position..<(position + count)])
                buffer.copyMemory(from: slice)
                hasher.update(slice)
            }
            position += count
        }
        return count
    }

    /// Like `openByteStream`: inflates when the bytes start with the gzip magic.
    public static func opening(_ bytes: [UInt8], name: String, limits: ReadLimits = .standard,
                               inflater: Inflater = .preferred) -> ByteStream {
        let memory = MemoryByteStream(bytes)
        if bytes.starts(with: [0x1f, 0x8b]) {
            return GzipByteStream(source: memory, name: name, prefix: [], limits: limits, inflater: inflater,
                                  reopen: { MemoryByteStream(bytes) })
        }
        return memory
    }
}
