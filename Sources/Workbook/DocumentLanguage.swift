import CWorkbookZip
import Extract
import Foundation
import YearbookCore

/// The workbook's language in `docProps/core.xml` (`<dc:language>zh-CN</dc:language>`), which
/// libxlsxwriter has no field for: the part is rewritten in the closed file. libxlsxwriter writes it
/// after the sheets, so only the parts after it and the zip's directory are read and written again
/// (never the sheets), with the entry's own times and flags kept: the same inputs give the same bytes.
enum DocumentLanguage {
    static let part = "docProps/core.xml"
    /// What follows the core part is `docProps/app.xml` and the directory, a few KiB; more means the
    /// parts are in another order than libxlsxwriter's, which this rewrite does not read into memory.
    static let largestTail = 16 << 20

    static func write(_ language: String, intoWorkbookAt path: String) throws {
        func damaged(_ what: String) -> YearbookError {
            YearbookError(.system, "\(path): cannot give the workbook its language (\(what)); "
                + "the workbook is not a zip as libxlsxwriter writes it: check the libxlsxwriter and minizip the tool is built with")
        }
        guard let file = FileHandle(forUpdatingAtPath: path) else { throw YearbookError(.system, "\(path): cannot reopen the workbook to give it its language") }
        defer { try? file.close() }
        let size = Int(try file.seekToEnd())
        // The end-of-directory record: the last 22 bytes unless the zip has a comment.
        let endLength = min(size, 22 + 0xFFFF)
        try file.seek(toOffset: UInt64(size - endLength))
        let end = Array(try file.read(upToCount: endLength) ?? Data())
        guard let endAt = stride(from: end.count - 22, through: 0, by: -1).first(where: { long(end, $0) == 0x0605_4B50 }) else {
            throw damaged("no end of the zip's directory")
        }
        let entries = word(end, endAt + 10), directorySize = long(end, endAt + 12), directoryOffset = long(end, endAt + 16)
        guard entries != 0xFFFF, directoryOffset != 0xFFFF_FFFF, directoryOffset + directorySize <= size else {
            throw damaged("a zip64 or cut directory")
        }
        try file.seek(toOffset: UInt64(directoryOffset))
        var directory = Array(try file.read(upToCount: directorySize) ?? Data())
        guard directory.count == directorySize else { throw damaged("a cut directory") }

        // The core part's directory record and where its local header is.
        var records: [Int] = []
        var at = 0
        while records.count < entries {
            guard at + 46 <= directory.count, long(directory, at) == 0x0201_4B50 else { throw damaged("a damaged directory record") }
            records.append(at)
            at += 46 + word(directory, at + 28) + word(directory, at + 30) + word(directory, at + 32)
        }
        guard let record = records.first(where: { name(directory, $0) == part }) else { throw damaged("no \(part)") }
        let coreOffset = long(directory, record + 42)
        guard directoryOffset - coreOffset <= largestTail else { throw damaged("\(part) is not among the last parts") }
        try file.seek(toOffset: UInt64(coreOffset))
        let tail = Array(try file.read(upToCount: directoryOffset - coreOffset) ?? Data())
        guard tail.count >= 30, long(tail, 0) == 0x0403_4B50, word(tail, 6) & 0x8 == 0, word(tail, 8) == 8 else {
            throw damaged("\(part) is not a deflated part with its sizes in its header")
        }
        let headerLength = 30 + word(tail, 26) + word(tail, 28)
        let oldLength = headerLength + long(tail, 18)
        guard oldLength <= tail.count, let xml = RawDeflate.inflate(Array(tail[headerLength..<oldLength]), size: long(tail, 22)),
              var text = String(bytes: xml, encoding: .utf8), let close = text.range(of: "</cp:coreProperties>", options: .backwards) else {
            throw damaged("\(part) does not read as core properties")
        }
        guard !text.contains("<dc:language>") else { return }
        text.insert(contentsOf: "<dc:language>\(language)</dc:language>", at: close.lowerBound)
        let plain = Array(text.utf8)
        guard let packed = RawDeflate.deflate(plain, level: yearbook_zip_level()) else { throw damaged("zlib cannot deflate \(part)") }
        let crc = RawDeflate.crc32(plain)

        var header = Array(tail[0..<headerLength])
        put(&header, 14, Int(crc)); put(&header, 18, packed.count); put(&header, 22, plain.count)
        let shift = headerLength + packed.count - oldLength
        put(&directory, record + 16, Int(crc)); put(&directory, record + 20, packed.count); put(&directory, record + 24, plain.count)
        for other in records where long(directory, other + 42) > coreOffset {
            put(&directory, other + 42, long(directory, other + 42) + shift)
        }
        var endRecord = Array(end[endAt...])
        put(&endRecord, 16, directoryOffset + shift)
        try file.seek(toOffset: UInt64(coreOffset))
        try file.write(contentsOf: Data(header + packed + tail[oldLength...] + directory + endRecord))
        try file.truncate(atOffset: try file.offset())
    }

    static func word(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    static func long(_ bytes: [UInt8], _ at: Int) -> Int { word(bytes, at) | word(bytes, at + 2) << 16 }
    static func put(_ bytes: inout [UInt8], _ at: Int, _ value: Int) {
        for index in 0..<4 { bytes[at + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }
    static func name(_ directory: [UInt8], _ record: Int) -> String? {
        let length = word(directory, record + 28)
        guard record + 46 + length <= directory.count else { return nil }
        return String(bytes: directory[record + 46..<record + 46 + length], encoding: .utf8)
    }
}
