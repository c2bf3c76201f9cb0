import CWorkbookZip
import CXlsxWriter
import YearbookCore
import Foundation

/// The one home of libxlsxwriter's calls: a workbook written to the file at `path`.
final class XLSXBook {
    /// How a cell looks; each distinct style is one workbook format.
    struct Style: Hashable {
        var bold = false
        var wrap = false
        var border = false
        var header = false
        var fontSize = 0.0
        var numberFormat: String?
        var link = false
        /// Right-aligned: a mark (`–`, `1/1`, `↑2`) in a column of figures keeps clear of the next column.
        var right = false
        /// Centred: a rank heading a row keeps clear of the name after it.
        var center = false
    }

    /// What the document says of itself (File › Properties).
    struct Properties {
        var title: String
        var subject: String
        var author: String
        var keywords: String
        var comments: String
        /// An IETF tag (`zh-CN`): written into `docProps/core.xml` after the file is closed (see `DocumentLanguage`).
        var language: String
    }

    enum ChartKind { case bar, line }

    private let book: UnsafeMutablePointer<lxw_workbook>
    private let path: String
    private let language: String
    private var formats: [Style: UnsafeMutablePointer<lxw_format>] = [:]
    private var sheets = 0
    /// Whether rows may be spliced into a sheet as it is zipped (`XLSXSheet.spliceRows`).
    let splicesRows: Bool
    /// The rows being spliced into a sheet (one sheet per workbook), until the workbook is closed.
    private var splicedRows: SheetRows?

    /// Whether libxlsxwriter's zip calls reach the tool's, which splice rows into a sheet (workbook_zip.c).
    static let canSpliceRows = yearbook_zip_splice_available() != 0

    /// `created`: the document date in seconds since 1970, fixed so that two builds give the same bytes.
    /// `splicingRows`: a sheet's rows may be written by the tool (`XLSXSheet.spliceRows`), where `canSpliceRows`.
    init(path: String, created: Int, properties: Properties, splicingRows: Bool = true) throws {
        self.path = path
        self.language = properties.language
        self.splicesRows = splicingRows && Self.canSpliceRows
        guard let book = workbook_new(path) else { throw YearbookError(.system, "libxlsxwriter cannot start a workbook at \(path)") }
        self.book = book
        // libxlsxwriter copies the strings before this returns.
        withCStrings([properties.title, properties.subject, properties.author, properties.keywords, properties.comments]) { strings in
            var documentProperties = lxw_doc_properties()
            documentProperties.title = strings[0]
            documentProperties.subject = strings[1]
            documentProperties.author = strings[2]
            documentProperties.keywords = strings[3]
            documentProperties.comments = strings[4]
            documentProperties.created = time_t(created)
            workbook_set_properties(book, &documentProperties)
        }
    }

    /// A sheet name Excel accepts (31 characters, none of `[]:*?/\`), else `fallback`.
    /// A sheet `inRowOrder` is written row after row, each row once (a data sheet of many rows):
    /// libxlsxwriter writes each row out as the next begins, its strings inline, instead of keeping
    /// every cell in memory and every string in the shared table until the workbook closes.
    func addSheet(_ name: String, fallback: String, inRowOrder: Bool = false) -> XLSXSheet {
        let valid = workbook_validate_sheet_name(book, name) == LXW_NO_ERROR
        let chosen = valid ? name : fallback
        // The workbook's option is read as each sheet is added (libxlsxwriter 1.x): set for this one only.
        book.pointee.options.constant_memory = inRowOrder ? 1 : 0
        defer { book.pointee.options.constant_memory = 0 }
        sheets += 1
        return XLSXSheet(sheet: workbook_add_worksheet(book, chosen), name: chosen, number: sheets, book: self)
    }

    /// The index of `format` among the workbook's cell formats (what a cell's `s` says; 0 for none).
    /// libxlsxwriter numbers a format the first time a cell of it is written out: asking for it
    /// in that order, for rows it does not write, keeps the numbers it would have given.
    func styleIndex(_ format: Format?) -> Int32 {
        guard let pointer = format?.pointer else { return 0 }
        return lxw_format_get_xf_index(pointer)
    }

    /// Begins the splice of rows into part `part` before `marker`: the rows' writer, nil when it cannot.
    fileprivate func beginSplice(part: String, marker: String) -> SheetRows? {
        precondition(splicesRows && splicedRows == nil, "one spliced sheet per workbook, where splicing is on")
        guard yearbook_zip_splice_begin(part, marker) != 0 else { return nil }
        splicedRows = SheetRows(book: self)
        return splicedRows
    }

