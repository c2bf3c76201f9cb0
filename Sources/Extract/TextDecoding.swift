#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings county systems export in.
public enum TextEncoding: String, Sendable {
    case utf8BOM = "UTF-8 with BOM"
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"
}

/// Decodes GB18030 with glibc's iconv. This type is the one home of iconv's raw calls.
public final class GB18030Decoder {
    private let descriptor: iconv_t
    private var output = [UInt8](repeating: 0, count: 1024)

    public init() {
        descriptor = iconv_open("UTF-8", "GB18030")
        precondition(descriptor != iconv_t(bitPattern: -1), "glibc has no GB18030 converter")
    }

    deinit { iconv_close(descriptor) }

    /// nil when the bytes are not valid GB18030 (invalid or truncated sequence).
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.isEmpty { return "" }
        if output.count < bytes.count * 2 + 16 {
            output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        }
        _ = iconv(descriptor, nil, nil, nil, nil)   // reset the shift state
        var inLeft = bytes.count
        var outLeft = output.count
        let produced: Int? = output.withUnsafeMutableBufferPointer { out in
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self))
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: CChar.self)
            let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
            if result == -1 || inLeft != 0 { return nil }
            return out.count - outLeft
        }
        guard let produced else { return nil }
        return String(decoding: output[0..<produced], as: UTF8.self)
    }
}

extension TextEncoding {
    /// Whether the bytes are plain ASCII (the same in every supported encoding).
    @inline(__always)
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in bytes where b >= 0x80 { return false }
        return true
    }

    /// Strict UTF-8 decoding: nil on any invalid sequence.
    public static func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }
}

/// Checks that a byte stream is UTF-8 as it goes, chunk after chunk: a
/// sequence may continue from one chunk into the next. A file is UTF-8 only if
/// all of it is, so a reader guessing UTF-8 must see every byte, including
/// the columns it ignores.
public struct UTF8Validator: Sendable {
    /// Continuation bytes still expected, and the range the next one must lie in
    /// (narrower after E0, ED, F0 and F4: no overlong forms, surrogates or values past U+10FFFF).
    private var expected = 0
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF
    public private(set) var isValid = true
    /// Bytes checked before the current chunk, and where the sequence under way began.
    private var checked = 0
    private var sequenceStart = 0
    /// Offset from the stream's start of the first byte of the first invalid sequence.
    public private(set) var invalidOffset: Int?

    public init() {}

    public mutating func check(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard isValid, let start = bytes.baseAddress else { return }
        defer { checked += bytes.count }
        var p = start
        let end = p + bytes.count
        while p < end {
            if expected == 0 {
                // ASCII runs 32 bytes at a time, then eight: most rosters are nearly all ASCII.
                while end - p >= 32 {
                    let raw = UnsafeRawPointer(p)
                    let any = raw.loadUnaligned(as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                        | raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                    if any & 0x8080_8080_8080_8080 != 0 { break }
                    p += 32
                }
                while end - p >= 8, UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    p += 8
                }
                if p == end { break }
            }
            let b = p.pointee
            p += 1
            if expected > 0 {
                guard b >= low && b <= high else { return fail(at: sequenceStart) }
                expected -= 1
                low = 0x80
                high = 0xBF
                continue
            }
            if b >= 0x80 { sequenceStart = checked + (p - start) - 1 }
            switch b {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: expected = 1
            case 0xE0: expected = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: expected = 2
            case 0xED: expected = 2; high = 0x9F
            case 0xF0: expected = 3; low = 0x90
            case 0xF1...0xF3: expected = 3
            case 0xF4: expected = 3; high = 0x8F
            default: return fail(at: sequenceStart)
            }
        }
    }

    private mutating func fail(at offset: Int) {
        isValid = false
        invalidOffset = offset
    }

    /// At the end of the stream: a sequence cut short is not UTF-8.
    public mutating func finish() {
        if isValid, expected > 0 { fail(at: sequenceStart) }
    }
}

/// Checks that a byte stream is GB18030 as it goes, as `UTF8Validator` does
/// for UTF-8: one byte 00-7F; two bytes 81-FE then 40-7E or 80-FE; four bytes
/// 81-FE 30-39 81-FE 30-39 within the ranges the standard assigns (glibc's
/// iconv refuses the others).
public struct GB18030Validator: Sendable {
    /// How many bytes of the sequence under way were read (0: between characters), and the first three.
    private var pending = 0
    private var first: UInt8 = 0, second: UInt8 = 0, third: UInt8 = 0
    public private(set) var isValid = true
    private var checked = 0
    private var sequenceStart = 0
    /// Offset from the stream's start of the first byte of the first invalid sequence.
    public private(set) var invalidOffset: Int?

    public init() {}

    /// A four-byte sequence's place in the GB18030 code space (0 = 81 30 81 30).
    private static func linear(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) -> Int {
        ((Int(b0) - 0x81) * 10 + Int(b1) - 0x30) * 1260 + (Int(b2) - 0x81) * 10 + Int(b3) - 0x30
    }

    /// The assigned four-byte ranges: the rest of the BMP, and U+10000 to U+10FFFF.
    private static let basicPlane = 0...linear(0x84, 0x31, 0xA4, 0x39)
    private static let supplementaryPlanes = linear(0x90, 0x30, 0x81, 0x30)...linear(0xE3, 0x32, 0x9A, 0x35)

