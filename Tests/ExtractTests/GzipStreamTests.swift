import CCRC32
import Extract
import Foundation
import Testing
import YearbookTestSupport

/// gzip as county systems send it, and as it breaks.
@Suite struct GzipStreamTests {
    func temporaryFile(_ bytes: [UInt8], name: String = "file.csv.gz") -> String {
        let folder = NSTemporaryDirectory() + "yearbook-gzip-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func readAll(_ path: String, limits: ReadLimits = .standard) throws -> [UInt8] {
        let stream = try openByteStream(path: path, limits: limits)
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1000)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { return result }
            result += buffer[0..<count]
        }
    }

    static let text = Array((0..<2000).map { "row \($0),430202,U,1,10.00,active\n" }.joined().utf8)

    @Test func inflatesWholeFile() throws {
        #expect(try readAll(temporaryFile(gzip(Self.text))) == Self.text)
    }

    @Test func readsEveryMemberOfAMultiMemberFile() throws {
        let members = [Array("first\n".utf8), Array("second\n".utf8), Array("third\n".utf8)]
        let path = temporaryFile(members.flatMap(gzip))
        #expect(try readAll(path) == Array("first\nsecond\nthird\n".utf8))
    }

    @Test func truncatedFileIsAnError() throws {
        let whole = gzip(Self.text)
        let path = temporaryFile(Array(whole.prefix(whole.count / 2)))
        #expect(throws: ExtractError(file: path, "truncated gzip file: the data ends before the end of the compressed stream")) {
            try readAll(path)
        }
    }

    @Test func missingTrailerIsAnError() throws {
        // The deflate data is whole; only the 8-byte CRC and size trailer is cut.
        let whole = gzip(Self.text)
        let path = temporaryFile(Array(whole.dropLast(8)))
        #expect(throws: ExtractError(file: path, "truncated gzip file: the data ends before the end of the compressed stream")) {
            try readAll(path)
        }
    }

    @Test func corruptDataIsAnError() throws {
        var bytes = gzip(Self.text)
        for index in 20..<60 { bytes[index] ^= 0x5A }
        let path = temporaryFile(bytes)
        #expect {
            try readAll(path)
        } throws: { error in
            (error as? ExtractError)?.message.hasPrefix("corrupt gzip data") == true
        }
    }

    @Test func wrongChecksumIsAnError() throws {
        var bytes = gzip(Self.text)
        bytes[bytes.count - 6] ^= 0xFF   // inside the CRC-32
        let path = temporaryFile(bytes)
        #expect(throws: ExtractError(file: path, "corrupt gzip data (incorrect data check)")) { try readAll(path) }
    }

    @Test func fileThatIsNotGzipIsAnError() throws {
        let path = temporaryFile(Array("household_id,area_code\n".utf8))
        #expect(throws: ExtractError(file: path, "not a gzip file (no gzip magic bytes)")) { try readAll(path) }
        let empty = temporaryFile([])
        #expect(throws: ExtractError(file: empty, "not a gzip file (no gzip magic bytes)")) { try readAll(empty) }
    }

    @Test func decompressionBombStopsAtTheLimit() throws {
        // 50 MB of zeros compress to about 50 KB.
        let bomb = gzip([UInt8](repeating: 0x30, count: 50 << 20))
        let path = temporaryFile(bomb)
        let limits = ReadLimits(maxDecompressedBytes: 1 << 20, maxRecordBytes: 1 << 20)
        #expect(throws: ExtractError(file: path, "inflates to more than 1048576 bytes (limit on decompressed size)")) {
            try readAll(path, limits: limits)
        }
    }

    @Test func missingFileIsAnErrorNamingIt() throws {
        #expect(throws: ExtractError(file: "/nonexistent/x.csv.gz", "cannot open: No such file or directory")) {
            try readAll("/nonexistent/x.csv.gz")
        }
    }

    // --- the gzip framing, read by GzipByteStream itself ---------------------------

    @Test func crc32MatchesTheStandardAndBothWaysAgree() {
        // The check value of CRC-32 (gzip's): "123456789" -> 0xCBF43926.
        let check = Array("123456789".utf8)
        #expect(yearbook_crc32(0, check, check.count) == 0xCBF4_3926)
        #expect(yearbook_crc32_portable(0, check, check.count) == 0xCBF4_3926)
        // Every length up to 1,100 from three alignments, and continued from a running value:
        // the folding (carry-less multiply) and the table agree.
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<1_200).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var disagreements = 0
        bytes.withUnsafeBufferPointer { all in
            for length in 0...1_100 {
                for offset in 0..<3 {
                    let start = all.baseAddress! + offset
                    if yearbook_crc32(0, start, length) != yearbook_crc32_portable(0, start, length) { disagreements += 1 }
                    if yearbook_crc32(0x1234_5678, start, length) != yearbook_crc32_portable(0x1234_5678, start, length) {
                        disagreements += 1
                    }
                }
            }
            let whole = yearbook_crc32(0, all.baseAddress!, all.count)
            let split = yearbook_crc32(yearbook_crc32(0, all.baseAddress!, 333), all.baseAddress! + 333, all.count - 333)
            #expect(whole == split)
        }
        #expect(disagreements == 0)
    }

    /// A member with every optional header field: extra, name, comment and header CRC.
    func memberWithFullHeader(_ text: [UInt8], headerCRC: Bool = true, spoilHeaderCRC: Bool = false) -> [UInt8] {
        let plain = gzip(text)  // 10-byte header (no name: gzip -n), deflate data, 8-byte trailer
        var header: [UInt8] = [0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | (headerCRC ? 0x02 : 0), 0, 0, 0, 0, 0, 3]
        header += [5, 0] + Array("extra".utf8)
        header += Array("roster.csv".utf8) + [0]
        header += Array("exported by the county system".utf8) + [0]
        if headerCRC {
            var crc = UInt16(truncatingIfNeeded: yearbook_crc32(0, header, header.count))
            if spoilHeaderCRC { crc ^= 1 }
            header += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        }
        return header + plain.dropFirst(10)
    }

    @Test func readsEveryOptionalHeaderField() throws {
        let bytes = memberWithFullHeader(Self.text) + memberWithFullHeader(Array("last\n".utf8), headerCRC: false)
        #expect(try readAll(temporaryFile(bytes)) == Self.text + Array("last\n".utf8))
    }

    @Test func brokenFramingIsAnErrorSayingWhat() throws {
        let spoiled = temporaryFile(memberWithFullHeader(Self.text, spoilHeaderCRC: true))
        #expect(throws: ExtractError(file: spoiled, "corrupt gzip data (header crc mismatch)")) { try readAll(spoiled) }

        var wrongLength = gzip(Self.text)
        wrongLength[wrongLength.count - 4] ^= 0x01  // inside ISIZE
        let length = temporaryFile(wrongLength)
        #expect(throws: ExtractError(file: length, "corrupt gzip data (incorrect length check)")) { try readAll(length) }

        var method = gzip(Self.text)
        method[2] = 7
        let methodPath = temporaryFile(method)
        #expect(throws: ExtractError(file: methodPath, "corrupt gzip data (unknown compression method)")) { try readAll(methodPath) }

        var flags = gzip(Self.text)
        flags[3] = 0x20
        let flagsPath = temporaryFile(flags)
        #expect(throws: ExtractError(file: flagsPath, "corrupt gzip data (unknown header flags set)")) { try readAll(flagsPath) }

        // Bytes after the last member that are not another member.
        let garbage = temporaryFile(gzip(Self.text) + Array("not gzip".utf8))
        #expect(throws: ExtractError(file: garbage, "corrupt gzip data (incorrect header check)")) { try readAll(garbage) }

        // A header cut inside its file name.
        let cut = temporaryFile(Array(memberWithFullHeader(Self.text).prefix(20)))
        #expect(throws: ExtractError(file: cut, "truncated gzip file: the data ends before the end of the compressed stream")) {
            try readAll(cut)
        }
    }
}
