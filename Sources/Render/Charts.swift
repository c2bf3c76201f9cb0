import Aggregate
import YearbookCore

/// A chart of figures that a table of the same chapter shows, drawn as SVG
/// (inline in HTML, a file beside the Markdown) and as a native workbook chart.
public struct Chart: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Horizontal bars, in the order given (ranked).
        case bars
        /// A line over the years.
        case trend
    }

    /// The file name's stem, unique within the chapter.
    public var id: String
    public var title: Bilingual
    public var unit: Bilingual
    public var kind: Kind
    public var points: [ChartPoint]
    /// The decimals the figures are shown with.
    public var decimals: Int
}

extension Chart {
    /// What the chart shows, in words made from its figures: the text of a chart for a reader who
    /// cannot see it (the workbook's alternative text), e.g. "折线图：株洲市养老床位数2017—2019年由25,204张增至28,132张".
    public var summary: Bilingual {
        // The title without its brackets reads as one phrase: "株洲市养老床位数 (2017—2019年)" → "株洲市养老床位数2017—2019年".
        let titleZH = title.zh.replacingOccurrences(of: " (", with: "").replacingOccurrences(of: ")", with: "")
        func figure(_ point: ChartPoint) -> String { NumberFormat.grouped(point.value, decimals: decimals) }
        func english(_ point: ChartPoint) -> String { point.label.en.isEmpty ? point.label.zh : point.label.en }
        guard let first = points.first, let last = points.last else {
            return Bilingual(zh: "图：\(titleZH)，无数据", en: "Chart: \(title.en), no data")
        }
        switch kind {
        case .trend:
            let (verbZH, verbEN) = last.value == first.value ? ("保持", "unchanged at") : (first.value < last.value ? ("增至", "rising to") : ("减至", "falling to"))
            return Bilingual(zh: "折线图：\(titleZH)由\(figure(first))\(unit.zh)\(verbZH)\(figure(last))\(unit.zh)",
                             en: "Line chart: \(title.en), from \(figure(first)) \(unit.en) \(verbEN) \(figure(last)) \(unit.en)")
        case .bars:
            let highest = points.indices.max { points[$0].value < points[$1].value || (points[$0].value == points[$1].value && $0 > $1) }!
            let lowest = points.indices.min { points[$0].value < points[$1].value || (points[$0].value == points[$1].value && $0 < $1) }!
            var zh = "条形图：\(titleZH)，共\(points.count)项，最高为\(points[highest].label.zh)（\(figure(points[highest]))\(unit.zh)），"
                + "最低为\(points[lowest].label.zh)（\(figure(points[lowest]))\(unit.zh)）"
            var en = "Bar chart: \(title.en), \(points.count) bars; highest \(english(points[highest])) (\(figure(points[highest])) \(unit.en)), "
                + "lowest \(english(points[lowest])) (\(figure(points[lowest])) \(unit.en))"
            for (index, point) in points.enumerated() where point.emphasized && index != highest && index != lowest {
                zh += "，\(point.label.zh)为\(figure(point))\(unit.zh)"
                en += "; \(english(point)): \(figure(point)) \(unit.en)"
            }
            return Bilingual(zh: zh, en: en)
        }
    }
}

public struct ChartPoint: Sendable, Hashable {
    public var label: Bilingual
    /// The figure as the table shows it (in the chart's unit, rounded).
    public var value: Exact
    /// Its text, as in the table, marks included.
    public var text: String
    /// The subject: drawn hatched, its label bold.
    public var emphasized: Bool
}

extension Edition {
    /// The subject's areas ranked on one figure of this year.
    func areaChart(_ indicator: Indicator, presentation: Presentation) -> Chart? {
        let scale = displayScale(indicator).power
        var points: [ChartPoint] = []
        for area in registry.children(of: subject, in: year) {
            let shown = cell(observations[ObservationKey(area: area, indicator: indicator.code, period: year)], indicator, scale: scale)
            guard let value = shown.number else { continue }
            points.append(ChartPoint(label: areaName(area), value: value, text: shown.text + (shown.mark ?? ""), emphasized: false))
        }
        guard !points.isEmpty else { return nil }
        let ascending = indicator.rank == .asc
        let order = points.indices.sorted { a, b in
            points[a].value != points[b].value ? (ascending ? points[a].value < points[b].value : points[b].value < points[a].value) : a < b
        }
        let name = areaName(subject)
        return Chart(id: "areas-\(indicator.code)",
                     title: Bilingual(zh: "\(indicator.nameZH)：\(name.zh)各地区 (\(year)年)",
                                      en: "\(indicator.nameEN): areas of \(name.en), \(year)"),
                     unit: unitLabel(indicator, presentation: presentation), kind: .bars,
                     points: order.map { points[$0] }, decimals: scale == 0 ? indicator.decimals : 2)
    }

