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
    /// The indicator drawn.
    public var indicator: String = ""
    /// What the data show in words, for a reader who cannot see the chart (the SVG's `<desc>`, the
    /// workbook chart's alternative text).
    public var summary: Bilingual = Bilingual(zh: "", en: "")
    /// The table of the same chapter that holds the figures, linked from the chart.
    public var table: TableLink?
}

/// A table a chart links to: its anchor and its caption.
public struct TableLink: Sendable, Hashable {
    public var id: String
    public var caption: Bilingual
}

public struct ChartPoint: Sendable, Hashable {
    public var label: Bilingual
    /// The figure as the table shows it (in the chart's unit, rounded).
    public var value: Exact
    /// Its text, as in the table, marks included.
    public var text: String
    /// The subject: drawn hatched, its label bold.
    public var emphasized: Bool
    /// The area's name where the label says more than the name (a rank).
    public var name: Bilingual? = nil
    /// A figure withheld from release: no bar or point, its text the mark, its value nothing to go by.
    public var withheld: Bool = false
}

extension Edition {
    /// The subject's areas ranked on one figure of this year.
    func areaChart(_ indicator: Indicator, presentation: Presentation) -> Chart? {
        let scale = displayScale(indicator).power
        var points: [ChartPoint] = []
        for area in registry.children(of: subject, in: year) {
            let shown = cell(observations[ObservationKey(area: area, indicator: indicator.code, period: year)], indicator, scale: scale)
            if shown.withheld != nil {
                points.append(ChartPoint(label: areaName(area), value: .zero, text: shown.text, emphasized: false, withheld: true))
                continue
            }
            guard let value = shown.number else { continue }
            points.append(ChartPoint(label: areaName(area), value: value, text: shown.text + (shown.mark ?? ""), emphasized: false))
        }
        guard points.contains(where: { !$0.withheld }) else { return nil }
        let ascending = indicator.rank == .asc
        // Withheld figures last, in the registry's order: their place among the bars would tell their size.
        let order = points.indices.sorted { a, b in
            if points[a].withheld || points[b].withheld { return points[a].withheld == points[b].withheld ? a < b : points[b].withheld }
            return points[a].value != points[b].value ? (ascending ? points[a].value < points[b].value : points[b].value < points[a].value) : a < b
        }
        let name = areaName(subject)
        var chart = Chart(id: "areas-\(indicator.code)",
                          title: Bilingual(zh: "\(indicator.nameZH)：\(name.zh)各地区 (\(year)年)",
                                           en: "\(indicator.nameEN): areas of \(name.en), \(year)"),
                          unit: unitLabel(indicator, presentation: presentation), kind: .bars,
                          points: order.map { points[$0] }, decimals: scale == 0 ? indicator.decimals : 2, indicator: indicator.code)
        chart.summary = barsSummary(chart, indicator, scale: scale, presentation: presentation,
                                    of: Bilingual(zh: "\(name.zh)各地区\(indicator.nameZH) (\(year)年)",
                                                  en: "\(Self.lowercasedFirst(indicator.nameEN)) in the areas of \(name.en), \(year)"))
        return chart
    }

    /// The subject among its siblings, in rank order, on the published figures.
    func rankingChart(_ indicator: Indicator, presentation: Presentation) -> Chart? {
        guard let table = rankingTable(indicator, presentation: presentation) else { return nil }
        let points = table.rows.enumerated().compactMap { index, row -> ChartPoint? in
            let name = areaName(table.rowAreas[index])
            if row[2].withheld != nil {
                return ChartPoint(label: name, value: .zero, text: row[2].text, emphasized: table.emphasized.contains(index), name: name, withheld: true)
            }
            guard let value = row[2].number else { return nil }
            return ChartPoint(label: Bilingual(zh: "\(row[0].text). \(name.zh)", en: name.en), value: value,
                              text: row[2].text + (row[2].mark ?? ""), emphasized: table.emphasized.contains(index), name: name)
        }
        var chart = Chart(id: "rank-\(indicator.code)", title: table.caption, unit: presentation.unit(indicator.unit),
                          kind: .bars, points: points, decimals: indicator.decimals, indicator: indicator.code)
        let parent = registry[subject]?.parent.map(areaName) ?? Bilingual(zh: "", en: "")
        var summary = barsSummary(chart, indicator, scale: 0, presentation: presentation,
                                  of: Bilingual(zh: "\(parent.zh)各地区\(indicator.nameZH)排名",
                                                en: "the areas of \(parent.en) ranked on \(Self.lowercasedFirst(indicator.nameEN))"))
        if let own = publishedRankings.first(where: { $0.indicator == indicator.code && $0.area == subject && $0.parent == registry[subject]?.parent }) {
            let name = areaName(subject)
            summary.zh += "；\(name.zh)排第\(own.rank)位"
            summary.en += "; \(name.en) \(NumberFormat.ordinal(own.rank))"
        }
        chart.summary = summary
        return chart
    }