    deinit {
        // A workbook given up before it was closed: its splice (this thread's) ends with it.
        if splicedRows != nil { _ = yearbook_zip_splice_finish() }
    }

    /// A style made once into a workbook format, for sheets of many rows.
    struct Format {
        fileprivate let pointer: UnsafeMutablePointer<lxw_format>?
        /// Not the workbook's default (a cell written with no format).
        var isSet: Bool { pointer != nil }
    }

    func prepared(_ style: Style) -> Format { Format(pointer: format(style)) }

    /// The workbook format of `style`; none for the plain style, which is the workbook's default
    /// format (the same cell in the file): libxlsxwriter looks a cell's format up on every write of it.
    func format(_ style: Style) -> UnsafeMutablePointer<lxw_format>? {
        if style == Style() { return nil }
        if let format = formats[style] { return format }
        let format = workbook_add_format(book)!
        if style.bold { format_set_bold(format) }
        if style.wrap { format_set_text_wrap(format) }
        if style.border { format_set_border(format, UInt8(LXW_BORDER_THIN.rawValue)) }
        if style.header {
            format_set_bg_color(format, 0xF3F3F3)
            format_set_align(format, UInt8(LXW_ALIGN_CENTER.rawValue))
            format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        }
        if style.right { format_set_align(format, UInt8(LXW_ALIGN_RIGHT.rawValue)) }
        if style.center { format_set_align(format, UInt8(LXW_ALIGN_CENTER.rawValue)) }
        if style.fontSize > 0 { format_set_font_size(format, style.fontSize) }
        if let numberFormat = style.numberFormat { format_set_num_format(format, numberFormat) }
        if style.link {
            format_set_underline(format, UInt8(LXW_UNDERLINE_SINGLE.rawValue))
            format_set_font_color(format, 0x0563C1)
        }
        formats[style] = format
        return format
    }

    fileprivate func addChart(_ kind: ChartKind) -> UnsafeMutablePointer<lxw_chart> {
        workbook_add_chart(book, UInt8((kind == .bar ? LXW_CHART_BAR : LXW_CHART_LINE).rawValue))!
    }

    /// Closes the workbook: its file is written, then given its language. False when the rows to
    /// splice did not go in (libxlsxwriter's zip calls did not reach the tool's): the file lacks them
    /// and must be written again without splicing.
    func close() throws -> Bool {
        // The rows' last bytes go to the splice before libxlsxwriter zips the sheet.
        splicedRows?.flush()
        let error = workbook_close(book)
        var spliced = 1
        if splicedRows != nil {
            spliced = Int(yearbook_zip_splice_finish())
            splicedRows = nil
        }
        guard spliced >= 0 else {
            throw YearbookError(.system, "\(path): the rows of a data sheet could not be written into the workbook's zip "
                + "(its last row was not found, or the temporary file or the zip refused them); the workbook is not complete")
        }
        guard error == LXW_NO_ERROR else {
            throw YearbookError(.system, "libxlsxwriter could not write \(path): \(String(cString: lxw_strerror(error)))")
        }
        guard spliced == 1 else { return false }
        try DocumentLanguage.write(language, intoWorkbookAt: path)
        return true
    }
}

/// Runs `body` with C copies of `strings`, valid only during the call.
private func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies)
}

final class XLSXSheet {
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    let name: String
    /// Its place among the workbook's sheets, from 1: its part is `xl/worksheets/sheet<number>.xml`.
    let number: Int
    private unowned let book: XLSXBook

    fileprivate init(sheet: UnsafeMutablePointer<lxw_worksheet>, name: String, number: Int, book: XLSXBook) {
        self.sheet = sheet
        self.name = name
        self.number = number
        self.book = book
    }

    /// On a sheet written in row order: rows written by the tool (`SheetRows`, in order) between the ones
    /// libxlsxwriter is given, which go into the sheet's part just before row `before` when the workbook is
    /// zipped (libxlsxwriter must be given that row, as the sheet's last); nil when no splice can begin.
    /// libxlsxwriter sizes the sheet from the cells it is given: its first row must reach every column.
    /// A spliced row's formats get their index as it is written, in the order libxlsxwriter gives them
    /// as it writes rows out; the row before the first spliced one goes out only after them, so its
    /// formats are indexed first (`FormatIndexes`).
    func spliceRows(before row: Int) -> SheetRows? {
        book.beginSplice(part: "xl/worksheets/sheet\(number).xml", marker: "<row r=\"\(row + 1)\">")
    }