    /// The subject among its siblings, in rank order, on the published figures.
    func rankingChart(_ indicator: Indicator, presentation: Presentation) -> Chart? {
        guard let table = rankingTable(indicator, presentation: presentation) else { return nil }
        let points = table.rows.enumerated().compactMap { index, row -> ChartPoint? in
            guard let value = row[2].number else { return nil }
            return ChartPoint(label: Bilingual(zh: "\(row[0].text). \(row[1].text)", en: ""), value: value,
                              text: row[2].text + (row[2].mark ?? ""), emphasized: table.emphasized.contains(index))
        }
        return Chart(id: "rank-\(indicator.code)", title: table.caption, unit: presentation.unit(indicator.unit),
                     kind: .bars, points: points, decimals: indicator.decimals)
    }

    /// The subject's figure over the last five years, where earlier editions give more than this year and last.
    func trendChart(_ indicator: Indicator, presentation: Presentation) -> Chart? {
        let scale = displayScale(indicator).power
        let points = series(indicator, area: subject).compactMap { point -> ChartPoint? in
            var shown = cell(point.observation, indicator, scale: scale)
            if point.revised { shown.mark = (shown.mark ?? "") + "r" }
            guard let value = shown.number else { return nil }
            return ChartPoint(label: Bilingual(zh: "\(point.year)", en: "\(point.year)"), value: value,
                              text: shown.text + (shown.mark ?? ""), emphasized: false)
        }
        guard points.count > 2 else { return nil }
        let name = areaName(subject)
        return Chart(id: "trend-\(indicator.code)",
                     title: Bilingual(zh: "\(name.zh)\(indicator.nameZH) (\(points[0].label.zh)—\(year)年)",
                                      en: "\(indicator.nameEN), \(name.en), \(points[0].label.en)–\(year)"),
                     unit: unitLabel(indicator, presentation: presentation), kind: .trend, points: points,
                     decimals: scale == 0 ? indicator.decimals : 2)
    }
}

/// Charts as SVG: fixed geometry and integer-tenth coordinates, so the bytes
/// are the same on every build; a `<title>`, every figure written beside its
/// mark, and the subject hatched, so a chart reads in grey and in print.
public enum SVGWriter {
    static let width = 640
    static let labelWidth = 200
    static let font = "font-family=\"Noto Sans CJK SC,Source Han Sans SC,PingFang SC,Microsoft YaHei,sans-serif\""

    public static func svg(_ chart: Chart, standalone: Bool) -> String {
        let titleID = "title-\(Escape.html(chart.id))"
        let body: (height: Int, content: String)
        switch chart.kind {
        case .bars: body = bars(chart)
        case .trend: body = trend(chart)
        }
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(body.height)\" "
        out += "width=\"\(width)\" height=\"\(body.height)\" role=\"img\" aria-labelledby=\"\(titleID)\" \(font) font-size=\"12\">\n"
        out += "<title id=\"\(titleID)\">\(Escape.html(chart.title.zh)) \(Escape.html(chart.title.en))</title>\n"
        out += "<defs><pattern id=\"hatch-\(Escape.html(chart.id))\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        out += "<rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8b1a1a\" stroke-width=\"3\"/></pattern></defs>\n"
        out += "<rect width=\"\(width)\" height=\"\(body.height)\" fill=\"#fff\"/>\n"
        // The headings are cut to the chart's width (a long area name); the <title> keeps them whole.
        out += "<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">\(Escape.html(cut(chart.title.zh, room: width * 12 / 14)))</text>\n"
        out += "<text x=\"0\" y=\"34\" fill=\"#444\">\(Escape.html(cut("\(chart.title.en) · \(chart.unit.zh) \(chart.unit.en)", room: width)))</text>\n"
        out += body.content
        out += "</svg>\n"
        return out
    }

