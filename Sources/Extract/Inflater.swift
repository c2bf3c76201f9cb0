#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The deflate decoder behind `GzipByteStream`: ISA-L where the build found it
/// (several times faster), zlib everywhere. Both give the same bytes; on any
/// failure ISA-L's reading is redone by zlib, so an error is always zlib's.
public enum Inflater: String, Sendable, CaseIterable {
    case isal, zlib

    /// The decoders this build has.
    public static var available: [Inflater] {
        #if YEARBOOK_ISAL
        return [.isal, .zlib]
        #else
        return [.zlib]
        #endif
    }

    /// ISA-L when the build has it, unless the environment says `YEARBOOK_INFLATE=zlib`
    /// (one binary benchmarked both ways).
    public static let preferred: Inflater = {
        if let chosen = getenv("YEARBOOK_INFLATE").map({ String(cString: $0) }),
           let inflater = Inflater(rawValue: chosen), available.contains(inflater) {
            return inflater
        }
        return available[0]
    }()

    func makeDecoder() -> DeflateDecoder {
        #if YEARBOOK_ISAL
        if self == .isal { return ISALDecoder() }
        #endif
        return ZlibDecoder()
    }
}

/// Compressed bytes not yet given to a decoder.
struct CompressedInput {
    var next: UnsafeMutablePointer<UInt8>?
    var count = 0
}

/// How a call to a decoder ended.
enum DecodeOutcome {
    /// More input or more room for output is needed.
    case going
    /// The deflate data ended; `unconsumed` are bytes after it the decoder had taken from the input.
    case finished(unconsumed: [UInt8])
    case failed(String)
}

/// Raw deflate data (RFC 1951), member by member; the gzip framing is GzipByteStream's.
protocol DeflateDecoder: AnyObject {
    var inflater: Inflater { get }
    /// Starts over for the next member's data.
    func reset()
    /// Inflates from `input` (advanced past what was read) into `output`; returns the bytes written.
    func inflate(_ input: inout CompressedInput, into output: UnsafeMutablePointer<UInt8>, capacity: Int) -> (Int, DecodeOutcome)
}
