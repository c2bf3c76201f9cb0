import Extract
import Testing

/// The streaming UTF-8 check that decides a roster's encoding: exact on the
/// forms strict decoders refuse, and across chunk boundaries.
@Suite struct UTF8ValidatorTests {
    func isUTF8(_ chunks: [[UInt8]]) -> Bool {
        var validator = UTF8Validator()
        for chunk in chunks { chunk.withUnsafeBufferPointer { validator.check($0) } }
        validator.finish()
        return validator.isValid
    }

    @Test func agreesWithTheStandardLibraryOnEveryEdgeForm() {
        let cases: [[UInt8]] = [
            Array("plain ASCII, longer than eight bytes".utf8), Array("城市,在保".utf8), [0xF0, 0x9F, 0x98, 0x80],
            [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xD7, 0xB4, 0xCC, 0xAC], [0xB3, 0xC7], [0xE5, 0x9F], [0xFF],
        ]
        for bytes in cases {
            let expected = bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) } != nil
            #expect(isUTF8([bytes]) == expected, "\(bytes)")
        }
    }

    /// ASCII is skipped 32 and 8 bytes at a time: a byte that is not UTF-8 at any place in a long ASCII run is
    /// found at its offset, and a Chinese name at any place is read through (but one cut off by the end is not UTF-8).
    @Test func aByteAnywhereInALongASCIIRunIsFoundAtItsOffset() {
        for offset in 0..<100 {
            var bytes = [UInt8](repeating: UInt8(ascii: "7"), count: 100)
            bytes[offset] = 0xFF
            var validator = UTF8Validator()
            bytes.withUnsafeBufferPointer { validator.check($0) }
            #expect(!validator.isValid && validator.invalidOffset == offset, "offset \(offset)")
            var named = [UInt8](repeating: UInt8(ascii: "7"), count: 100)
            named.replaceSubrange(offset..<min(offset + 6, 100), with: Array("城市".utf8).prefix(100 - offset))
            #expect(isUTF8([named]) == (100 - offset >= 6 || 100 - offset == 3), "offset \(offset)")
        }
    }

    @Test func aSequenceMayContinueIntoTheNextChunkButNotPastTheEnd() {
        let city = Array("abcdefgh城".utf8)
        #expect(isUTF8([Array(city[..<9]), Array(city[9...])]))
        #expect(!isUTF8([Array(city[..<9])]))
    }
}