    /// Tenths of a unit: `length × value / largest`, never negative.
    static func length(_ value: Exact, of largest: Exact, in length: Int) -> String {
        guard !value.isNegative, let share = (value * Exact(length)).divided(by: largest) else { return "0" }
        return share.formatted(decimals: 1)
    }

    /// A label that fits `room` pixels at 12 px (CJK characters a full em, others about half).
    static func fitting(_ label: Bilingual, room: Int) -> String {
        let both = label.en.isEmpty ? label.zh : "\(label.zh) \(label.en)"
        if estimatedWidth(both) <= room { return both }
        // Else the Chinese name, cut short with an ellipsis where even that is too long.
        return cut(label.zh, room: room)
    }

    /// `text`, or as much of it as fits `room` pixels at 12 px with an ellipsis.
    static func cut(_ text: String, room: Int) -> String {
        guard estimatedWidth(text) > room else { return text }
        var short = text
        while estimatedWidth(short) > room - 12, !short.isEmpty { short.removeLast() }
        return short + "…"
    }

    static func estimatedWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 12 : 7) }
    }

    static func bars(_ chart: Chart) -> (height: Int, content: String) {
        let top = 48, row = 22, barRoom = width - labelWidth - 96
        let largest = chart.points.map(\.value).max() ?? .zero
        var out = ""
        for (index, point) in chart.points.enumerated() {
            let y = top + index * row
            let weight = point.emphasized ? " font-weight=\"bold\"" : ""
            let fill = point.emphasized ? "url(#hatch-\(Escape.html(chart.id)))\" stroke=\"#8b1a1a" : "#5a6b7d"
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\"\(weight)>\(Escape.html(fitting(point.label, room: labelWidth - 8)))</text>"
            let end = largest.isZero ? "0" : length(point.value, of: largest, in: barRoom)
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(end)\" height=\"\(row - 6)\" fill=\"\(fill)\"/>"
            let after = (Exact(decimal: end).map { $0 + Exact(labelWidth + 4) } ?? Exact(labelWidth + 4)).formatted(decimals: 1)
            out += "<text x=\"\(after)\" y=\"\(y + 15)\"\(weight)>\(Escape.html(point.text))</text>\n"
        }
        out += "<line x1=\"\(labelWidth)\" y1=\"\(top)\" x2=\"\(labelWidth)\" y2=\"\(top + chart.points.count * row)\" stroke=\"#1a1a1a\"/>\n"
        return (top + chart.points.count * row + 8, out)
    }

    static func trend(_ chart: Chart) -> (height: Int, content: String) {
        let top = 64, plot = 150, left = 24, right = width - 24
        let largest = chart.points.map(\.value).max() ?? .zero
        let step = chart.points.count > 1 ? (right - left) / (chart.points.count - 1) : 0
        let coordinates = chart.points.enumerated().map { index, point -> (x: Int, y: String) in
            let rise = largest.isZero ? Exact.zero : (point.value * Exact(plot)).divided(by: largest) ?? .zero
            return (left + index * step, (Exact(top + plot) - (rise.isNegative ? .zero : rise)).formatted(decimals: 1))
        }
        var out = "<line x1=\"\(left - 20)\" y1=\"\(top + plot)\" x2=\"\(right + 20)\" y2=\"\(top + plot)\" stroke=\"#1a1a1a\"/>\n"
        out += "<polyline points=\"\(coordinates.map { "\($0.x),\($0.y)" }.joined(separator: " "))\" fill=\"none\" stroke=\"#8b1a1a\" stroke-width=\"2\"/>\n"
        for (point, at) in zip(chart.points, coordinates) {
            out += "<circle cx=\"\(at.x)\" cy=\"\(at.y)\" r=\"4\" fill=\"#fff\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>"
            // The first and last figures lean inwards, so that none is cut at the edge.
            let anchor = at.x == coordinates.first?.x ? "start" : at.x == coordinates.last?.x ? "end" : "middle"
            out += "<text x=\"\(at.x)\" y=\"\(at.y)\" dy=\"-10\" text-anchor=\"\(anchor)\">\(Escape.html(point.text))</text>"
            out += "<text x=\"\(at.x)\" y=\"\(top + plot + 18)\" text-anchor=\"middle\">\(Escape.html(point.label.zh))</text>\n"
        }
        return (top + plot + 28, out)
    }
}
