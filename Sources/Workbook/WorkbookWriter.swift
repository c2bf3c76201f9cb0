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
            || [EditionLayout.observations, EditionLayout.rankings, EditionLayout.areas, WithheldFile.path].contains(file)
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
        // The observations' rows are spliced in as the workbook is zipped, where libxlsxwriter's zip
        // calls reach the tool's; where they turn out not to, it is written again the plain way.
        if try !write(path: path, edition, presentation: presentation, splicingRows: true) {
            _ = try write(path: path, edition, presentation: presentation, splicingRows: false)
        }
    }

    /// Writes the workbook; false when the rows to splice did not go in (see `XLSXBook.close`).
    static func write(path: String, _ edition: Edition, presentation: Presentation, splicingRows: Bool) throws -> Bool {
        let publisher = Self.publisher(edition)
        let subject = edition.areaName(edition.subject)
        let book = try XLSXBook(path: path, created: documentDate, properties: XLSXBook.Properties(
            title: "\(edition.title) \(edition.year)", subject: "\(edition.titleEN) \(edition.year)",
            author: publisher.zh, keywords: "民政统计, 统计年鉴, \(subject.zh), \(edition.year), civil affairs statistics, yearbook, \(subject.en)",
            comments: "\(publisher.zh) \(publisher.en)", language: "zh-CN"), splicingRows: splicingRows)
        let cover = book.addSheet("封面 Cover", fallback: "Cover")
        let contents = book.addSheet("目录 Contents", fallback: "Contents")
        let documents = edition.chapters.map { edition.document(for: $0, presentation: presentation) }
        let chapterSheets = documents.map { document in
            book.addSheet("第\(document.number)章 \(document.chapter.titleZH)", fallback: "Chapter \(document.number)")
        }
        let definitions = book.addSheet("指标解释 Definitions", fallback: "Definitions")
        let observations = book.addSheet("observations", fallback: "observations", inRowOrder: true)
        let rankings = book.addSheet("rankings", fallback: "rankings", inRowOrder: true)

        writeCover(cover, edition: edition, publisher: publisher, chapters: documents.count, contents: contents)
        var entries = [(cover, Bilingual(zh: "封面：年鉴名称、编制单位、年份、内容与符号说明", en: "Cover: title, publisher, year, contents and how to read the marks")),
                       (contents, Bilingual(zh: "目录：各工作表及其内容", en: "Contents: every sheet and what it holds"))]
        entries += zip(documents, chapterSheets).map { document, sheet in
            let tables = document.blocks.count
            return (sheet, Bilingual(zh: "\(document.chapter.titleZH)：主要指标、\(tables)个表格及图表",
                                     en: "\(document.chapter.titleEN): key figures, \(tables) tables and charts"))
        }
        entries += [(definitions, Bilingual(zh: "主要统计指标解释", en: "Definitions of the main indicators")),
                    (observations, Bilingual(zh: "统一数据集 (data/observations.csv)，附地区、指标名称与单位",
                                             en: "Unified dataset (data/observations.csv) with area and indicator names and units")),
                    (rankings, Bilingual(zh: "排名 (data/rankings.csv)", en: "Rankings (data/rankings.csv)"))]
        writeContents(contents, edition: edition, entries: entries)
        for (document, sheet) in zip(documents, chapterSheets) { writeChapter(sheet, document, edition: edition) }
        writeDefinitions(definitions, edition.definitions(presentation: presentation))
        writeObservations(observations, book: book, edition: edition, presentation: presentation)
        writeRankings(rankings, book: book, edition: edition)
        return try book.close()
    }

    /// The bureau that publishes the yearbook, from the definition's title: "株洲市民政统计年鉴" is
    /// 株洲市民政局's; a title without "统计年鉴" gives the subject area's civil-affairs bureau.
    static func publisher(_ edition: Edition) -> Bilingual {
        let subject = edition.areaName(edition.subject)
        let zh = edition.title.range(of: "统计年鉴").map { String(edition.title[..<$0.lowerBound]) + "局" } ?? "\(subject.zh)民政局"
        let en = edition.titleEN.range(of: "Statistical Yearbook").map { String(edition.titleEN[..<$0.lowerBound]) + "Bureau" }
            ?? "Civil Affairs Bureau of \(subject.en)"
        return Bilingual(zh: zh, en: en)
    }

    static let title = XLSXBook.Style(bold: true, fontSize: 14)
    static let bold = XLSXBook.Style(bold: true)
    static let heading = XLSXBook.Style(bold: true, wrap: true, border: true, header: true)
    static let text = XLSXBook.Style(border: true)
    /// Each mark of the tables and what it means.
    static let marks: [(mark: String, zh: String, en: String)] = [
        (NumberFormat.noData, "无数据", "no data"), ("ᴾ", "初步数", "provisional"), ("ᴱ", "估计数", "estimated"), ("ʳ", "修订数", "revised"),
        ("↑/↓", "位次上升/下降", "rank up/down"), (NumberFormat.rankUnchanged, "位次不变", "rank unchanged"),
        ("new", "上年无排名", "not ranked last year"), (NumberFormat.onlyRanked, "唯一参评地区", "the only area ranked"),
        ("+2.0%", "增长率（%）", "growth rate (%)"), ("+1.5 pp", "百分点之差", "difference in percentage points"),
    ]
    static let legend = marks.map { "\($0.mark) \($0.zh) \($0.en)" }.joined(separator: " · ")
    /// The marks an edition uses: `*` only where it withholds a figure (an edition that withholds
    /// nothing keeps its bytes).
    static func marks(_ edition: Edition) -> [(mark: String, zh: String, en: String)] {
        edition.withholdsAny ? marks + [(NumberFormat.withheld, "保密，不予公布", "confidential, withheld")] : marks
    }
    static func legend(_ edition: Edition) -> String {
        edition.withholdsAny ? legend + " · \(NumberFormat.withheld) \(WithheldLegend.short)" : legend
    }

    /// `#,##0.0` for one decimal; a mark follows the figure as a literal of the format.
    static func numberFormat(decimals: Int, mark: String? = nil) -> String {
        var format = decimals > 0 ? "#,##0." + String(repeating: "0", count: decimals) : "#,##0"
        let superscript: [Character: String] = ["P": "ᴾ", "E": "ᴱ", "r": "ʳ"]
        if let mark, !mark.isEmpty { format += "\"" + mark.map { superscript[$0] ?? "" }.joined() + "\"" }
        return format
    }

    /// A change as the pages print it, sign and unit in the format: `+26.0%`, `−2.4 pp` read
    /// `+26.0%` and `-2.4 pp`, the value staying the number 26.0 or -2.4.
    static func changeFormat(inPoints: Bool) -> String {
        let unit = inPoints ? "\" pp\"" : "\"%\""
        return "+#,##0.0\(unit);-#,##0.0\(unit);0.0\(unit)"
    }

    /// A column's width in characters: a Chinese character takes two; a heading's longest line.
    /// One pass over the scalars, nothing allocated: it is measured for cells of every row of the data sheets.
    /// A line ends at a line feed that is a character of its own (not the second half of `\r\n`).
    static func textWidth(_ text: String) -> Double {
        var widest = 0, line = 0, afterReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && !afterReturn {
                widest = max(widest, line)
                line = 0
            } else {
                line += scalar.value > 0x2E80 ? 2 : 1
            }
            afterReturn = scalar == "\r"
        }
        return Double(max(widest, line))
    }

    static func double(_ value: Exact, decimals: Int) -> Double { Double(value.formatted(decimals: decimals)) ?? 0 }

    static func writeCover(_ sheet: XLSXSheet, edition: Edition, publisher: Bilingual, chapters: Int, contents: XLSXSheet) {
        sheet.write(0, 0, "\(edition.title) \(edition.year)", title)
        sheet.write(1, 0, "\(edition.titleEN) \(edition.year)", bold)
        let facts = [("编制单位 Published by", "\(publisher.zh) \(publisher.en)"),
                     ("年鉴年份 Edition", "\(edition.year)年版 \(edition.year) edition"),
                     ("数据年份 Reference year", "\(edition.year)年数据，主要指标附上年及历年数据 Figures of \(edition.year), with the year before and earlier years"),
                     ("内容 What the workbook holds",
                      "目录；\(chapters)章，每章一个工作表（主要指标、专题表格、排名，图表数据列于图左）；指标解释；统一数据集与排名 "
                        + "Contents; \(chapters) chapters, a sheet each (key figures, topic tables, rankings, each chart's figures beside it); definitions; the dataset and rankings"),
                     ("语言 Language", "中文，附英文 Chinese, with English")]
        let valueWidth = 90.0
        var row = 3
        for (label, value) in facts {
            sheet.write(row, 0, label, bold)
            sheet.write(row, 1, value, XLSXBook.Style(wrap: true))
            sheet.rowHeight(row, Double(SheetLayout.lines(value, width: valueWidth)) * SheetLayout.lineHeight)
            row += 1
        }
        row += 1
        sheet.write(row, 0, "符号说明 How to read the marks", bold)
        row += 1
        for mark in marks(edition) {
            sheet.write(row, 0, mark.mark, XLSXBook.Style(right: true))
            sheet.write(row, 1, "\(mark.zh) \(mark.en)")
            row += 1
        }
        if edition.withholdsAny {
            let explanation = "\(WithheldLegend.explanation.zh) \(WithheldLegend.ranks.zh) \(WithheldLegend.explanation.en) \(WithheldLegend.ranks.en)"
            sheet.write(row, 0, NumberFormat.withheld, XLSXBook.Style(right: true))
            sheet.write(row, 1, explanation, XLSXBook.Style(wrap: true))
            sheet.rowHeight(row, Double(SheetLayout.lines(explanation, width: valueWidth)) * SheetLayout.lineHeight)
            row += 1
        }
        sheet.write(row, 0, "数字为数值，符号在数字格式中 Figures are numbers; their marks are in the number format")
        row += 2
        sheet.link(row, 0, toSheet: contents.name, text: "目录 Contents →")
        sheet.columnWidth(0, 0, 30)
        sheet.columnWidth(1, 1, valueWidth)
        sheet.openAtTop()
        sheet.printSetup(landscape: false, repeatRows: nil)
    }

    static func writeContents(_ sheet: XLSXSheet, edition: Edition, entries: [(XLSXSheet, Bilingual)]) {
        sheet.write(0, 0, "目录 Contents", title)
        sheet.write(1, 0, "\(edition.title) \(edition.year) · \(edition.titleEN) \(edition.year)")
        let headings = ["工作表 Sheet", "内容 Description"]
        for (column, name) in headings.enumerated() { sheet.write(3, column, name, heading) }
        var row = 4
        for (target, description) in entries {
            sheet.link(row, 0, toSheet: target.name, text: target.name)
            sheet.write(row, 1, "\(description.zh) \(description.en)")
            row += 1
        }
        sheet.table(first: 3, last: row - 1, headings: headings, heading)
        sheet.columnWidth(0, 0, max(16, entries.map { textWidth($0.0.name) + 4 }.max() ?? 0))
        sheet.columnWidth(1, 1, min(120, (entries.map { textWidth("\($0.1.zh) \($0.1.en)") }.max() ?? 0) + 2))
        sheet.openAtTop()
        sheet.printSetup(landscape: true, repeatRows: nil)
    }

    static func writeChapter(_ sheet: XLSXSheet, _ document: ChapterDocument, edition: Edition) {
        sheet.write(0, 0, "第\(document.number)章 \(document.chapter.titleZH) \(document.chapter.titleEN)", title)
        sheet.write(1, 0, "\(edition.title) \(edition.year) · \(edition.titleEN) \(edition.year)")
        // Tables and charts' figures are all tables here, numbered in reading order and announced at the top.
        let count = document.blocks.count
        sheet.write(2, 0, "本表共\(count)个表格（表1—表\(count)），图表的数据在其左侧 · This sheet holds \(count) tables (1 to \(count)); each chart's figures are to its left", bold)
        var row = 4
        for headline in document.headlines {
            sheet.write(row, 0, headline.zh)
            sheet.write(row + 1, 0, headline.en)
            row += 3
        }
        let layout = SheetLayout()
        for (index, block) in document.blocks.enumerated() {
            switch block {
            case .table(let table):
                row = writeTable(sheet, table, number: index + 1, edition: edition, at: row, layout: layout)
            case .chart(let chart):
                row = writeChart(sheet, chart, number: index + 1, at: row, layout: layout)
            }
        }
        sheet.write(row, 0, legend(edition))
        layout.apply(to: sheet)
        sheet.openAtTop()
        sheet.printSetup(landscape: layout.widths.count > 7, repeatRows: (0, 1))
    }

    /// The headings of a table in one row: a group's title before each of its columns ("低保户数：城市 (户)").
    static func headings(_ table: Table) -> [String] {
        var flat = table.columns
        var index = 1
        for group in table.groups {
            for column in index..<min(index + group.span, table.columns.count) {
                if let title = group.title {
                    flat[column] = Bilingual(zh: "\(title.zh)：\(table.columns[column].zh)", en: "\(title.en): \(table.columns[column].en)")
                }
            }
            index += group.span
        }
        return flat.map { "\($0.zh)\n\($0.en)" }
    }

    /// A mark in a column of figures (`–`, `1/1`, `↑2`, `new`): right-aligned like the figures,
    /// so it keeps clear of the next column.
    static func isMark(_ text: String) -> Bool {
        [NumberFormat.noData, NumberFormat.onlyRanked, NumberFormat.rankUnchanged, "new", NumberFormat.withheld].contains(text)
            || text.hasPrefix("↑") || text.hasPrefix("↓")
    }

    /// Numbered caption, one header row, the rows, marked as an Excel table; returns the next free row.
    static func writeTable(_ sheet: XLSXSheet, _ table: Table, number: Int, edition: Edition, at start: Int,
                           layout: SheetLayout) -> Int {
        sheet.write(start, 0, "表\(number) \(table.caption.zh) · Table \(number): \(table.caption.en)", bold)
        let header = start + 1
        let names = headings(table)
        for (column, name) in names.enumerated() { sheet.write(header, column, name, heading) }
        layout.headings(header, names)
        var row = header + 1
        for (index, cells) in table.rows.enumerated() {
            let emphasized = table.emphasized.contains(index)
            let inPoints = index < table.rowIndicators.count ? table.rowIndicators[index].flatMap { edition.indicator($0)?.changeIsInPoints } : nil
            for (column, cell) in cells.enumerated() {
                let isChange = column < table.columnIDs.count && table.columnIDs[column] == "change"
                if let number = cell.number {
                    let format = isChange ? changeFormat(inPoints: inPoints ?? false) : numberFormat(decimals: cell.decimals, mark: cell.mark)
                    sheet.write(row, column, number: double(number, decimals: cell.decimals),
                                XLSXBook.Style(bold: emphasized, border: true, numberFormat: format, center: column == 0))
                } else {
                    sheet.write(row, column, cell.text, XLSXBook.Style(bold: emphasized, border: true, right: column > 0 && isMark(cell.text)))
                }
                layout.widen(column, cell.text + (cell.mark ?? ""))
            }
            row += 1
        }
        if row > header + 1 { sheet.table(first: header, last: row - 1, headings: names, heading) }
        return row + 1
    }

    /// The chart's figures as a numbered table of two columns and a native chart of them beside,
    /// described in words from its figures; returns the next free row.
    static func writeChart(_ sheet: XLSXSheet, _ chart: Chart, number: Int, at start: Int, layout: SheetLayout) -> Int {
        sheet.write(start, 0, "表\(number) 图：\(chart.title.zh)的数据 · Table \(number): figures of the chart \(chart.title.en)", bold)
        let header = start + 1
        let names = [chart.kind == .bars ? "项目\nItem" : "年份\nYear", "\(chart.unit.zh)\n\(chart.unit.en)"]
        for (column, name) in names.enumerated() { sheet.write(header, column, name, heading) }
        layout.headings(header, names)
        let first = header + 1
        for (offset, point) in chart.points.enumerated() {
            let label = point.label.en.isEmpty || point.label.en == point.label.zh ? point.label.zh : "\(point.label.zh) \(point.label.en)"
            sheet.write(first + offset, 0, label, XLSXBook.Style(bold: point.emphasized, border: true))
            if point.withheld {
                // Text, not a number: the chart draws no bar for it and the cell shows no digit.
                sheet.write(first + offset, 1, point.text, XLSXBook.Style(bold: point.emphasized, border: true, right: true))
            } else {
                sheet.write(first + offset, 1, number: double(point.value, decimals: chart.decimals),
                            XLSXBook.Style(bold: point.emphasized, border: true, numberFormat: numberFormat(decimals: chart.decimals)))
            }
            layout.widen(0, label)
            layout.widen(1, point.text)
        }
        let last = first + max(chart.points.count, 1) - 1
        if !chart.points.isEmpty { sheet.table(first: header, last: last, headings: names, heading) }
        let summary = chart.summary
        sheet.chart(chart.kind == .bars ? .bar : .line, title: "\(chart.title.zh) \(chart.title.en)", first: first, last: last,
                    categoryColumn: 0, valueColumn: 1, numberFormat: numberFormat(decimals: chart.decimals),
                    emphasized: chart.points.map(\.emphasized), description: "\(summary.zh) · \(summary.en)", at: start, 3)
        let chartRows = chart.points.count > 11 ? 26 : 19
        return start + max(chart.points.count + 3, chartRows)
    }

    static func writeDefinitions(_ sheet: XLSXSheet, _ sections: [DefinitionSection]) {
        sheet.write(0, 0, "主要统计指标解释 Definitions of the main indicators", title)
        let headings = ["分类\nSection", "项目\nTerm", "Term", "解释\nExplanation (zh)", "Explanation"]
        let widths = [24.0, 28, 28, 60, 60]
        // Each row as tall as its longest text wrapped in these widths: neither Excel nor LibreOffice
        // makes a row written by libxlsxwriter taller for it.
        func writeRow(_ row: Int, _ texts: [String], _ style: XLSXBook.Style) {
            for (column, text) in texts.enumerated() { sheet.write(row, column, text, style) }
            let lines = zip(texts, widths).map { SheetLayout.lines($0, width: $1) }.max() ?? 1
            sheet.rowHeight(row, Double(lines) * SheetLayout.lineHeight)
        }
        writeRow(2, headings, heading)
        var row = 3
        for section in sections {
            for entry in section.entries {
                writeRow(row, ["\(section.title.zh) \(section.title.en)", entry.term.zh, entry.term.en,
                               entry.lines.map(\.zh).joined(separator: "\n"), entry.lines.map(\.en).joined(separator: "\n")],
                         XLSXBook.Style(wrap: true))
                row += 1
            }
        }
        if row > 3 { sheet.table(first: 2, last: row - 1, headings: headings, heading) }
        for (column, width) in widths.enumerated() { sheet.columnWidth(column, column, width) }
        sheet.openAtTop()
        sheet.printSetup(landscape: true, repeatRows: (2, 2))
    }

    /// `observations.csv` with the area's and the indicator's names and the unit beside the codes.
    /// Names, units and formats are made once per area and indicator: the sheet has a row per observation.
    static func writeObservations(_ sheet: XLSXSheet, book: XLSXBook, edition: Edition, presentation: Presentation) {
        let header = ["area_code", "地区 area_name_zh", "area_name_en", "indicator", "指标 indicator_name_zh", "indicator_name_en",
                      "单位 unit", "period", "value", "status", "source"]
        // The table's range is known before its rows: a row per observation.
        if edition.observations.isEmpty {
            for (column, name) in header.enumerated() { sheet.write(0, column, name, heading) }
        } else {
            sheet.table(first: 0, last: edition.observations.count, headings: header, heading)
        }
        let rows = ObservationRows(book: book, edition: edition, presentation: presentation)
        // Widths from the text: names and codes measured once each, a figure by its digits.
        let layout = SheetLayout()
        for (column, name) in header.enumerated() { layout.widen(column, name) }
        var measuredAreas: Set<String> = [], measuredIndicators: Set<String> = []
        let keys = ObservationKey.sorted(edition.observations.keys)
        // Rows 2 to the one before the last are written by the tool as the workbook is zipped, byte for byte
        // as libxlsxwriter would (`SheetRows`), at a fraction of its cost. libxlsxwriter is given the others, so
        // that the sheet's dimension, its first rows and its last row are its own.
        let xml = book.splicesRows && keys.count >= 3 ? sheet.spliceRows(before: keys.count) : nil
        let spliced = xml == nil ? 2..<2 : 2..<keys.count
        for (offset, key) in keys.enumerated() {
            let row = offset + 1
            let value = rows.value(key)
            if measuredAreas.insert(key.area).inserted {
                for (column, text) in rows.areaTexts(key).enumerated() { layout.widen(column, text) }
            }
            if measuredIndicators.insert(key.indicator).inserted {
                for (column, text) in rows.indicatorTexts(key).enumerated() { layout.widen(3 + column, text) }
            }
            if case .number(_, _, let shown) = value {
                // Digits, sign and point, one character each, and room for a thousands separator every three.
                layout.widen(8, width: Double(shown + shown / 3))
            }
            let cells = rows.cells(key, value: value)
            if let xml, spliced.contains(row) {
                rows.write(cells, row: row, to: xml)
            } else {
                rows.write(cells, row: row, to: sheet)
                if row == 1 && !spliced.isEmpty { rows.write(cells, row: row, to: FormatIndexes(book: book)) }
            }
        }
        layout.apply(to: sheet)
        sheet.openAtTop()
        sheet.printSetup(landscape: true, repeatRows: (0, 0))
    }

    /// The ranks as released (`Edition.publishedRankings`): none for a withheld figure.
    static func writeRankings(_ sheet: XLSXSheet, book: XLSXBook, edition: Edition) {
        let rankings = edition.publishedRankings
        let header = ["indicator", "指标 indicator_name", "parent_code", "上级 parent_name", "area_code", "地区 area_name",
                      "period", "value", "rank", "previous_rank", "rank_change"]
        if rankings.isEmpty {
            for (column, name) in header.enumerated() { sheet.write(0, column, name, heading) }
        } else {
            sheet.table(first: 0, last: rankings.count, headings: header, heading)
        }
        let layout = SheetLayout()
        for (column, name) in header.enumerated() { layout.widen(column, name) }
        // Formats made once, not looked up by their style in every cell.
        let whole = book.prepared(XLSXBook.Style(numberFormat: "0"))
        var formats: [Int: XLSXBook.Format] = [:]
        var row = 1
        for ranking in rankings {
            let indicator = edition.indicator(ranking.indicator)
            let parent = edition.areaName(ranking.parent), area = edition.areaName(ranking.area)
            let texts = [ranking.indicator, indicator.map { "\($0.nameZH) \($0.nameEN)" } ?? "", ranking.parent,
                         "\(parent.zh) \(parent.en)", ranking.area, "\(area.zh) \(area.en)"]
            for (column, text) in texts.enumerated() {
                sheet.write(row, column, text)
                layout.widen(column, text)
            }
            sheet.write(row, 6, number: Double(ranking.period), whole)
            let decimals = indicator?.decimals ?? 0
            if let value = Exact(decimal: ranking.published) {
                let format = formats[decimals] ?? book.prepared(XLSXBook.Style(numberFormat: numberFormat(decimals: decimals)))
                formats[decimals] = format
                sheet.write(row, 7, number: double(value, decimals: decimals), format)
                layout.widen(7, NumberFormat.grouped(value, decimals: decimals))
            }
            sheet.write(row, 8, number: Double(ranking.rank), whole)
            if let previous = ranking.previousRank { sheet.write(row, 9, number: Double(previous), whole) }
            if let change = ranking.rankChange { sheet.write(row, 10, number: Double(change), whole) }
            row += 1
        }
        layout.apply(to: sheet)
        sheet.openAtTop()
        sheet.printSetup(landscape: true, repeatRows: (0, 0))
    }
}

