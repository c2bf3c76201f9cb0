/// Writes the yearbook as HTML5: each page one self-contained file with
/// inline CSS that prints well; every text escaped.
public enum HTMLWriter {
    static let style = """
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
        h1{font-size:1.6rem;border-bottom:2px solid #8b1a1a;padding-bottom:.3rem}h2{font-size:1.15rem;margin-top:2rem}
        .en{color:#555;font-weight:normal}.headline{font-size:1.05rem}.headline .en{display:block;font-size:.92rem}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-variant-numeric:tabular-nums}
        caption{text-align:left;font-weight:bold;padding:.3rem 0}
        th,td{border-bottom:1px solid #ccc;padding:.25rem .5rem;text-align:right;white-space:nowrap}
        th:first-child,td:first-child{text-align:left;white-space:normal}th{background:#f3f3f3;vertical-align:bottom}
        tr.subject td{font-weight:bold;background:#fbf5f5}sup{font-size:.7em;color:#8b1a1a}
        .legend{font-size:.85rem;color:#555;border-top:1px solid #ccc;padding-top:.5rem}nav a{margin-right:1rem}
        @media print{body{margin:0;max-width:none}nav{display:none}table{page-break-inside:avoid}h2{page-break-after:avoid}}
        """

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Escape.html(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    static func bilingual(_ zh: String, _ en: String) -> String {
        "\(Escape.html(zh)) <span class=\"en\" lang=\"en\">\(Escape.html(en))</span>"
    }

    public static func chapter(_ document: ChapterDocument, edition: Edition) -> String {
        var body = "<nav><a href=\"../index.html\">目录 Contents</a></nav>\n"
        body += "<h1>第\(document.number)章 \(bilingual(document.chapter.titleZH, document.chapter.titleEN))</h1>\n"
        for headline in document.headlines {
            body += "<p class=\"headline\">\(Escape.html(headline.zh))<span class=\"en\" lang=\"en\">\(Escape.html(headline.en))</span></p>\n"
        }
        for table in document.tables {
            body += "<table id=\"\(Escape.html(table.id))\">\n<caption>\(bilingual(table.caption.zh, table.caption.en))</caption>\n<thead><tr>"
            for column in table.columns { body += "<th scope=\"col\">\(bilingual(column.zh, column.en))</th>" }
            body += "</tr></thead>\n<tbody>\n"
            for (index, row) in table.rows.enumerated() {
                body += table.emphasized.contains(index) ? "<tr class=\"subject\">" : "<tr>"
                for cell in row {
                    body += "<td>\(Escape.html(cell.text))"
                    if let mark = cell.mark { body += "<sup>\(Escape.html(mark))</sup>" }
                    body += "</td>"
                }
                body += "</tr>\n"
            }
            body += "</tbody>\n</table>\n"
        }
        body += "<p class=\"legend\">– 无数据 no data · <sup>P</sup> 初步数 provisional · <sup>E</sup> 估计数 estimated · ↑/↓ 位次上升/下降 rank up/down · = 位次不变 rank unchanged · new 上年无排名 not ranked last year · 1/1 唯一参评地区 the only area ranked</p>\n"
        return page(title: "\(document.chapter.titleZH) \(document.chapter.titleEN) · \(edition.title) \(edition.year)", body: body)
    }

    public static func index(_ edition: Edition) -> String {
        var body = "<h1>\(bilingual("\(edition.title) \(edition.year)", "\(edition.titleEN) \(edition.year)"))</h1>\n"
        body += "<h2>目录 <span class=\"en\" lang=\"en\">Contents</span></h2>\n<ol>\n"
        for chapter in edition.chapters {
            body += "<li><a href=\"chapters/\(Escape.html(chapter.id)).html\">\(bilingual(chapter.titleZH, chapter.titleEN))</a></li>\n"
        }
        body += "</ol>\n<h2>数据与报告 <span class=\"en\" lang=\"en\">Data and reports</span></h2>\n<ul>\n"
        for (path, label) in IndexLinks.all {
            body += "<li><a href=\"\(Escape.html(path))\">\(Escape.html(label))</a></li>\n"
        }
        body += "</ul>\n"
        return page(title: "\(edition.title) \(edition.year)", body: body)
    }
}
