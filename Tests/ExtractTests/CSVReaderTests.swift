import Extract
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport

/// RFC 4180 as county exports write it.
@Suite struct CSVReaderTests {
    func records(_ text: String, limits: ReadLimits = .standard) throws -> [(Int, [String])] {
        let folder = Scratch.folder("csv")
        let path = folder + "/t.csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let reader = CSVReader(stream: try openByteStream(path: path), name: "t.csv", limits: limits)
        var result: [(Int, [String])] = []
        while try reader.next() {
            result.append((reader.line, (0..<reader.fieldCount).map { String(decoding: reader.fieldBytes($0), as: UTF8.self) }))
        }
        return result
    }

    @Test func quotesDoubledQuotesAndLineBreaksInside() throws {
        let rows = try records("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nlast,,\n")
        #expect(rows.map(\.0) == [1, 2, 4])
        #expect(rows.map(\.1) == [["a", "b", "c"], ["x,1", "say \"hi\"", "two\r\nlines"], ["last", "", ""]])
    }

    @Test func noFinalLineBreakAndBlankLines() throws {
        let rows = try records("a,b\n\n1,2\n\n3,4")
        #expect(rows.map(\.0) == [1, 3, 5])
        #expect(rows.map(\.1) == [["a", "b"], ["1", "2"], ["3", "4"]])
    }

    @Test func endlessLineStopsAtTheLimit() throws {
        let long = "a," + String(repeating: "x", count: 5000) + "\n"
        #expect(throws: YearbookError.input(file: "t.csv", line: 2, "record longer than 4096 bytes (an endless line?)")) {
            try records("h\n" + long, limits: ReadLimits(maxDecompressedBytes: 1 << 30, maxRecordBytes: 4096))
        }
    }

    @Test func recordsLongerThanAChunkAreWhole() throws {
        let field = String(repeating: "y", count: 200_000)
        let rows = try records("h1,h2\n\(field),\"\(field)\"\nz,w\n")
        #expect(rows.count == 3)
        #expect(rows[1].1 == [field, field])
        #expect(rows[2].1 == ["z", "w"])
    }
}
