/// Writes the yearbook as HTML5: each page one self-contained file with
/// inline CSS that prints well; every text escaped.
public enum HTMLWriter {
    // On screen a wide table scrolls in its own box and a chart shrinks to the
    // page; in print (A4) tables take smaller type and wrapped headings, split
    // tables repeat their header rows, and no row or chart is cut by a page break.
    static let style = """
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5;overflow-wrap:break-word}
        h1{font-size:1.6rem;border-bottom:2px solid #8b1a1a;padding-bottom:.3rem}h2{font-size:1.15rem;margin-top:2rem}
        .en{color:#555;font-weight:normal}.headline{font-size:1.05rem}.headline .en{display:block;font-size:.92rem}
        .scroll{overflow-x:auto;margin:.5rem 0 1.5rem}.scroll:focus{outline:2px solid #8b1a1a;outline-offset:2px}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        caption{text-align:left;font-weight:bold;padding:.3rem 0}
        th,td{border-bottom:1px solid #ccc;padding:.25rem .5rem;text-align:right;white-space:nowrap}
        th{background:#f3f3f3;vertical-align:bottom;white-space:normal;min-width:4.5em}th.group{text-align:center;border-bottom:1px solid #888}th.name{text-align:left}
        th:first-child,td:first-child{text-align:left;white-space:normal;min-width:6em}td.text{white-space:normal;text-align:left;min-width:5em}th,td:first-child,td.text{overflow-wrap:anywhere}
        tbody th{background:none;font-weight:normal;vertical-align:top;text-align:left}tr.subject td,tr.subject th{font-weight:bold;background:#fbf5f5}sup{font-size:.7em;color:#8b1a1a}
        figure{margin:1rem 0 1.5rem}figure svg{display:block;width:100%;max-width:640px;min-width:34rem;height:auto}figure .scroll{margin:0}figcaption{font-size:.9rem}
        .legend{font-size:.85rem;color:#555;border-top:1px solid #ccc;padding-top:.5rem}nav a{margin-right:1rem}
        dl.terms dt{font-weight:bold;margin-top:.8rem}dl.terms dd{margin-left:1.5rem}
        @page{size:A4;margin:12mm}
        @media print{body{margin:0;padding:0;max-width:none;font-size:10pt}nav{display:none}.scroll{overflow:visible}
        table{font-size:7.5pt}th,td{padding:.1rem .25rem}th{min-width:0}thead{display:table-header-group}
        tr,figure{break-inside:avoid}h2,caption{break-after:avoid}}
        """