    func write(_ row: Int, _ column: Int, _ text: String, _ style: XLSXBook.Style = .init()) {
        worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), text, book.format(style))
    }

    /// A figure, stored as a number; `style.numberFormat` says how it reads.
    func write(_ row: Int, _ column: Int, number: Double, _ style: XLSXBook.Style = .init()) {
        worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), number, book.format(style))
    }

    func write(_ row: Int, _ column: Int, _ text: String, _ format: XLSXBook.Format?) {
        worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), text, format?.pointer)
    }

    func write(_ row: Int, _ column: Int, number: Double, _ format: XLSXBook.Format) {
        worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), number, format.pointer)
    }

    /// A link to cell A1 of another sheet of the workbook.
    func link(_ row: Int, _ column: Int, toSheet target: String, text: String) {
        let escaped = target.replacingOccurrences(of: "'", with: "''")
        worksheet_write_url(sheet, lxw_row_t(row), lxw_col_t(column), "internal:'\(escaped)'!A1", book.format(.init(link: true)))
        worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), text, book.format(.init(link: true)))
    }

    /// Marks rows `first...last` of columns `0..<headings.count` as an Excel table: its first row the
    /// headings (unique, as Excel requires), no filter buttons (the guidance for published tables),
    /// a plain style so the cells' own formats show. Call after writing the rows of a sheet written
    /// in any order; on a sheet `inRowOrder`, before its first row. Writes the heading cells.
    func table(first: Int, last: Int, headings: [String], _ style: XLSXBook.Style) {
        var seen: [String: Int] = [:]
        let unique = headings.map { heading -> String in
            // Excel compares a table's column names without case.
            let count = (seen[heading.lowercased()] ?? 0) + 1
            seen[heading.lowercased()] = count
            return count == 1 ? heading : "\(heading) (\(count))"
        }
        // A line break in a column's name is `_x000a_` in the table's part, as Excel writes it (a bare
        // one makes Excel repair the file); the heading cell keeps the line break itself.
        let names = unique.map { $0.replacingOccurrences(of: "\n", with: "_x000a_") }
        let headerFormat = book.format(style)
        // libxlsxwriter refuses tables on a sheet written row by row, only because it writes the heading
        // cells itself; those go to the cells it keeps aside (never written there), ours follow in order.
        let inRowOrder = sheet.pointee.optimize
        sheet.pointee.optimize = 0
        withCStrings(names) { names in
            var columns = names.map { lxw_table_column(header: $0, formula: nil, total_string: nil, total_function: 0,
                                                       header_format: headerFormat, format: nil, total_value: 0) }
            columns.withUnsafeMutableBufferPointer { buffer in
                var list: [UnsafeMutablePointer<lxw_table_column>?] = buffer.indices.map { buffer.baseAddress! + $0 } + [nil]
                list.withUnsafeMutableBufferPointer { pointers in
                    var options = lxw_table_options()
                    options.no_autofilter = 1
                    options.style_type = UInt8(LXW_TABLE_STYLE_TYPE_LIGHT.rawValue)
                    options.style_type_number = 1
                    options.columns = pointers.baseAddress
                    _ = worksheet_add_table(sheet, lxw_row_t(first), 0, lxw_row_t(last), lxw_col_t(headings.count - 1), &options)
                }
            }
        }
        sheet.pointee.optimize = inRowOrder
        for (column, heading) in unique.enumerated() {
            worksheet_write_string(sheet, lxw_row_t(first), lxw_col_t(column), heading, headerFormat)
        }
    }

    func rowHeight(_ row: Int, _ height: Double) {
        worksheet_set_row(sheet, lxw_row_t(row), height, nil)
    }

    func columnWidth(_ first: Int, _ last: Int, _ width: Double) {
        worksheet_set_column(sheet, lxw_col_t(first), lxw_col_t(last), width, nil)
    }

    /// The sheet opens at its top: A1 the active cell and the top-left cell (with no panes frozen,
    /// libxlsxwriter writes no selection for A1, which is how Excel and LibreOffice read its absence).
    func openAtTop() {
        worksheet_set_selection(sheet, 0, 0, 0, 0)
    }

    /// A4, fit to the page's width, `repeatRows` (first, last) on every printed page.
    func printSetup(landscape: Bool, repeatRows: (Int, Int)?) {
        worksheet_set_paper(sheet, 9)
        if landscape { worksheet_set_landscape(sheet) }
        worksheet_fit_to_pages(sheet, 1, 0)
        if let (first, last) = repeatRows { worksheet_repeat_rows(sheet, lxw_row_t(first), lxw_row_t(last)) }
    }

    /// A native chart of `values` against `categories` (rows `first...last` of two columns of this sheet), placed at (row, column).
    /// Bars of `emphasized` points (the subject) are drawn in another pattern.
    func chart(_ kind: XLSXBook.ChartKind, title: String, first: Int, last: Int, categoryColumn: Int, valueColumn: Int,
               numberFormat: String, emphasized: [Bool], description: String, at row: Int, _ column: Int) {
        let chart = book.addChart(kind)
        let series = chart_add_series(chart, nil, nil)
        chart_series_set_categories(series, name, lxw_row_t(first), lxw_col_t(categoryColumn), lxw_row_t(last), lxw_col_t(categoryColumn))
        chart_series_set_values(series, name, lxw_row_t(first), lxw_col_t(valueColumn), lxw_row_t(last), lxw_col_t(valueColumn))
        chart_series_set_labels(series)
        chart_series_set_labels_num_format(series, numberFormat)
        chart_title_set_name(chart, title)
        var font = lxw_chart_font()
        font.size = 10
        font.bold = 1
        chart_title_set_name_font(chart, &font)
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
        if kind == .bar {
            // Bars read top-down in rank order; grey with a pattern, so they print in grey.
            chart_axis_set_reverse(chart.pointee.y_axis)
            var plain = lxw_chart_pattern(fg_color: 0x5A6B7D, bg_color: 0xFFFFFF, type: UInt8(LXW_CHART_PATTERN_WIDE_UPWARD_DIAGONAL.rawValue))
            chart_series_set_pattern(series, &plain)
            if emphasized.contains(true) {
                var marked = lxw_chart_pattern(fg_color: 0x8B1A1A, bg_color: 0xFFFFFF, type: UInt8(LXW_CHART_PATTERN_LARGE_CHECK.rawValue))
                withUnsafeMutablePointer(to: &plain) { plain in
                    withUnsafeMutablePointer(to: &marked) { marked in
                        var points = emphasized.map { lxw_chart_point(line: nil, fill: nil, pattern: $0 ? marked : plain) }
                        points.withUnsafeMutableBufferPointer { buffer in
                            // A list of pointers ending in nil; libxlsxwriter copies what they point to.
                            var list: [UnsafeMutablePointer<lxw_chart_point>?] = buffer.indices.map { buffer.baseAddress! + $0 } + [nil]
                            _ = chart_series_set_points(series, &list)
                        }
                    }
                }
            }
        } else {
            chart_series_set_marker_type(series, UInt8(LXW_CHART_MARKER_CIRCLE.rawValue))
        }
        withCStrings([description]) { text in
            var options = lxw_chart_options()
            options.x_scale = 1.5
            options.y_scale = last - first > 10 ? 1.6 : 1.2
            options.description = text[0]
            worksheet_insert_chart_opt(sheet, lxw_row_t(row), lxw_col_t(column), chart, &options)
        }
    }
}

