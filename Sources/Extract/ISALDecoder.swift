#if YEARBOOK_ISAL
import CIsal

/// ISA-L's inflate (`isal_inflate`) of raw deflate data. This file is the one home of ISA-L's raw calls.
final class ISALDecoder: DeflateDecoder {
    /// About 40 KB of tables and history: allocated once per file, never copied.
    private let state = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)

    init() {
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_DEFLATE)
    }

    deinit { state.deallocate() }

    var inflater: Inflater { .isal }

    func reset() {
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_DEFLATE)
    }

    func inflate(_ input: inout CompressedInput, into output: UnsafeMutablePointer<UInt8>, capacity: Int) -> (Int, DecodeOutcome) {
        state.pointee.next_in = input.next
        state.pointee.avail_in = UInt32(input.count)
        state.pointee.next_out = output
        state.pointee.avail_out = UInt32(min(capacity, Int(UInt32.max)))
        let status = isal_inflate(state)
        let produced = state.pointee.next_out - output
        input.next = state.pointee.next_in
        input.count = Int(state.pointee.avail_in)
        switch status {
        case ISAL_DECOMP_OK, ISAL_END_INPUT, ISAL_OUT_OVERFLOW:
            guard state.pointee.block_state == ISAL_BLOCK_FINISH else { return (produced, .going) }
            // isal_inflate reads up to 8 bytes ahead into its bit buffer; the whole bytes
            // past the end of the deflate data are the start of the member's trailer.
            var bits = Int(state.pointee.read_in_length)
            var pending = state.pointee.read_in >> UInt64(max(bits, 0) % 8)
            bits -= max(bits, 0) % 8
            var unconsumed: [UInt8] = []
            while bits >= 8 {
                unconsumed.append(UInt8(truncatingIfNeeded: pending))
                pending >>= 8
                bits -= 8
            }
            return (produced, .finished(unconsumed: unconsumed))
        case ISAL_INVALID_BLOCK: return (produced, .failed("invalid block"))
        case ISAL_INVALID_SYMBOL: return (produced, .failed("invalid symbol"))
        case ISAL_INVALID_LOOKBACK: return (produced, .failed("invalid distance too far back"))
        default: return (produced, .failed("isal_inflate error \(status)"))
        }
    }
}
#endif