/// A sheet's column widths made from the text each column shows, and its heading rows as tall as
/// their headings wrapped in those widths: every heading and name shows whole, in Excel as in LibreOffice
/// (neither makes a row taller for wrapped text that libxlsxwriter writes).
final class SheetLayout {
    /// A name may take this much before the column stops growing; a heading wraps beyond `headingLine`.
    static let widest = 100.0, headingLine = 28.0, lineHeight = 16.0
    private(set) var widths: [Double] = []
    private var headingRows: [(row: Int, headings: [String])] = []

    func widen(_ column: Int, _ text: String, upTo limit: Double = widest) {
        widen(column, width: WorkbookWriter.textWidth(text), upTo: limit)
    }

    /// Widens for a text `width` characters wide, measured by the caller.
    func widen(_ column: Int, width: Double, upTo limit: Double = widest) {
        while widths.count <= column { widths.append(10) }
        widths[column] = max(widths[column], min(limit, width + 2))
    }

    func headings(_ row: Int, _ headings: [String]) {
        headingRows.append((row, headings))
        for (column, heading) in headings.enumerated() { widen(column, heading, upTo: Self.headingLine) }
    }

    /// How many lines `text` takes in a column `width` wide (a character's width as `textWidth` counts it).
    /// Words wrap whole, so a line holds somewhat less than the column's width.
    static func lines(_ text: String, width: Double) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: false).reduce(0) { count, line in
            count + max(1, Int((WorkbookWriter.textWidth(String(line)) / max(1, (width - 2) * 0.85)).rounded(.up)))
        }
    }

    func apply(to sheet: XLSXSheet) {
        for (column, width) in widths.enumerated() { sheet.columnWidth(column, column, width) }
        for (row, headings) in headingRows {
            let lines = headings.enumerated().map { Self.lines($1, width: widths[$0]) }.max() ?? 1
            sheet.rowHeight(row, Double(max(2, lines)) * Self.lineHeight)
        }
    }
}
