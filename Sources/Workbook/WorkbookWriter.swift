import EditionFiles
import Render
import YearbookCore

/// `yearbook.xlsx`: the edition as statisticians read it in Excel or WPS — a
/// contents sheet, a sheet per chapter with its tables and native charts, the
/// definitions, and the data files with names and units beside the codes.
/// Figures are numbers with the indicator's decimals as their format (marks
/// in the format, never in the value); headings in both languages.
public enum WorkbookWriter {
    /// A fixed document date (2000-01-01 UTC): the same inputs give the same bytes.
    static let documentDate = 946_684_800

    /// The workbook's name in the edition.
    public static let fileName = "yearbook.xlsx"

    /// The published files whose content the workbook shows again: every chapter as its pages print
    /// it (tables, marks, headlines, charts), the definitions, the data files (values, statuses,
    /// sources, ranks) and the registry (names).
    public static func shows(_ file: String) -> Bool {
        file.hasPrefix("chapters/") || file.hasPrefix(EditionLayout.tablesFolder + "/") || file.hasPrefix("definitions.")
            || [EditionLayout.observations, EditionLayout.rankings, EditionLayout.areas].contains(file)
    }

    /// A digest of everything the workbook shows, from the digests of the files that show the same
    /// (`shows`) and the definition's texts it prints besides (title, indicators, units, columns):
    /// two editions with the same digest have byte-identical workbooks. Costs nothing next to writing one.
    public static func contentDigest(tool: String, definition: String, files: [String: String]) -> String {
        var text = "\(fileName) of \(tool)\n\(definition)\n"
        for file in files.keys.sorted() where shows(file) { text += "\(file) \(files[file]!)\n" }
        return SHA256.hex(Array(text.utf8))
    }

    /// Writes the workbook of `edition` at `path`.
    public static func write(path: String, _ edition: Edition, presentation: Presentation) throws {
        let book = try XLSXBook(path: path, created: documentDate)
        let contents = book.addSheet("目录 Contents", fallback: "Contents")
        let documents = edition.chapters.map { edition.document(for: $0, presentation: presentation) }
        let chapterSheets = documents.map { document in
            book.addSheet("第\(document.number)章 \(document.chapter.titleZH)", fallback: "Chapter \(document.number)")
        }
        let definitions = book.addSheet("指标解释 Definitions", fallback: "Definitions")
        let observations = book.addSheet("observations", fallback: "observations", inRowOrder: true)
        let rankings = book.addSheet("rankings", fallback: "rankings", inRowOrder: true)

        writeContents(contents, edition: edition, documents: documents, chapterSheets: chapterSheets,
                      others: [definitions, observations, rankings])
        for (document, sheet) in zip(documents, chapterSheets) { writeChapter(sheet, document, edition: edition) }
        writeDefinitions(definitions, edition.definitions(presentation: presentation))
        writeObservations(observations, book: book, edition: edition, presentation: presentation)
        writeRankings(rankings, edition: edition)
        try book.close()
    }

    static let title = XLSXBook.Style(bold: true, fontSize: 14)
    static let bold = XLSXBook.Style(bold: true)
    static let heading = XLSXBook.Style(bold: true, wrap: true, border: true, header: true)
    static let text = XLSXBook.Style(border: true)
    static let legend = "– 无数据 no data · ᴾ 初步数 provisional · ᴱ 估计数 estimated · ʳ 修订数 revised · ↑/↓ 位次上升/下降 rank up/down · = 位次不变 rank unchanged · new 上年无排名 not ranked last year · 1/1 唯一参评地区 the only area ranked"

    /// `#,##0.0` for one decimal; a mark follows the figure as a literal of the format.
    static func numberFormat(decimals: Int, mark: String? = nil) -> String {
        var format = decimals > 0 ? "#,##0." + String(repeating: "0", count: decimals) : "#,##0"
        let superscript: [Character: String] = ["P": "ᴾ", "E": "ᴱ", "r": "ʳ"]
        if let mark, !mark.isEmpty { format += "\"" + mark.map { superscript[$0] ?? "" }.joined() + "\"" }
        return format
    }

