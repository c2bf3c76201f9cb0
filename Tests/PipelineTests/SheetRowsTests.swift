import Foundation
import Testing
@testable import Workbook
import YearbookCore
import YearbookTestSupport

/// Rows spliced into a sheet as the workbook is zipped (`SheetRows`, `XLSXSheet.spliceRows`) must give the
/// file libxlsxwriter gives when it writes them itself, byte for byte: the same cells, escapes and
/// formats, and the same deflated part. Each test writes one workbook both ways and compares the files.
@Suite struct SheetRowsTests {
    enum Cell {
        case text(String, styled: Bool)
        case number(Double, styled: Bool)
    }

    /// Texts a registry or a definition may hold, hostile ones too.
    static let texts = [
        "plain", " leading", "trailing ", "\ttab", "tab\t", "new\nline", "\nfirst", "last\n", "\r", "cr\rin", "ctrl\u{1}\u{8}\u{B}\u{C}\u{1F}x",
        "a&b<c>d", "&", "<tag>", "quote\"'", "株洲市", "emoji 😀", "nul\u{0}after", "\u{0}", "_x0041_", "del\u{7F}", "nel\u{85}",
        "nbsp\u{A0}", " ", "\u{3000}全角", String(repeating: "x", count: 32_767), String(repeating: "y", count: 32_768),
        String(repeating: "中", count: 11_000), String(repeating: "中", count: 32_768), "",
    ]
    static let numbers: [Double] = [
        0, -0.0, 1, -1, 2018, 9.3, 0.1, 0.3, 1e15, 1e16, -1e15, 123_456_789_012_345, 1_234_567_890_123_456, 999_999_999_999_999.9,
        1.5e-7, -3.25, 12_345.678, 0.30000000000000004, 1e-300, Double.greatestFiniteMagnitude, 34.8712, 1117.73, .leastNonzeroMagnitude,
    ]

    /// Row `row` (1 up): every text and number, in turn with and without a format, shifted by the row so
    /// that cells move between columns and formats first appear in the middle rows.
    static func cells(_ row: Int) -> [Cell] {
        var cells: [Cell] = []
        for (index, text) in texts.enumerated() where (index + row) % 3 != 0 && (text.utf8.count < 1000 || row % 40 == 2) {
            cells.append(.text(text, styled: (index + row) % 4 == 0))
        }
        for (index, number) in numbers.enumerated() where (index + row) % 2 == 0 {
            cells.append(.number(number, styled: (index + row) % 5 == 0))
        }
        return row % 7 == 0 ? [] : cells   // a row with no cells: libxlsxwriter leaves it out
    }

    /// Writes a workbook of a heading sheet and one data sheet of `rows` rows; `splicing`: the middle rows
    /// spliced in. The formats are made as the rows need them, one per row for the first rows.
    func write(_ path: String, rows: Int, splicing: Bool) throws -> Bool {
        let book = try XLSXBook(path: path, created: 946_684_800,
                                properties: .init(title: "t", subject: "s", author: "a", keywords: "k", comments: "c", language: "zh-CN"),
                                splicingRows: splicing)
        #expect(book.splicesRows == splicing)
        let cover = book.addSheet("cover", fallback: "cover")
        cover.write(0, 0, "cover", XLSXBook.Style(bold: true))
        let sheet = book.addSheet("data", fallback: "data", inRowOrder: true)
        // The sheet's dimension is what libxlsxwriter is given: the heading spans every column.
        for column in 0..<(Self.texts.count + Self.numbers.count) { sheet.write(0, column, "h\(column)", XLSXBook.Style(bold: true)) }
        var formats: [Int: XLSXBook.Format] = [:]
        func format(_ row: Int, _ column: Int) -> XLSXBook.Format {
            let which = (row + column) % 9
            if let made = formats[which] { return made }
            let made = book.prepared(XLSXBook.Style(numberFormat: "0." + String(repeating: "0", count: which), right: which % 2 == 0))
            formats[which] = made
            return made
        }
        let plain = book.prepared(XLSXBook.Style())
        func formatFor(_ cell: Cell, _ row: Int, _ column: Int) -> XLSXBook.Format {
            switch cell {
            case .text(_, let styled), .number(_, let styled): return styled ? format(row, column) : plain
            }
        }
        // One row's cells, to libxlsxwriter, to the splice, or to their formats' indexes.
        func put(_ row: Int, into writer: some CellWriter) {
            writer.beginRow(row)
            for (column, cell) in Self.cells(row).enumerated() {
                let format = formatFor(cell, row, column)
                switch cell {
                case .text(let text, _): writer.text(row, column, text, format)
                case .number(let number, _): writer.number(row, column, number, format)
                }
            }
            writer.endRow()
        }
        let xml = splicing && rows >= 3 ? sheet.spliceRows(before: rows) : nil
        #expect((xml != nil) == (splicing && rows >= 3))
        let middle = xml == nil ? 2..<2 : 2..<rows
        for row in 1...rows {
            if let xml, middle.contains(row) {
                put(row, into: xml)
                continue
            }
            put(row, into: sheet)
            // Row 1 goes out (and indexes its formats) only when the last row begins, after the spliced ones.
            if row == 1 && !middle.isEmpty { put(row, into: FormatIndexes(book: book)) }
        }
        sheet.columnWidth(0, 3, 20)
        return try book.close()
    }

