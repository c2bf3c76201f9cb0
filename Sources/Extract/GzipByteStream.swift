import CZlib

/// Inflates a gzip file as a stream. This file is the one home of zlib's raw calls.
///
/// Two traps lose data silently with zlib: a truncated file gives no zlib error
/// (only an end of input before `Z_STREAM_END`), and a multi-member file needs
/// `inflateReset` after each member. Both are handled here.
public final class GzipByteStream: ByteStream {
    private let source: ByteStream
    private let name: String
    private let limits: ReadLimits
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var pending: [UInt8]
    private var initialized = false
    private var finished = false
    /// True between a member's end and the first byte of the next one.
    private var atMemberBoundary = false
    private var sourceEnded = false
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

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished || buffer.count == 0 { return 0 }
        if !initialized {
            guard yearbook_inflate_init_gzip(&stream) == Z_OK else {
                throw ExtractError(file: name, "cannot start gzip inflation")
            }
            initialized = true
            members = 1
        }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(buffer.count)
        while stream.avail_out == uInt(buffer.count) {
            if stream.avail_in == 0 {
                try refill()
                if sourceEnded {
                    if atMemberBoundary {
                        finished = true
                        return 0
                    }
                    throw ExtractError(file: name, "truncated gzip file: the data ends before the end of the compressed stream")
                }
            }
            if atMemberBoundary {
                // Bytes after a member's trailer: the next member begins.
                atMemberBoundary = false
                members += 1
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                inflateReset(&stream)
                atMemberBoundary = true
            case Z_DATA_ERROR:
                let detail = stream.msg.map { String(cString: $0) } ?? "invalid data"
                throw ExtractError(file: name, "corrupt gzip data (\(detail))")
            case Z_MEM_ERROR:
                throw ExtractError(file: name, "out of memory while inflating")
            default:
                throw ExtractError(file: name, "gzip error \(status)")
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
