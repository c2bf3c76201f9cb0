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