    static func textWidth(_ text: String) -> Double {
        Double(text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) })
    }

    static func double(_ value: Exact, decimals: Int) -> Double { Double(value.formatted(decimals: decimals)) ?? 0 }

    static func writeContents(_ sheet: XLSXSheet, edition: Edition, documents: [ChapterDocument],
                              chapterSheets: [XLSXSheet], others: [XLSXSheet]) {
        sheet.columnWidth(0, 0, 36)
        sheet.columnWidth(1, 1, 60)
        sheet.write(0, 0, "\(edition.title) \(edition.year)", title)
        sheet.write(1, 0, "\(edition.titleEN) \(edition.year)")
        sheet.write(3, 0, "目录 Contents", bold)
        var row = 4
        for (document, chapterSheet) in zip(documents, chapterSheets) {
            sheet.link(row, 0, toSheet: chapterSheet.name, text: chapterSheet.name)
            sheet.write(row, 1, "\(document.chapter.titleZH) \(document.chapter.titleEN)")
            row += 1
        }
        let labels = ["主要统计指标解释 Definitions of the main indicators",
                      "统一数据集 Unified dataset (data/observations.csv)", "排名 Rankings (data/rankings.csv)"]
        for (other, label) in zip(others, labels) {
            sheet.link(row, 0, toSheet: other.name, text: other.name)
            sheet.write(row, 1, label)
            row += 1
        }
        sheet.write(row + 1, 0, legend)
        sheet.printSetup(landscape: false, repeatRows: nil)
    }

    static func writeChapter(_ sheet: XLSXSheet, _ document: ChapterDocument, edition: Edition) {
        sheet.write(0, 0, "第\(document.number)章 \(document.chapter.titleZH) \(document.chapter.titleEN)", title)
        sheet.write(1, 0, "\(edition.title) \(edition.year) · \(edition.titleEN) \(edition.year)")
        var row = 3
        for headline in document.headlines {
            sheet.write(row, 0, headline.zh)
            sheet.write(row + 1, 0, headline.en)
            row += 3
        }
        // Each column as wide as its longest text (a Chinese character takes two widths), headings wrap.
        var widths: [Double] = []
        for block in document.blocks {
            switch block {
            case .table(let table):
                row = writeTable(sheet, table, at: row)
                for cells in table.rows {
                    for (column, cell) in cells.enumerated() {
                        if widths.count <= column { widths.append(10) }
                        widths[column] = min(60, max(widths[column], textWidth(cell.text + (cell.mark ?? "")) + 2))
                    }
                }
            case .chart(let chart):
                row = writeChart(sheet, chart, at: row)
            }
        }
        sheet.write(row, 0, legend)
        for (column, width) in widths.enumerated() { sheet.columnWidth(column, column, width) }
        let widest = widths.count
        sheet.freeze(rows: 2, columns: 1)
        sheet.printSetup(landscape: widest > 7, repeatRows: (0, 1))
    }

    /// Caption, one or two header rows, the rows; returns the next free row.
    static func writeTable(_ sheet: XLSXSheet, _ table: Table, at start: Int) -> Int {
        var row = start
        sheet.write(row, 0, "\(table.caption.zh) \(table.caption.en)", bold)
        row += 1
        let heading = { (column: Bilingual) in "\(column.zh)\n\(column.en)" }
        if table.groups.isEmpty {
            for (index, column) in table.columns.enumerated() { sheet.write(row, index, heading(column), Self.heading) }
            sheet.rowHeight(row, 45)
            row += 1
        } else {
            sheet.mergeDown(row, row + 1, 0, heading(table.columns[0]), Self.heading)
            var index = 1
            for group in table.groups {
                let last = min(index + group.span, table.columns.count) - 1
                if let title = group.title {
                    if last > index { sheet.merge(row, index, last, heading(title), Self.heading) } else { sheet.write(row, index, heading(title), Self.heading) }
                    for column in index...last { sheet.write(row + 1, column, heading(table.columns[column]), Self.heading) }
                } else {
                    for column in index...last { sheet.mergeDown(row, row + 1, column, heading(table.columns[column]), Self.heading) }
                }
                index = last + 1
            }
            sheet.rowHeight(row, 30)
            sheet.rowHeight(row + 1, 45)
            row += 2
        }
        for (index, cells) in table.rows.enumerated() {
            let emphasized = table.emphasized.contains(index)
            for (column, cell) in cells.enumerated() {
                if let number = cell.number {
                    sheet.write(row, column, number: double(number, decimals: cell.decimals),
                                XLSXBook.Style(bold: emphasized, border: true, numberFormat: numberFormat(decimals: cell.decimals, mark: cell.mark)))
                } else {
                    sheet.write(row, column, cell.text, XLSXBook.Style(bold: emphasized, border: true))
                }
            }
            row += 1
        }
        return row + 1
    }

    /// The chart's figures in two columns and a native chart of them beside; returns the next free row.
    static func writeChart(_ sheet: XLSXSheet, _ chart: Chart, at start: Int) -> Int {
        sheet.write(start, 0, "图 \(chart.title.zh) · Chart: \(chart.title.en) (\(chart.unit.zh) \(chart.unit.en))", bold)
        let first = start + 1
        for (offset, point) in chart.points.enumerated() {
            let label = point.label.en.isEmpty || point.label.en == point.label.zh ? point.label.zh : "\(point.label.zh) \(point.label.en)"
            sheet.write(first + offset, 0, label, XLSXBook.Style(bold: point.emphasized, border: true))
            sheet.write(first + offset, 1, number: double(point.value, decimals: chart.decimals),
                        XLSXBook.Style(bold: point.emphasized, border: true, numberFormat: numberFormat(decimals: chart.decimals)))
        }
        let last = first + max(chart.points.count, 1) - 1
        sheet.chart(chart.kind == .bars ? .bar : .line, title: "\(chart.title.zh) \(chart.title.en)", first: first, last: last,
                    categoryColumn: 0, valueColumn: 1, numberFormat: numberFormat(decimals: chart.decimals),
                    emphasized: chart.points.map(\.emphasized), at: start, 3)
        let chartRows = chart.points.count > 11 ? 26 : 19
        return start + max(chart.points.count + 2, chartRows)
    }

    static func writeDefinitions(_ sheet: XLSXSheet, _ sections: [DefinitionSection]) {
        sheet.write(0, 0, "主要统计指标解释 Definitions of the main indicators", title)
        for (column, name) in ["项目", "Term", "解释", "Explanation"].enumerated() { sheet.write(1, column, name, heading) }
        var row = 2
        for section in sections {
            sheet.write(row, 0, section.title.zh, bold)
            sheet.write(row, 1, section.title.en, bold)
            row += 1
            for entry in section.entries {
                sheet.write(row, 0, entry.term.zh, XLSXBook.Style(wrap: true))
                sheet.write(row, 1, entry.term.en, XLSXBook.Style(wrap: true))
                sheet.write(row, 2, entry.lines.map(\.zh).joined(separator: "\n"), XLSXBook.Style(wrap: true))
                sheet.write(row, 3, entry.lines.map(\.en).joined(separator: "\n"), XLSXBook.Style(wrap: true))
                row += 1
            }
        }
        sheet.columnWidth(0, 1, 28)
        sheet.columnWidth(2, 3, 60)
        sheet.freeze(rows: 2, columns: 0)
        sheet.printSetup(landscape: true, repeatRows: (1, 1))
    }

    /// `observations.csv` with the area's and the indicator's names and the unit beside the codes.
    /// Names, units and formats are made once per area and indicator: the sheet has a row per observation.
    static func writeObservations(_ sheet: XLSXSheet, book: XLSXBook, edition: Edition, presentation: Presentation) {
        let header = ["area_code", "地区 area_name_zh", "area_name_en", "indicator", "指标 indicator_name_zh", "indicator_name_en",
                      "单位 unit", "period", "value", "status", "source"]
        for (column, name) in header.enumerated() { sheet.write(0, column, name, heading) }
        var described: [String: [String]] = [:]
        for indicator in edition.indicators {
            let unit = presentation.unit(indicator.unit)
            described[indicator.code] = [indicator.nameZH, indicator.nameEN, unit.zh == unit.en ? unit.zh : "\(unit.zh) \(unit.en)"]
        }
        var names: [String: Bilingual] = [:]
        let plain = book.prepared(XLSXBook.Style())
        let year = book.prepared(XLSXBook.Style(numberFormat: "0"))
        var formats: [Int: XLSXBook.Format] = [:]
        var row = 1
        for key in ObservationKey.sorted(edition.observations.keys) {
            let observation = edition.observations[key]!
            let area = names[key.area] ?? edition.areaName(key.area)
            names[key.area] = area
            let indicator = described[key.indicator] ?? ["", "", ""]
            for (column, text) in [key.area, area.zh, area.en, key.indicator, indicator[0], indicator[1], indicator[2]].enumerated() {
                sheet.write(row, column, text, plain)
            }
            sheet.write(row, 7, number: Double(key.period), year)
            if let value = observation.usableValue {
                // As observations.csv writes it: derived figures at 4 decimals, others exactly.
                let decimals = observation.source == .derived ? 4 : (value.decimalPlaces ?? 4)
                let format = formats[decimals] ?? book.prepared(XLSXBook.Style(numberFormat: numberFormat(decimals: decimals)))
                formats[decimals] = format
                sheet.write(row, 8, number: double(value, decimals: decimals), format)
            }
            sheet.write(row, 9, observation.status.rawValue, plain)
            sheet.write(row, 10, observation.source.rawValue, plain)
            row += 1
        }
        sheet.columnWidth(0, 10, 14)
        sheet.columnWidth(4, 5, 30)
        sheet.freeze(rows: 1, columns: 0)
        sheet.printSetup(landscape: true, repeatRows: (0, 0))
    }

    static func writeRankings(_ sheet: XLSXSheet, edition: Edition) {
        let header = ["indicator", "指标 indicator_name", "parent_code", "上级 parent_name", "area_code", "地区 area_name",
                      "period", "value", "rank", "previous_rank", "rank_change"]
        for (column, name) in header.enumerated() { sheet.write(0, column, name, heading) }
        var row = 1
        for ranking in edition.rankings {
            let indicator = edition.indicator(ranking.indicator)
            let parent = edition.areaName(ranking.parent), area = edition.areaName(ranking.area)
            let texts = [ranking.indicator, indicator.map { "\($0.nameZH) \($0.nameEN)" } ?? "", ranking.parent,
                         "\(parent.zh) \(parent.en)", ranking.area, "\(area.zh) \(area.en)"]
            for (column, text) in texts.enumerated() { sheet.write(row, column, text) }
            sheet.write(row, 6, number: Double(ranking.period), XLSXBook.Style(numberFormat: "0"))
            let decimals = indicator?.decimals ?? 0
            if let value = Exact(decimal: ranking.published) {
                sheet.write(row, 7, number: double(value, decimals: decimals), XLSXBook.Style(numberFormat: numberFormat(decimals: decimals)))
            }
            sheet.write(row, 8, number: Double(ranking.rank), XLSXBook.Style(numberFormat: "0"))
            if let previous = ranking.previousRank { sheet.write(row, 9, number: Double(previous), XLSXBook.Style(numberFormat: "0")) }
            if let change = ranking.rankChange { sheet.write(row, 10, number: Double(change), XLSXBook.Style(numberFormat: "0")) }
            row += 1
        }
        sheet.columnWidth(0, 10, 14)
        sheet.columnWidth(1, 1, 30)
        sheet.freeze(rows: 1, columns: 0)
        sheet.printSetup(landscape: true, repeatRows: (0, 0))
    }
}
