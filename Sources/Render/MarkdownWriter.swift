/// Writes the yearbook as Markdown: every text escaped, tables as pipes.
public enum MarkdownWriter {
    public static let legend = "– 无数据 no data · ᴾ 初步数 provisional · ᴱ 估计数 estimated · ↑/↓ 位次上升/下降 rank up/down · = 位次不变 rank unchanged · new 上年无排名 not ranked last year · 1/1 唯一参评地区 the only area ranked"

    public static func chapter(_ document: ChapterDocument, edition: Edition) -> String {
        var out = "# 第\(document.number)章 \(Escape.markdown(document.chapter.titleZH)) · \(Escape.markdown(document.chapter.titleEN))\n\n"
        out += "\(Escape.markdown(edition.title)) \(edition.year) · [目录 Contents](../index.md)\n\n"
        for headline in document.headlines {
            out += Escape.markdown(headline.zh) + "\n\n"
            out += "*" + Escape.markdown(headline.en) + "*\n\n"
        }
        for table in document.tables {
            out += "## \(Escape.markdown(table.caption.zh)) · \(Escape.markdown(table.caption.en))\n\n"
            out += "| " + table.columns.map { "\(Escape.markdown($0.zh)) \(Escape.markdown($0.en))" }.joined(separator: " | ") + " |\n"
            out += "|" + table.columns.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined() + "\n"
            for (index, row) in table.rows.enumerated() {
                let cells = row.map { cell -> String in
                    var text = Escape.markdown(cell.text)
                    if let mark = cell.mark { text += mark == "P" ? "ᴾ" : "ᴱ" }
                    return table.emphasized.contains(index) && !text.isEmpty ? "**\(text)**" : text
                }
                out += "| " + cells.joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        out += "---\n\n\(legend)\n"
        return out
    }

    public static func index(_ edition: Edition) -> String {
        var out = "# \(Escape.markdown(edition.title)) \(edition.year)\n\n\(Escape.markdown(edition.titleEN)) \(edition.year)\n\n"
        out += "## 目录 Contents\n\n"
        for (number, chapter) in zip(1..., edition.chapters) {
            out += "\(number). [\(Escape.markdown(chapter.titleZH)) · \(Escape.markdown(chapter.titleEN))](chapters/\(chapter.id).md)\n"
        }
        out += "\n## 数据与报告 Data and reports\n\n"
        for (path, label) in IndexLinks.all {
            out += "- [\(Escape.markdown(label))](\(path))\n"
        }
        return out
    }
}

/// The data files and reports the index links to.
public enum IndexLinks {
    public static let all: [(String, String)] = [
        ("data/observations.csv", "统一数据集 Unified dataset (observations.csv)"),
        ("data/rankings.csv", "排名 Rankings (rankings.csv)"),
        ("reports/validation.md", "数据校验 Validation (validation.md, .json)"),
        ("reports/reconciliation.md", "数据核对 Reconciliation (reconciliation.md, .json)"),
        ("reports/inputs.md", "输入核算 Input accounting (inputs.md, .json)"),
        ("reports/rejects.csv", "拒收记录 Rejected rows (rejects.csv)"),
        ("reports/problems.csv", "错误与警告 Errors and warnings (problems.csv)"),
    ]
}