    func bothWays(rows: Int) throws -> (spliced: [UInt8], plain: [UInt8]) {
        let folder = Scratch.folder("sheet-rows")
        #expect(try write(folder + "/spliced.xlsx", rows: rows, splicing: true))
        #expect(try write(folder + "/plain.xlsx", rows: rows, splicing: false))
        return (Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/spliced.xlsx"))),
                Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/plain.xlsx"))))
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    }

    @Test func splicingIsAvailableWhereTheToolIsBuilt() {
        // Linux with Debian's shared libxlsxwriter and minizip: libxlsxwriter's zip calls find the tool's first.
        #expect(XLSXBook.canSpliceRows)
    }

    @Test(arguments: [3, 4, 12, 400])
    func splicedRowsAreTheBytesLibxlsxwriterWrites(rows: Int) throws {
        let (spliced, plain) = try bothWays(rows: rows)
        let same = spliced == plain
        #expect(same, "\(spliced.count) bytes spliced, \(plain.count) plain, first difference at byte \(Self.firstDifference(spliced, plain))")
        if rows == 400 {
            // Deflated, the data sheet alone is more than 16 KiB, the reads the part is deflated in.
            #expect(plain.count > 50_000)
        }
    }

    @Test func aSheetTooShortToSpliceIsWrittenWhole() throws {
        for rows in [1, 2] {
            let (spliced, plain) = try bothWays(rows: rows)
            let same = spliced == plain
            #expect(same, "\(rows) rows: first difference at byte \(Self.firstDifference(spliced, plain))")
        }
    }

    @Test func numbersPrintAsLibxlsxwriterPrintsThem() {
        // %.16G, as the C library prints it: the integer fast path must agree with it.
        for number in Self.numbers + [2019, -2019, 1e14, 999_999_999_999_999, -999_999_999_999_999, 7, 10, 100, .nan, .infinity] {
            var text: [UInt8] = []
            SheetRows.appendNumberText(number, to: &text)
            #expect(String(decoding: text, as: UTF8.self) == String(format: "%.16G", number), "\(number)")
        }
    }

    @Test func aMarkerThatIsNotThereFailsTheWorkbook() throws {
        let path = Scratch.folder("sheet-rows") + "/broken.xlsx"
        let book = try XLSXBook(path: path, created: 946_684_800,
                                properties: .init(title: "t", subject: "s", author: "a", keywords: "k", comments: "c", language: "zh-CN"))
        let sheet = book.addSheet("data", fallback: "data", inRowOrder: true)
        sheet.write(0, 0, "heading", XLSXBook.Style())
        sheet.write(1, 0, "last", XLSXBook.Style())
        // Row 5 is not written: its tag is not in the part.
        let xml = try #require(sheet.spliceRows(before: 5))
        xml.beginRow(2)
        xml.text(2, 0, "spliced", book.prepared(XLSXBook.Style()))
        xml.endRow()
        let error = #expect(throws: YearbookError.self) { try book.close() }
        #expect(error?.description.contains("the rows of a data sheet could not be written into the workbook's zip") == true)
    }
}
