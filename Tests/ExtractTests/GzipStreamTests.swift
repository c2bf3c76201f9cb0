import CCRC32
import Extract
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport

/// gzip as county systems send it, and as it breaks.
@Suite struct GzipStreamTests {
    func temporaryFile(_ bytes: [UInt8], name: String = "file.csv.gz") -> String {
        let folder = Scratch.folder("gzip")
        let path = folder + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func readAll(_ path: String, limits: ReadLimits = .standard, inflater: Inflater = .preferred) throws -> [UInt8] {
        let stream = try openByteStream(path: path, limits: limits, inflater: inflater)
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1000)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { return result }
            result += buffer[0..<count]
        }
    }

    static let text = Array((0..<2000).map { "row \($0),430202,U,1,10.00,active\n" }.joined().utf8)

    @Test(arguments: Inflater.available) func inflatesWholeFile(inflater: Inflater) throws {
        #expect(try readAll(temporaryFile(gzip(Self.text)), inflater: inflater) == Self.text)
    }

    @Test(arguments: Inflater.available) func readsEveryMemberOfAMultiMemberFile(inflater: Inflater) throws {
        let members = [Array("first\n".utf8), Array("second\n".utf8), Array("third\n".utf8)]
        let path = temporaryFile(members.flatMap(gzip))
        #expect(try readAll(path, inflater: inflater) == Array("first\nsecond\nthird\n".utf8))
    }

    @Test(arguments: Inflater.available) func truncatedFileIsAnError(inflater: Inflater) throws {
        let whole = gzip(Self.text)
        let path = temporaryFile(Array(whole.prefix(whole.count / 2)))
        #expect(throws: YearbookError.input(file: path, "truncated gzip file: the data ends before the end of the compressed stream")) {
            try readAll(path, inflater: inflater)
        }
    }

    @Test(arguments: Inflater.available) func missingTrailerIsAnError(inflater: Inflater) throws {
        // The deflate data is whole; only the 8-byte CRC and size trailer is cut.
        let whole = gzip(Self.text)
        let path = temporaryFile(Array(whole.dropLast(8)))
        #expect(throws: YearbookError.input(file: path, "truncated gzip file: the data ends before the end of the compressed stream")) {
            try readAll(path, inflater: inflater)
        }
    }

    @Test(arguments: Inflater.available) func corruptDataIsAnError(inflater: Inflater) throws {
        var bytes = gzip(Self.text)
        for index in 20..<60 { bytes[index] ^= 0x5A }
        let path = temporaryFile(bytes)
        #expect {
            try readAll(path, inflater: inflater)
        } throws: { error in
            (error as? YearbookError)?.message.hasPrefix("corrupt gzip data") == true
        }
    }

    @Test(arguments: Inflater.available) func wrongChecksumIsAnError(inflater: Inflater) throws {
        var bytes = gzip(Self.text)
        bytes[bytes.count - 6] ^= 0xFF   // inside the CRC-32
        let path = temporaryFile(bytes)
        #expect(throws: YearbookError.input(file: path, "corrupt gzip data (incorrect data check)")) { try readAll(path, inflater: inflater) }
    }

    @Test(arguments: Inflater.available) func fileThatIsNotGzipIsAnError(inflater: Inflater) throws {
        let path = temporaryFile(Array("household_id,area_code\n".utf8))
        #expect(throws: YearbookError.input(file: path, "not a gzip file (no gzip magic bytes)")) { try readAll(path, inflater: inflater) }
        let empty = temporaryFile([])
        #expect(throws: YearbookError.input(file: empty, "not a gzip file (no gzip magic bytes)")) { try readAll(empty, inflater: inflater) }
    }

    @Test(arguments: Inflater.available) func decompressionBombStopsAtTheLimit(inflater: Inflater) throws {
        // 50 MB of zeros compress to about 50 KB.
        let bomb = gzip([UInt8](repeating: 0x30, count: 50 << 20))
        let path = temporaryFile(bomb)
        let limits = ReadLimits(maxDecompressedBytes: 1 << 20, maxRecordBytes: 1 << 20)
        #expect(throws: YearbookError.input(file: path, "inflates to more than 1048576 bytes (limit on decompressed size)")) {
            try readAll(path, limits: limits, inflater: inflater)
        }
    }

    @Test(arguments: Inflater.available) func theLargestLimitReadsTheWholeFile(inflater: Inflater) throws {
        // The room left under the limit is one byte past it: at Int.max that must not overflow.
        let path = temporaryFile(gzip(Self.text))
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
        let limits = ReadLimits(maxDecompressedBytes: Int.max, maxRecordBytes: Int.max)
        #expect(try readAll(path, limits: limits, inflater: inflater) == Self.text)
    }

    @Test(arguments: Inflater.available) func missingFileIsAnErrorNamingIt(inflater: Inflater) throws {
        #expect(throws: YearbookError.input(file: "/nonexistent/x.csv.gz", "cannot open", cause: SystemErrno(ENOENT))) {
            try readAll("/nonexistent/x.csv.gz", inflater: inflater)
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

    @Test(arguments: Inflater.available) func readsEveryOptionalHeaderField(inflater: Inflater) throws {
        let bytes = memberWithFullHeader(Self.text) + memberWithFullHeader(Array("last\n".utf8), headerCRC: false)
        #expect(try readAll(temporaryFile(bytes), inflater: inflater) == Self.text + Array("last\n".utf8))
    }

    @Test(arguments: Inflater.available) func brokenFramingIsAnErrorSayingWhat(inflater: Inflater) throws {
        let spoiled = temporaryFile(memberWithFullHeader(Self.text, spoilHeaderCRC: true))
        #expect(throws: YearbookError.input(file: spoiled, "corrupt gzip data (header crc mismatch)")) { try readAll(spoiled, inflater: inflater) }

        var wrongLength = gzip(Self.text)
        wrongLength[wrongLength.count - 4] ^= 0x01  // inside ISIZE
        let length = temporaryFile(wrongLength)
        #expect(throws: YearbookError.input(file: length, "corrupt gzip data (incorrect length check)")) { try readAll(length, inflater: inflater) }

        var method = gzip(Self.text)
        method[2] = 7
        let methodPath = temporaryFile(method)
        #expect(throws: YearbookError.input(file: methodPath, "corrupt gzip data (unknown compression method)")) { try readAll(methodPath, inflater: inflater) }

        var flags = gzip(Self.text)
        flags[3] = 0x20
        let flagsPath = temporaryFile(flags)
        #expect(throws: YearbookError.input(file: flagsPath, "corrupt gzip data (unknown header flags set)")) { try readAll(flagsPath, inflater: inflater) }

        // Bytes after the last member that are not another member.
        let garbage = temporaryFile(gzip(Self.text) + Array("not gzip".utf8))
        #expect(throws: YearbookError.input(file: garbage, "corrupt gzip data (incorrect header check)")) { try readAll(garbage, inflater: inflater) }

        // A header cut inside its file name.
        let cut = temporaryFile(Array(memberWithFullHeader(Self.text).prefix(20)))
        #expect(throws: YearbookError.input(file: cut, "truncated gzip file: the data ends before the end of the compressed stream")) {
            try readAll(cut, inflater: inflater)
        }
    }

    // --- ISA-L and zlib: the same bytes and the same errors -------------------------

    /// What reading `bytes` gives: every byte, or the error; and the decoder reading at the end.
    func outcome(_ bytes: [UInt8], inflater: Inflater, limits: ReadLimits = .standard) -> (Result<[UInt8], YearbookError>, Inflater) {
        let stream = MemoryByteStream.opening(bytes, name: "t.csv.gz", limits: limits, inflater: inflater)
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 5000)
        do {
            while true {
                let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
                if count == 0 { break }
                result += buffer[0..<count]
            }
        } catch {
            return (.failure(error as! YearbookError), (stream as? GzipByteStream)?.inflater ?? inflater)
        }
        return (.success(result), (stream as? GzipByteStream)?.inflater ?? inflater)
    }

    var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    @Test func everySampleFileReadsAlikeBothWays() throws {
        let root = repositoryRoot + "/samples/input"
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".gz") }.sorted()
        #expect(files.count == 56)
        for file in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + file)))
            let (zlib, _) = outcome(bytes, inflater: .zlib)
            let whole = try zlib.get()
            for inflater in Inflater.available {
                let (read, reader) = outcome(bytes, inflater: inflater)
                #expect(try read.get() == whole, "\(file) read with \(inflater)")
                #expect(reader == inflater, "\(file): \(inflater) read it to the end itself")
            }
        }
    }

    /// Text that compresses to about 60 KB: a member about as long as the stream's 64 KiB input buffer.
    static let digits: [UInt8] = {
        var state: UInt32 = 12345
        return (0..<120_000).map { index in
            state = state &* 1_103_515_245 &+ 12345
            return index % 40 == 39 ? 0x0A : 0x30 + UInt8((state >> 16) % 10)
        }
    }()

    @Test func membersEndingAcrossTheInputBufferReadAlike() throws {
        // A member whose trailer starts within 8 bytes of the 64 KiB boundary of the
        // input buffer, either side: ISA-L has read past the end of the deflate data
        // into its bit buffer, and those bytes are the trailer.
        let member = gzip(Self.digits)
        let deflate = member.count - 18
        try #require(deflate < 65_536 - 12)
        for shift in -9...9 {
            let extra = 65_536 - 12 - deflate + shift
            var header: [UInt8] = [0x1f, 0x8b, 8, 0x04, 0, 0, 0, 0, 0, 3, UInt8(extra & 0xFF), UInt8(extra >> 8)]
            header += [UInt8](repeating: 0x78, count: extra)
            let bytes = header + member.dropFirst(10) + gzip(Array("last\n".utf8))
            for inflater in Inflater.available {
                let (read, reader) = outcome(bytes, inflater: inflater)
                #expect(try read.get() == Self.digits + Array("last\n".utf8), "trailer at 64 KiB \(shift), \(inflater)")
                #expect(reader == inflater)
            }
        }
    }

    @Test func hostileInputsFailAlikeBothWays() throws {
        let whole = gzip(Self.digits) + gzip(Self.text)
        var cases: [[UInt8]] = []
        for length in stride(from: 2, to: whole.count, by: 397) { cases.append(Array(whole.prefix(length))) }
        for index in stride(from: 2, to: whole.count, by: 263) {  // past the magic: without it, no inflating
            var spoiled = whole
            spoiled[index] ^= UInt8(1 << (index % 8))
            cases.append(spoiled)
        }
        cases.append(whole + Array("not gzip".utf8))
        cases.append(whole + [0x1f, 0x8b, 8, 0])
        var failures = 0, redoneByZlib = 0
        for bytes in cases {
            let (zlib, _) = outcome(bytes, inflater: .zlib)
            switch zlib {
            case .failure: failures += 1
            // A flip in a header's time stamp or OS byte, or in the padding after the data, changes nothing;
            // a file cut right after its first member is that member.
            case .success(let read):
                let whole = read == Self.digits + Self.text || read == Self.digits
                #expect(whole)
            }
            for inflater in Inflater.available where inflater != .zlib {
                let (read, reader) = outcome(bytes, inflater: inflater)
                let same = read == zlib  // a Bool: a failed expectation on megabytes of bytes would diff them
                #expect(same)
                if reader == .zlib { redoneByZlib += 1 }
            }
        }
        #expect(failures > cases.count * 9 / 10)
        // Every failure of ISA-L was judged again by zlib.
        if Inflater.available.contains(.isal) { #expect(redoneByZlib == failures) }

        // A decompression bomb stops at the same byte whichever decoder reads it.
        let bomb = gzip([UInt8](repeating: 0x30, count: 8 << 20)) + whole
        let limits = ReadLimits(maxDecompressedBytes: 3_000_001, maxRecordBytes: 1 << 20)
        for inflater in Inflater.available {
            #expect(outcome(bomb, inflater: inflater, limits: limits).0
                    == .failure(YearbookError.input(file: "t.csv.gz", "inflates to more than 3000001 bytes (limit on decompressed size)")))
        }
    }
}