    /// `nav` stays outside the page's `<main>` landmark; everything else is inside it.
    static func page(title: String, nav: String = "", body: String) -> String {
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
        \(nav)<main>
        \(body)</main>
        </body>
        </html>

        """
    }

    static func bilingual(_ zh: String, _ en: String) -> String {
        "\(Escape.html(zh)) <span class=\"en\" lang=\"en\">\(Escape.html(en))</span>"
    }

    public static func chapter(_ document: ChapterDocument, edition: Edition) -> String {
        let nav = "<nav><a href=\"../index.html\">目录 Contents</a></nav>\n"
        var body = "<h1>第\(document.number)章 \(bilingual(document.chapter.titleZH, document.chapter.titleEN))</h1>\n"
        for headline in document.headlines {
            body += "<p class=\"headline\">\(Escape.html(headline.zh))<span class=\"en\" lang=\"en\">\(Escape.html(headline.en))</span></p>\n"
        }
        for block in document.blocks {
            switch block {
            case .table(let table): body += self.table(table)
            case .chart(let chart): body += figure(chart)
            }
        }
        body += "<p class=\"legend\">– 无数据 no data · <sup>P</sup> 初步数 provisional · <sup>E</sup> 估计数 estimated · ↑/↓ 位次上升/下降 rank up/down · = 位次不变 rank unchanged · new 上年无排名 not ranked last year · 1/1 唯一参评地区 the only area ranked · <sup>r</sup> 修订数 revised since first published · \(edition.withholdsAny ? "\(Escape.html(NumberFormat.withheld)) \(Escape.html(WithheldLegend.short)) · " : "")<a href=\"../definitions.html\">指标解释 Definitions</a></p>\n"
        return page(title: "\(document.chapter.titleZH) \(document.chapter.titleEN) · \(edition.title) \(edition.year)", nav: nav, body: body)
    }

    /// A chart and a link to the table that holds its figures (for a reader who cannot see the chart).
    static func figure(_ chart: Chart) -> String {
        // On a phone a chart keeps a readable size and scrolls in its own box, like a table.
        let id = Escape.html(chart.id)
        var out = "<figure id=\"chart-\(id)\">\n<div class=\"scroll\" role=\"region\" tabindex=\"0\" "
        // Named apart from its table, which may have the same caption (a ranking): two regions, two names.
        out += "aria-label=\"图：\(Escape.html(chart.title.zh)) Chart: \(Escape.html(chart.title.en))\">\n"
        out += SVGWriter.svg(chart, standalone: false) + "</div>\n"
        if let table = chart.table {
            out += "<figcaption><a href=\"#\(Escape.html(table.id))\">图中数据见表：\(Escape.html(table.caption.zh)) "
            out += "<span lang=\"en\">The figures in a table: \(Escape.html(table.caption.en))</span></a></figcaption>\n"
        }
        return out + "</figure>\n"
    }

    /// A table in its own scrolling box, a region a keyboard can reach and scroll, named by the
    /// table's caption; a grouped header takes two rows. The first cells of a row (`rowHeaders`)
    /// name it, so a screen reader says which area or indicator each figure belongs to.
    static func table(_ table: Table) -> String {
        let id = Escape.html(table.id)
        var out = "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"caption-\(id)\"><table id=\"\(id)\">\n"
        out += "<caption id=\"caption-\(id)\">\(bilingual(table.caption.zh, table.caption.en))</caption>\n"
        if !table.groups.isEmpty {
            // Column groups, so that each upper heading's scope="colgroup" has the group it heads.
            out += "<col>" + table.groups.map { $0.title == nil ? String(repeating: "<col>", count: $0.span) : "<colgroup span=\"\($0.span)\"></colgroup>" }.joined() + "\n"
        }
        out += "<thead><tr>"
        if table.groups.isEmpty {
            for (index, column) in table.columns.enumerated() {
                out += "<th scope=\"col\"\(index < table.rowHeaders ? " class=\"name\"" : "")>\(bilingual(column.zh, column.en))</th>"
            }
        } else {
            out += "<th scope=\"col\" rowspan=\"2\">\(bilingual(table.columns[0].zh, table.columns[0].en))</th>"
            var lower = ""
            var index = 1
            for group in table.groups {
                let columns = table.columns[index..<min(index + group.span, table.columns.count)]
                if let title = group.title {
                    out += "<th scope=\"colgroup\" colspan=\"\(group.span)\" class=\"group\">\(bilingual(title.zh, title.en))</th>"
                    for column in columns { lower += "<th scope=\"col\">\(bilingual(column.zh, column.en))</th>" }
                } else {
                    for column in columns { out += "<th scope=\"col\" rowspan=\"2\">\(bilingual(column.zh, column.en))</th>" }
                }
                index += group.span
            }
            out += "</tr>\n<tr>" + lower
        }
        out += "</tr></thead>\n<tbody>\n"
        for (index, row) in table.rows.enumerated() {
            out += table.emphasized.contains(index) ? "<tr class=\"subject\">" : "<tr>"
            for (column, cell) in row.enumerated() {
                let header = column < table.rowHeaders
                // Words (units, names) may wrap; figures stay on one line.
                let wraps = !header && cell.number == nil && cell.text.count > 3
                out += header ? "<th scope=\"row\">" : wraps ? "<td class=\"text\">" : "<td>"
                out += Escape.html(cell.text)
                if let mark = cell.mark { out += "<sup>\(Escape.html(mark))</sup>" }
                out += header ? "</th>" : "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    public static func index(_ edition: Edition) -> String {
        var body = "<h1>\(bilingual("\(edition.title) \(edition.year)", "\(edition.titleEN) \(edition.year)"))</h1>\n"
        body += "<h2>目录 <span class=\"en\" lang=\"en\">Contents</span></h2>\n<ol>\n"
        for chapter in edition.chapters {
            body += "<li><a href=\"chapters/\(Escape.html(chapter.id)).html\">\(bilingual(chapter.titleZH, chapter.titleEN))</a></li>\n"
        }
        body += "</ol>\n<p><a href=\"definitions.html\">主要统计指标解释 <span class=\"en\" lang=\"en\">Definitions of the main indicators</span></a> · "
        body += "<a href=\"yearbook.xlsx\">Excel 工作簿 <span class=\"en\" lang=\"en\">Excel workbook (yearbook.xlsx)</span></a></p>\n"
        body += "<h2>数据 <span class=\"en\" lang=\"en\">Data</span></h2>\n<ul>\n"
        for (path, label) in IndexLinks.all {
            body += "<li><a href=\"\(Escape.html(path))\">\(Escape.html(label))</a></li>\n"
        }
        body += "</ul>\n"
        return page(title: "\(edition.title) \(edition.year)", body: body)
    }

    /// `reports/index.html`: the bureau's internal reports, not for publication.
    public static func reportsIndex(_ edition: Edition) -> String {
        var body = "<h1>\(bilingual("\(edition.title) \(edition.year) · 内部报告", "Internal reports"))</h1>\n"
        body += "<p>\(Escape.html(ReportsNotice.zh))</p>\n<p lang=\"en\">\(Escape.html(ReportsNotice.en))</p>\n<ul>\n"
        for (path, label) in IndexLinks.reports {
            body += "<li><a href=\"\(Escape.html(path))\">\(Escape.html(label))</a></li>\n"
        }
        body += "</ul>\n<p><a href=\"../index.html\">年鉴 <span class=\"en\" lang=\"en\">The yearbook</span></a></p>\n"
        return page(title: "\(edition.title) \(edition.year) · 内部报告 Internal reports", body: body)
    }
}
