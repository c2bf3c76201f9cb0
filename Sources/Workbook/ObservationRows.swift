import Render
import YearbookCore

/// The rows of the workbook's observations sheet: what each holds, written through libxlsxwriter
/// or spliced in as its bytes (`SheetRows`), the same cells with the same formats either way.
final class ObservationRows {
    /// One row's cells: names and codes (columns 0-6), the period, the value, status and source.
    struct Cells {
        enum Value {
            case none
            case withheld(XLSXBook.Format)
            /// The figure, its format, and the characters of its text (for the column's width).
            case number(Double, XLSXBook.Format, shown: Int)
        }
        var texts: [String]
        var period: Int
        var value: Value
        var status: String
        var source: String
    }

    private let book: XLSXBook
    private let edition: Edition
    private var described: [String: [String]] = [:]
    private var names: [String: Bilingual] = [:]
    private let plain: XLSXBook.Format
    private let year: XLSXBook.Format
    private var withheldMark: XLSXBook.Format?
    private var formats: [Int: XLSXBook.Format] = [:]

    init(book: XLSXBook, edition: Edition, presentation: Presentation) {
        self.book = book
        self.edition = edition
        for indicator in edition.indicators {
            let unit = presentation.unit(indicator.unit)
            described[indicator.code] = [indicator.nameZH, indicator.nameEN, unit.zh == unit.en ? unit.zh : "\(unit.zh) \(unit.en)"]
        }
        plain = book.prepared(XLSXBook.Style())
        year = book.prepared(XLSXBook.Style(numberFormat: "0"))
    }

    /// The value cell of `key`'s row. A format is made the first time a row needs it, in row order (the
    /// workbook lists its formats in that order).
    func value(_ key: ObservationKey) -> Cells.Value {
        if edition.confidentiality(key) != nil {
            // Made on first use: an edition that withholds nothing keeps its bytes.
            let format = withheldMark ?? book.prepared(XLSXBook.Style(right: true))
            withheldMark = format
            return .withheld(format)
        }
        guard let observation = edition.observations[key], let figure = observation.usableValue else { return .none }
        // As observations.csv writes it: derived figures at 4 decimals, others exactly.
        let decimals = observation.source == .derived ? 4 : (figure.decimalPlaces ?? 4)
        let format = formats[decimals] ?? book.prepared(XLSXBook.Style(numberFormat: WorkbookWriter.numberFormat(decimals: decimals)))
        formats[decimals] = format
        let shown = figure.formatted(decimals: decimals)
        return .number(Double(shown) ?? 0, format, shown: shown.utf8.count)
    }

    /// The names and code of `key`'s area (columns 0-2).
    func areaTexts(_ key: ObservationKey) -> [String] {
        let area = names[key.area] ?? edition.areaName(key.area)
        names[key.area] = area
        return [key.area, area.zh, area.en]
    }

    /// The code, names and unit of `key`'s indicator (columns 3-6).
    func indicatorTexts(_ key: ObservationKey) -> [String] {
        [key.indicator] + (described[key.indicator] ?? ["", "", ""])
    }

    /// The cells of `key`'s row, with its value cell.
    func cells(_ key: ObservationKey, value: Cells.Value) -> Cells {
        let observation = edition.observations[key]!
        return Cells(texts: areaTexts(key) + indicatorTexts(key), period: key.period, value: value,
                     status: observation.status.rawValue, source: observation.source.rawValue)
    }

    /// Writes `cells` as row `row` (libxlsxwriter, the splice, or their formats' indexes: `CellWriter`).
    func write(_ cells: Cells, row: Int, to writer: some CellWriter) {
        writer.beginRow(row)
        for (column, text) in cells.texts.enumerated() { writer.text(row, column, text, plain) }
        writer.number(row, 7, Double(cells.period), year)
        switch cells.value {
        case .none: break
        case .withheld(let format): writer.text(row, 8, NumberFormat.withheld, format)
        case .number(let number, let format, _): writer.number(row, 8, number, format)
        }
        writer.text(row, 9, cells.status, plain)
        writer.text(row, 10, cells.source, plain)
        writer.endRow()
    }
}