    /// The subject's figure over the last five years, where earlier editions give more than this year and last.
    func trendChart(_ indicator: Indicator, presentation: Presentation) -> Chart? {
        let scale = displayScale(indicator).power
        let points = series(indicator, area: subject).compactMap { point -> ChartPoint? in
            var shown = cell(point.observation, indicator, scale: scale)
            if shown.withheld != nil {
                return ChartPoint(label: Bilingual(zh: "\(point.year)", en: "\(point.year)"), value: .zero, text: shown.text,
                                  emphasized: false, withheld: true)
            }
            if point.revised { shown.mark = (shown.mark ?? "") + "r" }
            guard let value = shown.number else { return nil }
            return ChartPoint(label: Bilingual(zh: "\(point.year)", en: "\(point.year)"), value: value,
                              text: shown.text + (shown.mark ?? ""), emphasized: false)
        }
        // The words say the first and the last published figure: a withheld one is never spoken.
        let published = points.filter { !$0.withheld }
        guard points.count > 2, let start = points.first, let first = published.first, let last = published.last else { return nil }
        let name = areaName(subject)
        var chart = Chart(id: "trend-\(indicator.code)",
                          title: Bilingual(zh: "\(name.zh)\(indicator.nameZH) (\(start.label.zh)—\(year)年)",
                                           en: "\(indicator.nameEN), \(name.en), \(start.label.en)–\(year)"),
                          unit: unitLabel(indicator, presentation: presentation), kind: .trend, points: points,
                          decimals: scale == 0 ? indicator.decimals : 2, indicator: indicator.code)
        let from = spoken(first.value, chart, indicator, scale: scale, presentation: presentation)
        let to = spoken(last.value, chart, indicator, scale: scale, presentation: presentation)
        let what = Bilingual(zh: "折线图：\(name.zh)\(indicator.nameZH)\(first.label.zh)—\(last.label.zh)年",
                             en: "Line chart: \(Self.lowercasedFirst(indicator.nameEN)) in \(name.en)")
        if first.value == last.value {
            chart.summary = Bilingual(zh: "\(what.zh)均为\(from.zh)", en: "\(what.en) was \(from.en) in \(first.label.en) and in \(last.label.en)")
        } else {
            let rose = first.value < last.value
            chart.summary = Bilingual(zh: "\(what.zh)由\(from.zh)\(rose ? "增至" : "降至")\(to.zh)",
                                      en: "\(what.en) \(rose ? "rose" : "fell") from \(from.en) in \(first.label.en) to \(to.en) in \(last.label.en)")
        }
        return chart
    }

    /// A bar chart in words: what it shows, its highest and its lowest bar.
    func barsSummary(_ chart: Chart, _ indicator: Indicator, scale: Int, presentation: Presentation, of what: Bilingual) -> Bilingual {
        let withheld = chart.points.filter(\.withheld).count
        var summary = publishedBarsSummary(chart, indicator, scale: scale, presentation: presentation, of: what)
        if withheld > 0 {
            summary.zh += "；另有\(withheld)个地区的数值保密，不予公布"
            summary.en += "; \(withheld) more area\(withheld == 1 ? "'s figure is" : "s' figures are") withheld (confidential)"
        }
        return summary
    }