    public mutating func check(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard isValid, let start = bytes.baseAddress else { return }
        defer { checked += bytes.count }
        var p = start
        let end = p + bytes.count
        while p < end {
            if pending == 0 {
                while end - p >= 8, UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    p += 8
                }
                if p == end { break }
            }
            let b = p.pointee
            p += 1
            switch pending {
            case 0:
                if b < 0x80 { continue }
                sequenceStart = checked + (p - start) - 1
                guard b >= 0x81 && b <= 0xFE else { return fail() }
                first = b
                pending = 1
            case 1:
                if (0x40...0x7E).contains(b) || (0x80...0xFE).contains(b) {
                    pending = 0
                } else if (0x30...0x39).contains(b) {
                    second = b
                    pending = 2
                } else {
                    return fail()
                }
            case 2:
                guard b >= 0x81 && b <= 0xFE else { return fail() }
                third = b
                pending = 3
            default:
                guard (0x30...0x39).contains(b) else { return fail() }
                let place = GB18030Validator.linear(first, second, third, b)
                guard GB18030Validator.basicPlane.contains(place) || GB18030Validator.supplementaryPlanes.contains(place) else {
                    return fail()
                }
                pending = 0
            }
        }
    }

    private mutating func fail() {
        isValid = false
        invalidOffset = sequenceStart
    }

    /// At the end of the stream: a sequence cut short is not GB18030.
    public mutating func finish() {
        if isValid, pending > 0 { fail() }
    }
}

extension TextEncoding {
    /// The wide Unicode encoding (UTF-16 or UTF-32, either byte order) that the
    /// start of a file is in, by its byte order mark or, without one, by where
    /// its NUL bytes fall: in UTF-16LE an ASCII character (a comma at least) is
    /// followed by a NUL, never preceded.
    /// nil for a file in a byte encoding (UTF-8, GB18030), which has no NUL.
    public static func wideEncoding(ofStart bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return "UTF-32LE" }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return "UTF-32BE" }
        if bytes.starts(with: [0xFF, 0xFE]) { return "UTF-16LE" }
        if bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16BE" }
        let sample = bytes.prefix(4096)
        guard sample.count >= 4, sample.contains(0) else { return nil }
        // NUL bytes per position within each group of four.
        var nuls = [0, 0, 0, 0], counts = [0, 0, 0, 0]
        for (index, byte) in sample.enumerated() {
            counts[index % 4] += 1
            if byte == 0 { nuls[index % 4] += 1 }
        }
        func mostly(_ positions: [Int]) -> Bool { positions.allSatisfy { nuls[$0] * 10 >= counts[$0] * 9 } }
        func rarely(_ positions: [Int]) -> Bool { positions.allSatisfy { nuls[$0] * 10 < counts[$0] } }
        // UTF-32: the two high bytes of every character NUL (Chinese too), the lowest seldom.
        if mostly([2, 3]) && rarely([0]) { return "UTF-32LE" }
        if mostly([0, 1]) && rarely([3]) { return "UTF-32BE" }
        // UTF-16: a NUL beside every ASCII character (commas at least), on one side only.
        let odd = nuls[1] + nuls[3], even = nuls[0] + nuls[2]
        if even * 10 < odd { return "UTF-16LE" }
        if odd * 10 < even { return "UTF-16BE" }
        return nil
    }
}

/// Decodes the fields of one file in its detected encoding. A file without a
/// BOM starts as UTF-8; the first field that is not valid UTF-8 tells that
/// the file is GB18030, and the reader of the file starts over in that encoding.
public struct FieldDecoder {
    public private(set) var encoding: TextEncoding
    private let gb18030: GB18030Decoder?

    /// Thrown on the first invalid UTF-8 field of a file read as UTF-8 without a BOM.
    public struct NotUTF8: Error {
        public init() {}
    }

    /// Whether an invalid field of a BOM-less UTF-8 reading throws `NotUTF8` (a guess to give up) or is nil
    /// (a file valid in no encoding, read as UTF-8 by choice: the field's row is rejected).
    private let guessing: Bool

    public init(encoding: TextEncoding, guessing: Bool = true) {
        self.encoding = encoding
        self.guessing = guessing
        gb18030 = encoding == .gb18030 ? GB18030Decoder() : nil
    }

    /// The field as text. Throws `NotUTF8` when a UTF-8 guess (with or without a BOM) turns
    /// out wrong; nil when the bytes are invalid in the file's settled encoding.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> String? {
        if TextEncoding.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        switch encoding {
        case .utf8:
            guard let text = TextEncoding.decodeUTF8(bytes) else {
                if guessing { throw NotUTF8() }
                return nil
            }
            return text
        case .utf8BOM:
            guard let text = TextEncoding.decodeUTF8(bytes) else {
                if guessing { throw NotUTF8() }
                return nil
            }
            return text
        case .gb18030:
            return gb18030!.decode(bytes)
        }
    }

    /// The bytes as readable text whatever they hold (invalid bytes as U+FFFD),
    /// for reports of rejected rows.
    public func lossy(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let text = try? decode(bytes) { return text }
        if encoding == .gb18030, let decoder = gb18030 {
            // Character by character: ASCII, else a 2- or 4-byte sequence, else U+FFFD.
            var result = ""
            var i = 0
            while i < bytes.count {
                if bytes[i] < 0x80 {
                    result.unicodeScalars.append(Unicode.Scalar(bytes[i]))
                    i += 1
                    continue
                }
                var decoded = false
                for length in [2, 4] where i + length <= bytes.count {
                    if let text = decoder.decode(UnsafeBufferPointer(rebasing: bytes[i..<(i + length)])) {
                        result += text
                        i += length
                        decoded = true
                        break
                    }
                }
                if !decoded {
                    result += "\u{FFFD}"
                    i += 1
                }
            }
            return result
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
