import EditionFiles
import Foundation
import YearbookCore

/// The rendered pages of an edition, by path under `<out>/<year>/`: the
/// index, the definitions, and each chapter with its charts and its tables as data.
public enum YearbookWriter {
    /// The index: title and contents; it reads no figure.
    public static func index(_ edition: Edition) -> [String: [UInt8]] {
        ["index.md": Array(MarkdownWriter.index(edition).utf8), "index.html": Array(HTMLWriter.index(edition).utf8)]
    }

    /// The index of the bureau's internal reports, `reports/index.md` and `.html`.
    public static func reportsIndex(_ edition: Edition) -> [String: [UInt8]] {
        [IndexLinks.reportsIndex[0]: Array(MarkdownWriter.reportsIndex(edition).utf8),
         IndexLinks.reportsIndex[1]: Array(HTMLWriter.reportsIndex(edition).utf8)]
    }

    /// The definitions of every indicator, the marks and the methods: they read no figure.
    public static func definitions(_ edition: Edition, presentation: Presentation) -> [String: [UInt8]] {
        let sections = edition.definitions(presentation: presentation)
        return ["definitions.md": Array(DefinitionsWriter.markdown(edition, sections: sections).utf8),
                "definitions.html": Array(DefinitionsWriter.html(edition, sections: sections).utf8)]
    }

    /// The files one chapter's target always writes; its charts (as many as
    /// the data gives) are the files under `chartPrefix(id)`.
    public static func chapterFiles(_ id: String) -> [String] {
        ["chapters/\(id).md", "chapters/\(id).html", EditionLayout.tables(chapter: id)]
    }

    public static func chartPrefix(_ id: String) -> String { "chapters/charts/\(id)-" }

    /// One chapter as Markdown, HTML, its charts as SVG files and its tables as data (what `yearbook diff` compares).
    public static func chapter(_ chapter: Chapter, edition: Edition, presentation: Presentation) -> [String: [UInt8]] {
        let document = edition.document(for: chapter, presentation: presentation)
        let files = chapterFiles(chapter.id)
        var made = [files[0]: Array(MarkdownWriter.chapter(document, edition: edition).utf8),
                    files[1]: Array(HTMLWriter.chapter(document, edition: edition).utf8),
                    files[2]: TablesData(document, edition: edition).json]
        for chart in document.charts {
            made["chapters/charts/" + MarkdownWriter.chartFile(chapter: chapter.id, chart)] = Array(SVGWriter.svg(chart, standalone: true).utf8)
        }
        return made
    }
}

extension TablesData {
    /// The tables of one chapter's document, as the chapter's page shows them.
    public init(_ document: ChapterDocument, edition: Edition) {
        var codes: [String] = []
        for table in document.tables {
            for code in [table.indicator] + table.rowIndicators.compactMap(\.self) + table.columnIndicators.compactMap(\.self)
            where !code.isEmpty && !codes.contains(code) {
                codes.append(code)
            }
        }
        let indicators = codes.compactMap(edition.indicator).map { IndicatorName(code: $0.code, zh: $0.nameZH, en: $0.nameEN) }
        let tables = document.tables.map { table in
            TableData(id: table.id, indicator: table.indicator.isEmpty ? nil : table.indicator, caption: table.caption,
                      columns: table.columnIDs.indices.map { index in
                          let name = table.flatColumns[index]
                          return Column(id: table.columnIDs[index], zh: name.zh, en: name.en, indicator: table.columnIndicators[index])
                      },
                      rows: table.rows.indices.map { index in
                          let cells = table.rows[index]
                          let withheld = cells.contains { $0.withheld != nil }
                          return Row(area: table.rowAreas[index], indicator: table.rowIndicators[index],
                                     cells: cells.map { $0.withheld == nil ? $0.text : nil }, marks: cells.map { $0.mark ?? "" },
                                     confStatus: withheld ? cells.map { $0.withheld?.rawValue ?? "" } : nil)
                      })
        }
        self.init(chapter: document.chapter.id, title: Bilingual(zh: document.chapter.titleZH, en: document.chapter.titleEN),
                  edition: edition.year, indicators: indicators, tables: tables)
    }
}
