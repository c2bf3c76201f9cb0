import CCRC32
import CZlib

/// Inflates a gzip file as a stream. This file is the one home of zlib's raw calls.
///
/// zlib inflates the raw deflate data; the gzip framing (RFC 1952) is read
/// here: each member's header, and its trailer, whose CRC-32 and length are
/// checked against the member's output (`yearbook_crc32`, several times
/// faster than zlib's). Two traps lose data silently with gzip: a truncated
/// file gives no zlib error (only an end of input before the end of the
/// data), and a file of several members must be read member after member.
/// Both are handled here.
public final class GzipByteStream: ByteStream {
    private let source: ByteStream
    private let name: String
    private let limits: ReadLimits
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var pending: [UInt8]
    private var initialized = false
    private var finished = false
    private var sourceEnded = false
    /// Where the reading is: at a member's header, in its deflate data, or after its trailer.
    private enum Place { case header, data, afterMember }
    private var place = Place.header
    /// The CRC-32 and length (modulo 2^32) of the current member's output, for its trailer.
    private var memberCRC: UInt32 = 0
    private var memberLength: UInt32 = 0
    public private(set) var decompressedBytes = 0
    public private(set) var members = 0

    public init(source: ByteStream, name: String, prefix: [UInt8], limits: ReadLimits) {
        self.source = source
        self.name = name
        self.limits = limits
        self.pending = prefix
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
    }

    public convenience init(path: String, limits: ReadLimits = .standard) throws {
        self.init(source: try FileByteStream(path: path), name: path, prefix: [], limits: limits)
    }

    deinit {
        if initialized { inflateEnd(&stream) }
        input.deallocate()
    }

    public var bytesReadFromDisk: Int { source.bytesReadFromDisk }
    public func fileDigest() -> String { source.fileDigest() }

    private var truncated: ExtractError {
        ExtractError(file: name, "truncated gzip file: the data ends before the end of the compressed stream")
    }

    private func corrupt(_ detail: String) -> ExtractError { ExtractError(file: name, "corrupt gzip data (\(detail))") }

    private func refill() throws {
        var count = 0
        if !pending.isEmpty {
            count = pending.count
            input.copyBytes(from: pending)
            pending = []
        } else {
            count = try source.read(into: input)
        }
        if count == 0 { sourceEnded = true }
        stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = uInt(count)
    }

    /// The next compressed byte; nil at the end of the file.
    private func nextByte() throws -> UInt8? {
        if stream.avail_in == 0 {
            if sourceEnded { return nil }
            try refill()
            if stream.avail_in == 0 { return nil }
        }
        let byte = stream.next_in.pointee
        stream.next_in += 1
        stream.avail_in -= 1
        return byte
    }

    /// A member's header (RFC 1952 section 2.3): checked, and skipped.
    private func readHeader() throws {
        var headerCRC: UInt32 = 0
        func byte() throws -> UInt8 {
            guard var byte = try nextByte() else { throw truncated }
            headerCRC = yearbook_crc32(headerCRC, &byte, 1)
            return byte
        }
        guard try byte() == 0x1f, try byte() == 0x8b else { throw corrupt("incorrect header check") }
        guard try byte() == 8 else { throw corrupt("unknown compression method") }
        let flags = try byte()
        if flags & 0xE0 != 0 { throw corrupt("unknown header flags set") }
        for _ in 0..<6 { _ = try byte() }  // modification time, extra flags, operating system
        if flags & 0x04 != 0 {  // extra field
            let length = Int(try byte()) | Int(try byte()) << 8
            for _ in 0..<length { _ = try byte() }
        }
        if flags & 0x08 != 0 { while try byte() != 0 {} }  // file name
        if flags & 0x10 != 0 { while try byte() != 0 {} }  // comment
        if flags & 0x02 != 0 {  // header CRC: the low 16 bits of the CRC-32 of the bytes before it
            let expected = UInt16(truncatingIfNeeded: headerCRC)
            guard let low = try nextByte(), let high = try nextByte() else { throw truncated }
            if UInt16(low) | UInt16(high) << 8 != expected { throw corrupt("header crc mismatch") }
        }
    }

    /// A member's trailer: the CRC-32 and the length of its data, both little-endian.
    private func readTrailer() throws {
        var words: [UInt32] = [0, 0]
        for index in 0..<8 {
            guard let byte = try nextByte() else { throw truncated }
            words[index / 4] |= UInt32(byte) << (8 * UInt32(index % 4))
        }
        if words[0] != memberCRC { throw corrupt("incorrect data check") }
        if words[1] != memberLength { throw corrupt("incorrect length check") }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished || buffer.count == 0 { return 0 }
        if !initialized {
            guard yearbook_inflate_init_raw(&stream) == Z_OK else {
                throw ExtractError(file: name, "cannot start gzip inflation")
            }
            initialized = true
        }
        let start = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.next_out = start
        stream.avail_out = uInt(buffer.count)
        while stream.avail_out == uInt(buffer.count) {
            switch place {
            case .afterMember:
                // More bytes after a member's trailer: the next member begins.
                guard try nextByte() != nil else {
                    finished = true
                    return 0
                }
                stream.next_in -= 1
                stream.avail_in += 1
                place = .header
            case .header:
                try readHeader()
                members += 1
                memberCRC = 0
                memberLength = 0
                place = .data
            case .data:
                if stream.avail_in == 0 {
                    try refill()
                    if stream.avail_in == 0 { throw truncated }
                }
                let before = stream.next_out!
                let status = inflate(&stream, Z_NO_FLUSH)
                let produced = stream.next_out! - before
                if produced > 0 {
                    memberCRC = yearbook_crc32(memberCRC, before, produced)
                    memberLength &+= UInt32(truncatingIfNeeded: produced)
                }
                switch status {
                case Z_OK, Z_BUF_ERROR:
                    break
                case Z_STREAM_END:
                    try readTrailer()
                    inflateReset(&stream)
                    place = .afterMember
                case Z_DATA_ERROR:
                    throw corrupt(stream.msg.map { String(cString: $0) } ?? "invalid data")
                case Z_MEM_ERROR:
                    throw ExtractError(file: name, "out of memory while inflating")
                default:
                    throw ExtractError(file: name, "gzip error \(status)")
                }
            }
        }
        let produced = buffer.count - Int(stream.avail_out)
        decompressedBytes += produced
        if decompressedBytes > limits.maxDecompressedBytes {
            throw ExtractError(file: name, "inflates to more than \(limits.maxDecompressedBytes) bytes (limit on decompressed size)")
        }
        return produced
    }
}
