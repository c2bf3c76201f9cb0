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
    }

    enum ChartKind { case bar, line }

    private let book: UnsafeMutablePointer<lxw_workbook>
    private let path: String
    private var formats: [Style: UnsafeMutablePointer<lxw_format>] = [:]

    /// `created`: the document date in seconds since 1970, fixed so that two builds give the same bytes.
    init(path: String, created: Int) throws {
        self.path = path
        guard let book = workbook_new(path) else { throw YearbookError(.system, "libxlsxwriter cannot start a workbook at \(path)") }
        self.book = book
        var properties = lxw_doc_properties()
        properties.created = time_t(created)
        workbook_set_properties(book, &properties)
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
        return XLSXSheet(sheet: workbook_add_worksheet(book, chosen), name: chosen, book: self)
    }

    /// A style made once into a workbook format, for sheets of many rows.
    struct Format {
        fileprivate let pointer: UnsafeMutablePointer<lxw_format>?
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

    /// Closes the workbook: its file is written.
    func close() throws {
        let error = workbook_close(book)
        guard error == LXW_NO_ERROR else {
            throw YearbookError(.system, "libxlsxwriter could not write \(path): \(String(cString: lxw_strerror(error)))")
        }
    }
}

final class XLSXSheet {
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    let name: String
    private unowned let book: XLSXBook

    fileprivate init(sheet: UnsafeMutablePointer<lxw_worksheet>, name: String, book: XLSXBook) {
        self.sheet = sheet
        self.name = name
        self.book = book
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

    func merge(_ row: Int, _ first: Int, _ last: Int, _ text: String, _ style: XLSXBook.Style) {
        worksheet_merge_range(sheet, lxw_row_t(row), lxw_col_t(first), lxw_row_t(row), lxw_col_t(last), text, book.format(style))
    }

    func mergeDown(_ first: Int, _ last: Int, _ column: Int, _ text: String, _ style: XLSXBook.Style) {
        worksheet_merge_range(sheet, lxw_row_t(first), lxw_col_t(column), lxw_row_t(last), lxw_col_t(column), text, book.format(style))
    }

    func rowHeight(_ row: Int, _ height: Double) {
        worksheet_set_row(sheet, lxw_row_t(row), height, nil)
    }

    func columnWidth(_ first: Int, _ last: Int, _ width: Double) {
        worksheet_set_column(sheet, lxw_col_t(first), lxw_col_t(last), width, nil)
    }

    func freeze(rows: Int, columns: Int) {
        worksheet_freeze_panes(sheet, lxw_row_t(rows), lxw_col_t(columns))
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
               numberFormat: String, emphasized: [Bool], at row: Int, _ column: Int) {
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
        var options = lxw_chart_options()
        options.x_scale = 1.5
        options.y_scale = last - first > 10 ? 1.6 : 1.2
        worksheet_insert_chart_opt(sheet, lxw_row_t(row), lxw_col_t(column), chart, &options)
    }
}