/// Where a row's cells go, one at a time in column order: libxlsxwriter (`XLSXSheet`), the bytes spliced
/// into its sheet's part (`SheetRows`), or only the indexes their formats get when libxlsxwriter writes
/// them out (`FormatIndexes`). One list of a row's cells serves all three.
protocol CellWriter {
    func beginRow(_ row: Int)
    func text(_ row: Int, _ column: Int, _ text: String, _ format: XLSXBook.Format)
    func number(_ row: Int, _ column: Int, _ value: Double, _ format: XLSXBook.Format)
    func endRow()
}

extension CellWriter {
    func beginRow(_ row: Int) {}
    func endRow() {}
}

extension XLSXSheet: CellWriter {
    func text(_ row: Int, _ column: Int, _ text: String, _ format: XLSXBook.Format) { write(row, column, text, format) }
    func number(_ row: Int, _ column: Int, _ value: Double, _ format: XLSXBook.Format) { write(row, column, number: value, format) }
}

/// The indexes of a row's formats, given in the order libxlsxwriter gives them as it writes the row
/// out (see `XLSXSheet.spliceRows`): none for a cell it would not write.
struct FormatIndexes: CellWriter {
    let book: XLSXBook

    func text(_ row: Int, _ column: Int, _ text: String, _ format: XLSXBook.Format) {
        if format.isSet && SheetRows.writes(text, formatted: true) { _ = book.styleIndex(format) }
    }

    func number(_ row: Int, _ column: Int, _ value: Double, _ format: XLSXBook.Format) { _ = book.styleIndex(format) }
}
