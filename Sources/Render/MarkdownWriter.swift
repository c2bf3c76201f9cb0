import EditionFiles
/// Writes the yearbook as Markdown: every text escaped, tables as pipes.
public enum MarkdownWriter {
    public static let legend = "– 无数据 no data · ᴾ 初步数 provisional · ᴱ 估计数 estimated · ↑/↓ 位次上升/下降 rank up/down · = 位次不变 rank unchanged · new 上年无排名 not ranked last year · 1/1 唯一参评地区 the only area ranked · ʳ 修订数 revised since first published"

    public static func chapter(_ document: ChapterDocument, edition: Edition) -> String {
        var out = "# 第\(document.number)章 \(Escape.markdown(document.chapter.titleZH)) · \(Escape.markdown(document.chapter.titleEN))\n\n"
        out += "\(Escape.markdown(edition.title)) \(edition.year) · [目录 Contents](../index.md)\n\n"
        for headline in document.headlines {
            out += Escape.markdown(headline.zh) + "\n\n"
            out += "*" + Escape.markdown(headline.en) + "*\n\n"
        }
        for block in document.blocks {
            switch block {
            case .table(let table): out += self.table(table)
            case .chart(let chart):
                let title = "\(Escape.markdown(chart.title.zh)) · \(Escape.markdown(chart.title.en))"
                out += "![\(title)](charts/\(chartFile(chapter: document.chapter.id, chart)))\n\n"
            }
        }
        let withheld = edition.withholdsAny ? " · \(Escape.markdown(NumberFormat.withheld)) \(WithheldLegend.short)" : ""
        out += "---\n\n\(legend)\(withheld) · [指标解释 Definitions](../definitions.md)\n"
        return out
    }

    /// A chart's file in `chapters/charts/`.
    public static func chartFile(chapter: String, _ chart: Chart) -> String { "\(chapter)-\(chart.id).svg" }

    /// A pipe table under its caption; a grouped header is flattened into one row.
    static func table(_ table: Table) -> String {
        var out = "## \(Escape.markdown(table.caption.zh)) · \(Escape.markdown(table.caption.en))\n\n"
        let columns = table.flatColumns
        out += "| " + columns.map { "\(Escape.markdown($0.zh)) \(Escape.markdown($0.en))" }.joined(separator: " | ") + " |\n"
        out += "|" + columns.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined() + "\n"
        for (index, row) in table.rows.enumerated() {
            let cells = row.map { cell -> String in
                var text = Escape.markdown(cell.text)
                for mark in cell.mark ?? "" { text += superscript[mark] ?? String(mark) }
                return table.emphasized.contains(index) && !text.isEmpty ? "**\(text)**" : text
            }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    static let superscript: [Character: String] = ["P": "ᴾ", "E": "ᴱ", "r": "ʳ"]

    public static func index(_ edition: Edition) -> String {
        var out = "# \(Escape.markdown(edition.title)) \(edition.year)\n\n\(Escape.markdown(edition.titleEN)) \(edition.year)\n\n"
        out += "## 目录 Contents\n\n"
        for (number, chapter) in zip(1..., edition.chapters) {
            out += "\(number). [\(Escape.markdown(chapter.titleZH)) · \(Escape.markdown(chapter.titleEN))](chapters/\(chapter.id).md)\n"
        }
        out += "\n[主要统计指标解释 Definitions of the main indicators](definitions.md) · [Excel 工作簿 Excel workbook](yearbook.xlsx)\n"
        out += "\n## 数据 Data\n\n"
        for (path, label) in IndexLinks.all {
            out += "- [\(Escape.markdown(label))](\(path))\n"
        }
        return out
    }

    /// `reports/index.md`: the bureau's internal reports, not for publication.
    public static func reportsIndex(_ edition: Edition) -> String {
        var out = "# \(Escape.markdown(edition.title)) \(edition.year) · 内部报告 Internal reports\n\n"
        out += "\(ReportsNotice.zh)\n\n\(ReportsNotice.en)\n\n"
        for (path, label) in IndexLinks.reports {
            out += "- [\(Escape.markdown(label))](\(path))\n"
        }
        out += "\n[年鉴 The yearbook](../index.md)\n"
        return out
    }
}

/// The files the indexes link to: the edition's index links only what a reader may see (the public
/// data); the bureau's reports, which hold household ids and input file names, have an index of their own.
public enum IndexLinks {
    public static let all: [(String, String)] = [
        (EditionLayout.observations, "统一数据集 Unified dataset (observations.csv)"),
        (EditionLayout.sdmx, "统一数据集 SDMX-ML Unified dataset as SDMX-ML (observations.xml)"),
        (EditionLayout.rankings, "排名 Rankings (rankings.csv)"),
        (EditionLayout.areas, "行政区划 Areas (areas.csv)"),
    ]

    /// `reports/index.html` and `.md`: paths relative to `reports/`.
    public static let reports: [(String, String)] = [
        ("validation.md", "数据校验 Validation (validation.md, .json)"),
        ("reconciliation.md", "数据核对 Reconciliation (reconciliation.md, .json)"),
        ("disclosure.md", "保密 Disclosure: what is withheld from release (disclosure.md, .json)"),
        ("inputs.md", "输入核算 Input accounting (inputs.md, .json)"),
        ("problems.csv", "错误与警告 Errors and warnings (problems.csv)"),
        ("rejects.csv", "拒收记录 Rejected rows (rejects.csv)"),
        ("rejects.json", "拒收记录 Rejected rows as JSON (rejects.json)"),
        ("../" + EditionLayout.database, "数据库 Database with lineage (yearbook.sqlite)"),
    ]

    /// The reports' index files, written by the build beside the reports.
    public static let reportsIndex = [EditionLayout.reportsFolder + "/index.md", EditionLayout.reportsFolder + "/index.html"]
}

/// What the reports' index says of them, in both languages.
enum ReportsNotice {
    static let zh = "以下报告含户编号、拒收记录和输入文件名，仅供民政局内部使用，不得公开发布；公开发布请用 `yearbook release`。"
    static let en = "These reports hold household ids, rejected records and the input files' names: they are for the bureau only, "
        + "never to be published. To publish the yearbook, use `yearbook release`."
}