    /// The bars with a published figure in words.
    private func publishedBarsSummary(_ chart: Chart, _ indicator: Indicator, scale: Int, presentation: Presentation, of what: Bilingual) -> Bilingual {
        var chart = chart
        chart.points.removeAll(where: \.withheld)
        guard let high = chart.points.max(by: { $0.value < $1.value }), let low = chart.points.min(by: { $0.value < $1.value }) else {
            return Bilingual(zh: "条形图：\(what.zh)", en: "Bar chart: \(what.en)")
        }
        // `max(by:)` gives the last of equal bars, `min(by:)` the first: the first in the chart's order is wanted for both.
        let highest = chart.points.first { $0.value == high.value } ?? high
        let lowest = chart.points.last { $0.value == low.value } ?? low
        func named(_ point: ChartPoint) -> (name: Bilingual, figure: Bilingual) {
            (point.name ?? point.label, spoken(point.value, chart, indicator, scale: scale, presentation: presentation))
        }
        let top = named(highest), bottom = named(lowest)
        if chart.points.count == 1 {
            return Bilingual(zh: "条形图：\(what.zh)，仅\(top.name.zh)一个地区，\(top.figure.zh)",
                             en: "Bar chart: \(what.en); only \(top.name.en), \(top.figure.en)")
        }
        return Bilingual(zh: "条形图：\(what.zh)，\(chart.points.count)个地区，最高为\(top.name.zh)\(top.figure.zh)，最低为\(bottom.name.zh)\(bottom.figure.zh)",
                         en: "Bar chart: \(what.en), \(chart.points.count) areas; highest \(top.name.en), \(top.figure.en); lowest \(bottom.name.en), \(bottom.figure.en)")
    }

    /// A chart's figure in words with its unit: `25,204张` / `25,204` (a count needs no unit in
    /// English: the indicator says what is counted); drawn in 万元 (`scale` 4), `1,320.67万元` /
    /// `13.2067 million yuan`.
    func spoken(_ value: Exact, _ chart: Chart, _ indicator: Indicator, scale: Int, presentation: Presentation) -> Bilingual {
        let zh = NumberFormat.grouped(value, decimals: chart.decimals) + chart.unit.zh
        let unit = presentation.unit(indicator.unit)
        if scale > 0 {
            return Bilingual(zh: zh, en: NumberFormat.englishScaled(value.timesPowerOfTen(scale), power: scale, decimals: chart.decimals) + " " + unit.en)
        }
        let figure = NumberFormat.grouped(value, decimals: chart.decimals)
        if UnitBound.bound(forUnit: indicator.unit).isCount { return Bilingual(zh: zh, en: figure) }
        return Bilingual(zh: zh, en: unit.en == "%" ? figure + "%" : "\(figure) \(unit.en)")
    }

    /// `Elderly-care beds` → `elderly-care beds` inside a sentence; an acronym (`SO`) stays.
    static func lowercasedFirst(_ text: String) -> String {
        let characters = Array(text)
        guard characters.count > 1, characters[0].isUppercase, !characters[1].isUppercase else { return text }
        return characters[0].lowercased() + String(characters.dropFirst())
    }
}

/// Charts as SVG: fixed geometry and integer-tenth coordinates, so the bytes
/// are the same on every build; a `<title>` and a `<desc>` of what the data
/// show, every figure written beside its mark, and the subject hatched, so a
/// chart reads in grey and in print. Labels wrap, never cut.
public enum SVGWriter {
    static let width = 640
    static let labelWidth = 200
    static let font = "font-family=\"Noto Sans CJK SC,Source Han Sans SC,PingFang SC,Microsoft YaHei,sans-serif\""

