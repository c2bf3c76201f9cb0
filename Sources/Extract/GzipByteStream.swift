import CCRC32
import YearbookCore

/// Inflates a gzip file as a stream. This file reads the gzip framing (RFC 1952)
/// itself: each member's header, and its trailer, whose CRC-32 and length are
/// checked against the member's output (`yearbook_crc32`, several times
/// faster than zlib's). The deflate data between them goes to a
/// `DeflateDecoder`: ISA-L where the build has it, else zlib. Two traps lose
/// data silently with gzip: a truncated file gives no decoder error (only an
/// end of input before the end of the data), and a file of several members
/// must be read member after member. Both are handled here.
///
/// When ISA-L fails in any way (its messages differ from zlib's, and it accepts
/// some malformed data zlib refuses), the file is opened again and zlib reads it
/// from the start, skipping the bytes already given out: whatever is thrown is
/// then what the zlib path throws, and what reads on is what zlib reads.
public final class GzipByteStream: ByteStream {
    private var source: ByteStream
    private let reopen: (() throws -> ByteStream)?
    private let name: String
    private let limits: ReadLimits
    private var decoder: DeflateDecoder
    private let input: UnsafeMutableRawBufferPointer
    private var compressed = CompressedInput()
    /// Framing bytes to read before the input buffer: the sniffed magic, or the
    /// start of a trailer that ISA-L had read past the end of a member's data.
    private var pending: [UInt8]
    private var finished = false
    private var sourceEnded = false
    /// Where the reading is: at a member's header, in its deflate data, or after its trailer.
    private enum Place { case header, data, afterMember }
    private var place = Place.header
    /// The CRC-32 and length (modulo 2^32) of the current member's output, for its trailer.
    private var memberCRC: UInt32 = 0
    private var memberLength: UInt32 = 0
    /// Bytes given to the caller.
    public private(set) var decompressedBytes = 0
    public private(set) var members = 0

    /// `prefix` holds the bytes already read from the start of `source`; `reopen`
    /// gives the same bytes again from the start (for zlib to redo a failed ISA-L reading).
    public init(source: ByteStream, name: String, prefix: [UInt8], limits: ReadLimits,
                inflater: Inflater = .preferred, reopen: (() throws -> ByteStream)?) {
        self.source = source
        self.reopen = reopen
        self.name = name
        self.limits = limits
        self.pending = prefix
        decoder = inflater.makeDecoder()
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
    }

    public convenience init(path: String, limits: ReadLimits = .standard, inflater: Inflater = .preferred) throws {
        self.init(source: try FileByteStream(path: path), name: path, prefix: [], limits: limits, inflater: inflater,
                  reopen: { try FileByteStream(path: path) })
    }

    deinit { input.deallocate() }

    public var bytesReadFromDisk: Int { source.bytesReadFromDisk }
    public func fileDigest() throws -> String { try source.fileDigest() }
    /// The decoder reading now (zlib after ISA-L failed on this file).
    public var inflater: Inflater { decoder.inflater }

    private var truncated: YearbookError {
        YearbookError.input(file: name, "truncated gzip file: the data ends before the end of the compressed stream")
    }

    private func corrupt(_ detail: String) -> YearbookError { YearbookError.input(file: name, "corrupt gzip data (\(detail))") }

    private func refill() throws {
        compressed.count = try source.read(into: input)
        if compressed.count == 0 { sourceEnded = true }
        compressed.next = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
    }

    /// Whether any compressed byte is left.
    private func hasInput() throws -> Bool {
        if !pending.isEmpty || compressed.count > 0 { return true }
        if sourceEnded { return false }
        try refill()
        return compressed.count > 0
    }

    /// The next compressed byte; nil at the end of the file.
    private func nextByte() throws -> UInt8? {
        if !pending.isEmpty { return pending.removeFirst() }
        if compressed.count == 0 {
            if sourceEnded { return nil }
            try refill()
            if compressed.count == 0 { return nil }
        }
        let byte = compressed.next!.pointee
        compressed.next! += 1
        compressed.count -= 1
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
        do {
            return try inflate(into: buffer)
        } catch let error as YearbookError where error.code == .input {
            guard decoder.inflater != .zlib, let reopen else { throw error }
            try restartWithZlib(reopen)
            return try inflate(into: buffer)
        }
    }

    /// Reads the file again from its start with zlib, up to the bytes already given out.
    private func restartWithZlib(_ reopen: () throws -> ByteStream) throws {
        source = try reopen()
        decoder = Inflater.zlib.makeDecoder()
        compressed = CompressedInput()
        pending = []
        finished = false
        sourceEnded = false
        place = .header
        members = 0
        let given = decompressedBytes
        decompressedBytes = 0
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { scratch.deallocate() }
        while decompressedBytes < given {
            let wanted = min(scratch.count, given - decompressedBytes)
            if try inflate(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<wanted])) == 0 {
                throw corrupt("ISA-L inflated more data than zlib finds")
            }
        }
    }

    private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished || buffer.count == 0 { return 0 }
        let start = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        // One byte past the limit at most: where the limit stops a bomb depends on
        // its data only, not on the sizes of the callers' buffers.
        // Subtracted before the one is added: the limit may be Int.max.
        let room = min(buffer.count - 1, limits.maxDecompressedBytes - decompressedBytes) + 1
        var produced = 0
        while produced == 0 {
            switch place {
            case .afterMember:
                // More bytes after a member's trailer: the next member begins.
                guard try hasInput() else {
                    finished = true
                    return 0
                }
                place = .header
            case .header:
                try readHeader()
                members += 1
                memberCRC = 0
                memberLength = 0
                decoder.reset()
                place = .data
            case .data:
                if compressed.count == 0 {
                    try refill()
                    if compressed.count == 0 { throw truncated }
                }
                let unread = compressed.count
                let (count, outcome) = decoder.inflate(&compressed, into: start + produced, capacity: room - produced)
                if count > 0 {
                    memberCRC = yearbook_crc32(memberCRC, start + produced, count)
                    memberLength &+= UInt32(truncatingIfNeeded: count)
                    produced += count
                }
                if decompressedBytes + produced > limits.maxDecompressedBytes {
                    throw YearbookError.input(file: name, "inflates to more than \(limits.maxDecompressedBytes) bytes (limit on decompressed size)")
                }
                switch outcome {
                case .going:
                    if count == 0 && compressed.count == unread { throw corrupt("the decoder makes no progress") }
                case .finished(let unconsumed):
                    pending = unconsumed  // at most 8 bytes: within the trailer
                    try readTrailer()
                    place = .afterMember
                case .failed(let detail):
                    throw corrupt(detail)
                }
            }
        }
        decompressedBytes += produced
        return produced
    }
}
