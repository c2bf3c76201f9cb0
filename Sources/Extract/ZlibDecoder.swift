import CZlib

/// zlib's inflate of raw deflate data. This file is the one home of zlib's raw calls.
final class ZlibDecoder: DeflateDecoder {
    private var stream = z_stream()
    private var started = false
    private var failure: String?

    init() {
        if yearbook_inflate_init_raw(&stream) == Z_OK { started = true } else { failure = "cannot start gzip inflation" }
    }

    deinit {
        if started { inflateEnd(&stream) }
    }

    var inflater: Inflater { .zlib }

    func reset() {
        if started { inflateReset(&stream) }
    }

    func inflate(_ input: inout CompressedInput, into output: UnsafeMutablePointer<UInt8>, capacity: Int) -> (Int, DecodeOutcome) {
        if let failure { return (0, .failed(failure)) }
        stream.next_in = input.next
        stream.avail_in = uInt(input.count)
        stream.next_out = output
        stream.avail_out = uInt(min(capacity, Int(UInt32.max)))
        let status = CZlib.inflate(&stream, Z_NO_FLUSH)
        let produced = stream.next_out - output
        input.next = stream.next_in
        input.count = Int(stream.avail_in)
        switch status {
        case Z_OK, Z_BUF_ERROR: return (produced, .going)
        case Z_STREAM_END: return (produced, .finished(unconsumed: []))
        case Z_DATA_ERROR: return (produced, .failed(stream.msg.map { String(cString: $0) } ?? "invalid data"))
        case Z_MEM_ERROR: return (produced, .failed("out of memory while inflating"))
        default: return (produced, .failed("gzip error \(status)"))
        }
    }
}

/// Whole-buffer raw deflate and inflate, for a zip entry rewritten in place (the workbook's document
/// properties): zlib's calls stay here, beside the streaming decoder.
public enum RawDeflate {
    /// The CRC-32 a zip entry records of its uncompressed bytes.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    /// `size` bytes inflated from `packed`; nil unless the data ends exactly there.
    public static func inflate(_ packed: [UInt8], size: Int) -> [UInt8]? {
        var stream = z_stream()
        guard yearbook_inflate_init_raw(&stream) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(size, 1))
        let result = finish(&stream, input: packed, into: &output) { CZlib.inflate(&$0, Z_FINISH) }
        guard result == Z_STREAM_END, Int(stream.total_out) == size else { return nil }
        return Array(output[0..<size])
    }

    /// Raw deflate (no zlib or gzip framing) at `level`.
    public static func deflate(_ plain: [UInt8], level: Int32) -> [UInt8]? {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(plain.count))) + 16)
        let result = finish(&stream, input: plain, into: &output) { CZlib.deflate(&$0, Z_FINISH) }
        guard result == Z_STREAM_END else { return nil }
        return Array(output[0..<Int(stream.total_out)])
    }

    /// Runs one whole-buffer `call` (inflate or deflate with Z_FINISH) from `input` into `output`.
    private static func finish(_ stream: inout z_stream, input: [UInt8], into output: inout [UInt8],
                               _ call: (inout z_stream) -> Int32) -> Int32 {
        var input = input
        return input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return call(&stream)
            }
        }
    }
}
