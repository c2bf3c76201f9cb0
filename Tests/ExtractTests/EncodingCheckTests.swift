import Extract
import Foundation
import Testing
import YearbookTestSupport

/// Where a file stops being UTF-8 or GB18030, and which wide Unicode encoding
/// a file is in: what the roster reader names when it diagnoses an encoding.
@Suite struct EncodingCheckTests {
    func firstNotUTF8(_ chunks: [[UInt8]]) -> Int? {
        var validator = UTF8Validator()
        for chunk in chunks { chunk.withUnsafeBufferPointer { validator.check($0) } }
        validator.finish()
        return validator.invalidOffset
    }

    func firstNotGB18030(_ chunks: [[UInt8]]) -> Int? {
        var validator = GB18030Validator()
        for chunk in chunks { chunk.withUnsafeBufferPointer { validator.check($0) } }
        validator.finish()
        return validator.invalidOffset
    }

    @Test func theOffsetIsWhereTheInvalidSequenceStartsAcrossChunks() {
        #expect(firstNotUTF8([Array("城市,ok".utf8)]) == nil)
        #expect(firstNotUTF8([Array("abcdefgh".utf8) + [0xE5, 0x9F], [0x41]]) == 8)
        #expect(firstNotUTF8([Array("abc".utf8), [0xFF]]) == 3)
        #expect(firstNotUTF8([Array("ab".utf8) + [0xE5]]) == 2)
        #expect(firstNotGB18030([gb18030("城市,在保,𠀀")]) == nil)
        #expect(firstNotGB18030([Array("abcdefgh".utf8) + [0xB3], [0x2C]]) == 8)
        #expect(firstNotGB18030([Array("abc".utf8), [0xFF]]) == 3)
        #expect(firstNotGB18030([[0x41, 0xB3]]) == 1)
    }

    /// The structural check agrees with glibc's iconv on the edges of the four-byte ranges.
    @Test func gb18030AgreesWithIconvOnTheEdges() {
        let decoder = GB18030Decoder()
        let cases: [[UInt8]] = [
            [0x80], [0xFF], [0xA1, 0x7F], [0xA1, 0x40], [0x81, 0x30, 0x81, 0x30], [0x84, 0x31, 0xA4, 0x39], [0x84, 0x31, 0xA5, 0x30],
            [0x90, 0x30, 0x81, 0x30], [0xE3, 0x32, 0x9A, 0x35], [0xE3, 0x32, 0x9A, 0x36], [0xFE, 0x39, 0xFE, 0x39], [0x81, 0x30, 0x20],
        ]
        for bytes in cases {
            let decoded = bytes.withUnsafeBufferPointer { decoder.decode($0) } != nil
            #expect((firstNotGB18030([bytes]) == nil) == decoded, "\(bytes)")
        }
    }

    func wide(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBufferPointer { TextEncoding.wideEncoding(ofStart: $0) } }

    @Test func utf16AndUTF32AreToldByTheirBOMOrTheirNULBytes() {
        let ascii = "household_id,area_code\n", chinese = "户编号,行政区划代码,城乡类别\n"
        func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
            text.utf16.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        }
        func utf32(_ text: String, bigEndian: Bool) -> [UInt8] {
            text.unicodeScalars.flatMap { scalar in
                let bytes = (0..<4).map { UInt8((scalar.value >> (8 * $0)) & 0xFF) }
                return bigEndian ? bytes.reversed() : bytes
            }
        }
        #expect(wide([0xFF, 0xFE] + utf16(ascii, bigEndian: false)) == "UTF-16LE")
        #expect(wide([0xFE, 0xFF] + utf16(ascii, bigEndian: true)) == "UTF-16BE")
        #expect(wide([0xFF, 0xFE, 0, 0] + utf32(ascii, bigEndian: false)) == "UTF-32LE")
        #expect(wide([0, 0, 0xFE, 0xFF] + utf32(ascii, bigEndian: true)) == "UTF-32BE")
        for text in [ascii, chinese] {
            #expect(wide(utf16(text, bigEndian: false)) == "UTF-16LE")
            #expect(wide(utf16(text, bigEndian: true)) == "UTF-16BE")
            #expect(wide(utf32(text, bigEndian: false)) == "UTF-32LE")
            #expect(wide(utf32(text, bigEndian: true)) == "UTF-32BE")
            #expect(wide(Array(text.utf8)) == nil)
            #expect(wide(gb18030(text)) == nil)
        }
    }
}
