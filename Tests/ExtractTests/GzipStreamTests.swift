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
}