    public static func svg(_ chart: Chart, standalone: Bool) -> String {
        let id = Escape.html(chart.id)
        // The headings wrap to the chart's width (a long area name), the Chinese at 14 px.
        let titleLines = wrapped(chart.title.zh, room: width * 12 / 14)
        let subtitleLines = wrapped("\(chart.title.en) · \(chart.unit.zh) \(chart.unit.en)", room: width)
        var heading = ""
        var y = 0
        for line in titleLines {
            y += 18
            heading += "<text x=\"0\" y=\"\(y - 2)\" font-size=\"14\" font-weight=\"bold\">\(Escape.html(line))</text>\n"
        }
        for line in subtitleLines {
            y += 16
            heading += "<text x=\"0\" y=\"\(y + 2)\" fill=\"#444\">\(Escape.html(line))</text>\n"
        }
        let body: (height: Int, content: String)
        switch chart.kind {
        case .bars: body = bars(chart, top: y + 14)
        case .trend: body = trend(chart, top: y + 40)
        }
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(body.height)\" "
        let described = !chart.summary.zh.isEmpty
        out += "width=\"\(width)\" height=\"\(body.height)\" role=\"img\" aria-labelledby=\"title-\(id)\"\(described ? " aria-describedby=\"desc-\(id)\"" : "") \(font) font-size=\"12\">\n"
        out += "<title id=\"title-\(id)\">\(Escape.html(chart.title.zh)) \(Escape.html(chart.title.en))</title>\n"
        if described { out += "<desc id=\"desc-\(id)\">\(Escape.html(chart.summary.zh))。\(Escape.html(chart.summary.en)).</desc>\n" }
        out += "<defs><pattern id=\"hatch-\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        out += "<rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8b1a1a\" stroke-width=\"3\"/></pattern></defs>\n"
        out += "<rect width=\"\(width)\" height=\"\(body.height)\" fill=\"#fff\"/>\n"
        out += heading
        out += body.content
        out += "</svg>\n"
        return out
    }

    /// Tenths of a unit: `length × value / largest`, never negative.
    static func length(_ value: Exact, of largest: Exact, in length: Int) -> String {
        guard !value.isNegative, let share = (value * Exact(length)).divided(by: largest) else { return "0" }
        return share.formatted(decimals: 1)
    }

    /// `text` in lines of at most `room` pixels at 12 px, broken at spaces, or between CJK
    /// characters, or (a word longer than a line) anywhere.
    static func wrapped(_ text: String, room: Int) -> [String] {
        guard estimatedWidth(text) > room else { return [text] }
        // Pieces a line may break after: a word with its space, or one CJK character.
        var pieces: [String] = []
        var current = ""
        for character in text {
            if character.unicodeScalars.first.map({ $0.value > 0x2E80 }) ?? false {
                if !current.isEmpty { pieces.append(current); current = "" }
                pieces.append(String(character))
            } else {
                current.append(character)
                if character == " " { pieces.append(current); current = "" }
            }
        }
        if !current.isEmpty { pieces.append(current) }
        var lines: [String] = []
        var line = ""
        for piece in pieces {
            if estimatedWidth(line + piece.trimmingSpaces) <= room {
                line += piece
                continue
            }
            if !line.isEmpty { lines.append(line.trimmingSpaces); line = "" }
            var rest = piece
            while estimatedWidth(rest.trimmingSpaces) > room {
                var head = ""
                while let next = rest.first, estimatedWidth(head + String(next)) <= room {
                    head.append(next)
                    rest.removeFirst()
                }
                if head.isEmpty { head.append(rest.removeFirst()) }
                lines.append(head)
            }
            line = rest
        }
        if !line.trimmingSpaces.isEmpty { lines.append(line.trimmingSpaces) }
        return lines
    }

    static func estimatedWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 12 : 7) }
    }

    /// The label of a bar: its Chinese and English names, on more lines where they do not fit one.
    static func labelLines(_ label: Bilingual, room: Int) -> [String] {
        let both = label.en.isEmpty ? label.zh : "\(label.zh) \(label.en)"
        if estimatedWidth(both) <= room { return [both] }
        return wrapped(label.zh, room: room) + (label.en.isEmpty ? [] : wrapped(label.en, room: room))
    }

    static func bars(_ chart: Chart, top: Int) -> (height: Int, content: String) {
        let barRoom = width - labelWidth - 96, line = 14
        let largest = chart.points.filter { !$0.withheld }.map(\.value).max() ?? .zero
        var out = ""
        var y = top
        for point in chart.points {
            let lines = labelLines(point.label, room: labelWidth - 8)
            let row = max(22, lines.count * line + 8)
            let weight = point.emphasized ? " font-weight=\"bold\"" : ""
            let fill = point.emphasized ? "url(#hatch-\(Escape.html(chart.id)))\" stroke=\"#8b1a1a" : "#5a6b7d"
            for (index, text) in lines.enumerated() {
                out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15 + index * line)\" text-anchor=\"end\"\(weight)>\(Escape.html(text))</text>"
            }
            let end = largest.isZero || point.withheld ? "0" : length(point.value, of: largest, in: barRoom)
            // A withheld figure has no bar: its length would give it away.
            if !point.withheld {
                out += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(end)\" height=\"16\" fill=\"\(fill)\"/>"
            }
            let after = (Exact(decimal: end).map { $0 + Exact(labelWidth + 4) } ?? Exact(labelWidth + 4)).formatted(decimals: 1)
            out += "<text x=\"\(after)\" y=\"\(y + 15)\"\(weight)>\(Escape.html(point.text))</text>\n"
            y += row
        }
        out += "<line x1=\"\(labelWidth)\" y1=\"\(top)\" x2=\"\(labelWidth)\" y2=\"\(y)\" stroke=\"#1a1a1a\"/>\n"
        return (y + 8, out)
    }

    /// A value axis of at most five steps of 1, 2 or 5 × 10ⁿ from just below the lowest figure to
    /// just above the highest: a line need not start at zero, and uses the chart's height.
    static func axis(_ values: [Exact], decimals: Int) -> (ticks: [Exact], decimals: Int) {
        guard var low = values.min(), var high = values.max() else { return ([.zero, Exact(1)], 0) }
        // A flat line is drawn from zero, so that it does not look like a change.
        if low == high { low = min(low, .zero); high = max(high, .zero) }
        for power in -decimals...18 {
            for multiple in [1, 2, 5] {
                let step = Exact(multiple).timesPowerOfTen(power)
                guard let from = (low.divided(by: step)).map(floor), let to = (high.divided(by: step)).map(ceiling) else { continue }
                let count = max(to - from, 1)
                guard count <= 5 else { continue }
                let ticks = (0...count).map { (Exact(from + $0) * step) }
                return (ticks, max(0, -power))
            }
        }
        return ([low, high], decimals)
    }

    static func floor(_ value: Exact) -> Int {
        let near = value.rounded(decimals: 0)
        let whole = Int(near.formatted(decimals: 0)) ?? 0
        return value < near ? whole - 1 : whole
    }

    static func ceiling(_ value: Exact) -> Int {
        let near = value.rounded(decimals: 0)
        let whole = Int(near.formatted(decimals: 0)) ?? 0
        return near < value ? whole + 1 : whole
    }

    static func trend(_ chart: Chart, top: Int) -> (height: Int, content: String) {
        let plot = 180
        let scale = axis(chart.points.filter { !$0.withheld }.map(\.value), decimals: chart.decimals)
        let labels = scale.ticks.map { NumberFormat.grouped($0, decimals: scale.decimals) }
        let axisX = (labels.map(estimatedWidth).max() ?? 0) + 10
        let left = axisX + 36, right = width - 36
        let low = scale.ticks.first ?? .zero, span = (scale.ticks.last ?? Exact(1)) - low
        func y(_ value: Exact) -> String {
            let rise = span.isZero ? Exact.zero : ((value - low) * Exact(plot)).divided(by: span) ?? .zero
            return (Exact(top + plot) - rise).formatted(decimals: 1)
        }
        // The axis: its unit above it, a labelled tick and a light grid line at each step.
        var out = "<text x=\"0\" y=\"\(top - 22)\" fill=\"#444\">\(Escape.html("\(chart.unit.zh) \(chart.unit.en)"))</text>\n"
        for (tick, label) in zip(scale.ticks, labels) {
            let at = y(tick)
            out += "<line x1=\"\(axisX)\" y1=\"\(at)\" x2=\"\(right + 20)\" y2=\"\(at)\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(axisX - 6)\" y=\"\(at)\" dy=\"4\" text-anchor=\"end\" fill=\"#444\">\(Escape.html(label))</text>\n"
        }
        out += "<line x1=\"\(axisX)\" y1=\"\(top)\" x2=\"\(axisX)\" y2=\"\(top + plot)\" stroke=\"#1a1a1a\"/>"
        out += "<line x1=\"\(axisX)\" y1=\"\(top + plot)\" x2=\"\(right + 20)\" y2=\"\(top + plot)\" stroke=\"#1a1a1a\"/>\n"
        let step = chart.points.count > 1 ? (right - left) / (chart.points.count - 1) : 0
        // A withheld year has no point: the line breaks there and the mark stands above the year.
        let coordinates = chart.points.enumerated().map { index, point in
            (x: left + index * step, y: point.withheld ? String(top + plot) : y(point.value))
        }
        var run: [String] = []
        func drawRun() {
            if run.count > 1 {
                out += "<polyline points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"#8b1a1a\" stroke-width=\"2\"/>\n"
            }
            run = []
        }
        for (point, at) in zip(chart.points, coordinates) {
            if point.withheld { drawRun() } else { run.append("\(at.x),\(at.y)") }
        }
        drawRun()
        for (point, at) in zip(chart.points, coordinates) {
            if !point.withheld {
                out += "<circle cx=\"\(at.x)\" cy=\"\(at.y)\" r=\"4\" fill=\"#fff\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>"
            }
            out += "<text x=\"\(at.x)\" y=\"\(at.y)\" dy=\"-10\" text-anchor=\"middle\">\(Escape.html(point.text))</text>"
            out += "<text x=\"\(at.x)\" y=\"\(top + plot + 18)\" text-anchor=\"middle\">\(Escape.html(point.label.zh))</text>\n"
        }
        return (top + plot + 28, out)
    }
}
