#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written front to back through a bounded buffer, for files too large
/// to hold whole (millions of rejected rows). Its calls go through `POSIX`.
public final class BufferedFileWriter {
    public static let bufferSize = 64 << 10

    public let path: SystemPath
    private var descriptor: Int32?
    private var buffer: [UInt8] = []
    /// Bytes handed to `write` so far (buffered or on disk).
    public private(set) var count = 0

    /// Creates `path` (or empties it).
    public init(creating path: SystemPath) throws {
        self.path = path
        descriptor = try POSIX.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { abandon() }

    public func write<Bytes: Collection>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        count += bytes.count
        if buffer.count >= Self.bufferSize { try flush() }
    }

    private func flush() throws {
        guard let descriptor, !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try POSIX.write(descriptor, $0, path: path) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file; with `durable`, fsyncs it first.
    public func close(durable: Bool = false) throws {
        guard let open = descriptor else { return }
        do {
            try flush()
            if durable { try POSIX.fsync(open, path: path) }
        } catch {
            abandon()
            throw error
        }
        descriptor = nil
        try POSIX.close(open, path: path)
    }

    /// Closes and removes the file: what it holds is not wanted.
    public func abandon() {
        guard let open = descriptor else { return }
        descriptor = nil
        try? POSIX.close(open, path: path)
        try? POSIX.unlink(path)
    }
}

/// A file read front to back in bounded pieces: `take(n)` gives the next `n`
/// bytes wherever the reads of the file happened to end.
public final class BufferedFileReader {
    public let path: SystemPath
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false

    /// nil when there is no file at `path`.
    public init?(path: SystemPath) throws {
        self.path = path
        do { descriptor = try POSIX.open(path, O_RDONLY) } catch let error as YearbookError where error.errno == ENOENT {
            return nil
        }
    }

    deinit { try? POSIX.close(descriptor, path: path) }

    /// The next `count` bytes; nil at the end of the file (also when fewer remain).
    public func take(_ count: Int) throws -> ArraySlice<UInt8>? {
        while buffer.count - position < count && !atEnd { try fill(atLeast: count) }
        guard buffer.count - position >= count else { return nil }
        defer { position += count }
        return buffer[position..<(position + count)]
    }

    /// The next bytes, as many as one read gives; nil at the end of the file.
    public func piece() throws -> ArraySlice<UInt8>? {
        if buffer.count == position && !atEnd { try fill(atLeast: 1) }
        guard buffer.count > position else { return nil }
        defer { position = buffer.count }
        return buffer[position...]
    }

    /// A varint as `BinaryWriter.unsigned` writes it; nil at the end of the file.
    public func unsigned() throws -> UInt64? {
        // At most ten bytes, read where they lie in the buffer (a findings file is thousands of records).
        while buffer.count - position < 10 && !atEnd { try fill(atLeast: 10) }
        var value: UInt64 = 0
        var index = position
        for shift in stride(from: UInt64(0), to: 64, by: 7) where index < buffer.count {
            let byte = buffer[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                position = index
                return value
            }
        }
        return nil
    }

    /// The next record written after its length (a varint), to decode; nil at the end of the file,
    /// also one cut short (the caller, which knows how many records there are, says so).
    public func record() throws -> BinaryReader? {
        guard let length = try unsigned(), let size = Int(exactly: length), let bytes = try take(size) else { return nil }
        return BinaryReader(Array(bytes))
    }

    private func fill(atLeast count: Int) throws {
        buffer.removeSubrange(0..<position)
        position = 0
        let filled = buffer.count
        // Room for what is asked, but at most 1 MB more per read: a length read from a damaged file
        // (2^60 bytes) grows the buffer only as far as the file really goes.
        buffer += [UInt8](repeating: 0, count: min(max(BufferedFileWriter.bufferSize, count - filled), 1 << 20))
        let read = try buffer.withUnsafeMutableBytes { raw in
            try POSIX.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), path: path)
        }
        buffer.removeSubrange((filled + read)...)
        atEnd = read == 0
    }

    /// SHA-256 and size of the file at `path`, read in bounded pieces; nil when there is none.
    public static func digestAndSize(_ path: SystemPath) throws -> (digest: String, size: Int)? {
        guard let reader = try BufferedFileReader(path: path) else { return nil }
        var hasher = SHA256()
        var size = 0
        while let piece = try reader.piece() {
            piece.withUnsafeBytes { hasher.update($0) }
            size += piece.count
        }
        return (hasher.hexDigest(), size)
    }
}
