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

    public init() {}

    public mutating func check(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard isValid, var p = bytes.baseAddress else { return }
        let end = p + bytes.count
        while p < end {
            if expected == 0 {
                // ASCII runs eight bytes at a time: most rosters are nearly all ASCII.
                while end - p >= 8, UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    p += 8
                }
                if p == end { break }
            }
            let b = p.pointee
            p += 1
            if expected > 0 {
                guard b >= low && b <= high else { isValid = false; return }
                expected -= 1
                low = 0x80
                high = 0xBF
                continue
            }
            switch b {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: expected = 1
            case 0xE0: expected = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: expected = 2
            case 0xED: expected = 2; high = 0x9F
            case 0xF0: expected = 3; low = 0x90
            case 0xF1...0xF3: expected = 3
            case 0xF4: expected = 3; high = 0x8F
            default: isValid = false; return
            }
        }
    }

    /// At the end of the stream: a sequence cut short is not UTF-8.
    public mutating func finish() {
        if expected > 0 { isValid = false }
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

    public init(encoding: TextEncoding) {
        self.encoding = encoding
        gb18030 = encoding == .gb18030 ? GB18030Decoder() : nil
    }

    /// The field as text. Throws `NotUTF8` when a BOM-less UTF-8 guess turns out
    /// wrong; nil when the bytes are invalid in the file's settled encoding.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> String? {
        if TextEncoding.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        switch encoding {
        case .utf8:
            guard let text = TextEncoding.decodeUTF8(bytes) else { throw NotUTF8() }
            return text
        case .utf8BOM:
            return TextEncoding.decodeUTF8(bytes)
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
