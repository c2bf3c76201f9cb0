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
    /// 0 means the end of the stream. Throws `ExtractError` naming the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes consumed from the file on disk so far.
    var bytesReadFromDisk: Int { get }
    /// SHA-256 of the bytes consumed from the file on disk (the whole file once read to the end).
    func fileDigest() -> String
}

/// An error that stops the reading of one file: it names the file, and the
/// line or element where one is known.
public struct ExtractError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
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
public final class FileByteStream: ByteStream {
    public let path: String
    private var descriptor: Int32
    public private(set) var bytesReadFromDisk = 0
    private var hasher = SHA256()

    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        if descriptor < 0 {
            throw ExtractError(file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            descriptor = -1
            throw ExtractError(file: path, "cannot read: is a folder")
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    public func fileDigest() -> String {
        var copy = hasher
        return copy.hexDigest()
    }

    /// SHA-256 of a whole file, read in chunks.
    public static func digest(path: String) throws -> String {
        let file = try FileByteStream(path: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 1)
        defer { buffer.deallocate() }
        while try file.read(into: buffer) > 0 {}
        return file.fileDigest()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                bytesReadFromDisk += count
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                return count
            }
            if errno == EINTR { continue }
            throw ExtractError(file: path, "cannot read: \(String(cString: strerror(errno)))")
        }
    }
}

/// Opens `path` for reading, inflating it when it starts with the gzip magic
/// bytes (whatever its name says), so a `.xml.gz` and a `.xml` read alike.
public func openByteStream(path: String, limits: ReadLimits = .standard) throws -> ByteStream {
    let file = try FileByteStream(path: path)
    var magic = [UInt8](repeating: 0, count: 2)
    let got = try magic.withUnsafeMutableBytes { try file.read(into: $0) }
    let prefix = Array(magic.prefix(got))
    if prefix == [0x1f, 0x8b] {
        return GzipByteStream(source: file, name: path, prefix: prefix, limits: limits)
    }
    if path.hasSuffix(".gz") {
        throw ExtractError(file: path, "not a gzip file (no gzip magic bytes)")
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
    func fileDigest() -> String { source.fileDigest() }

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
    public static func opening(_ bytes: [UInt8], name: String, limits: ReadLimits = .standard) -> ByteStream {
        let memory = MemoryByteStream(bytes)
        if bytes.starts(with: [0x1f, 0x8b]) { return GzipByteStream(source: memory, name: name, prefix: [], limits: limits) }
        return memory
    }
}
