import Aggregate
import YearbookCore

/// One table cell: its text, the figure it shows, and the marks of that figure.
public struct Cell: Sendable, Hashable {
    public var text: String
    /// `P` or `E` where the figure is provisional or estimated, `r` where it was revised.
    public var mark: String?
    /// The figure as shown (in the column's unit), for the workbook; nil for text.
    public var number: Exact?
    /// The decimals it is shown with.
    public var decimals: Int
    /// Why the figure is withheld from release, where it is: the cell shows `NumberFormat.withheld`, no number.
    public var withheld: Confidentiality?

    public init(_ text: String, mark: String? = nil, number: Exact? = nil, decimals: Int = 0, withheld: Confidentiality? = nil) {
        self.text = text
        self.mark = mark
        self.number = number
        self.decimals = decimals
        self.withheld = withheld
    }

    /// A withheld figure: the mark, no number and no status mark (a mark of its own says nothing of it either).
    public static func withheld(_ status: Confidentiality) -> Cell {
        Cell(NumberFormat.withheld, withheld: status)
    }
}

/// A heading of the upper header row over `span` columns; nil where the
/// columns below have headings of their own that span both rows.
public struct HeaderGroup: Sendable, Hashable {
    public var title: Bilingual?
    public var span: Int
}

/// A table: a caption, column headings, rows; the first column names the row.
public struct Table: Sendable, Hashable {
    public var id: String
    public var caption: Bilingual
    /// The upper header row over `columns` after the first; empty for a one-row header.
    public var groups: [HeaderGroup] = []
    public var columns: [Bilingual]
    public var rows: [[Cell]]
    /// Rows of the subject area, shown in bold.
    public var emphasized: Set<Int>
    /// For the tables as data (`yearbook diff`): what each column holds (`area`, `indicator`, `unit`,
    /// `value`, `previous`, `change`, `rank`, `rank_change`, `previous_rank`, a year, or an indicator's
    /// code), so that a column is the same column in two editions even when its heading names another year.
    public var columnIDs: [String] = []
    /// The indicator each column shows, where a column is one indicator's (topic tables).
    public var columnIndicators: [String?] = []
    /// The area of each row, and the indicator where a row is one indicator's (key figures, history).
    public var rowAreas: [String] = []
    public var rowIndicators: [String?] = []
    /// The indicator a whole table shows (a ranking), or empty.
    public var indicator: String = ""
    /// How many leading cells of a row name it (its row headers): the area or indicator, and a ranking's rank.
    public var rowHeaders: Int = 1

    /// A column's heading with its group's: what a one-row header (Markdown, data sheets) shows.
    public var flatColumns: [Bilingual] {
        guard !groups.isEmpty else { return columns }
        var result = [columns[0]]
        var index = 1
        for group in groups {
            for column in columns[index..<min(index + group.span, columns.count)] {
                result.append(group.title.map { Bilingual(zh: "\($0.zh) \(column.zh)", en: "\($0.en), \(column.en)") } ?? column)
            }
            index += group.span
        }
        return result
    }
}

/// A part of a chapter, in reading order.
public enum Block: Sendable, Hashable {
    case table(Table)
    case chart(Chart)
}

/// A chapter laid out, before it is written as Markdown, HTML or a workbook sheet.
public struct ChapterDocument: Sendable {
    public var chapter: Chapter
    public var number: Int
    public var headlines: [Bilingual]
    public var blocks: [Block]

    public var tables: [Table] { blocks.compactMap { if case .table(let table) = $0 { table } else { nil } } }
    public var charts: [Chart] { blocks.compactMap { if case .chart(let chart) = $0 { chart } else { nil } } }
}

extension Edition {
    /// Lays out one chapter: headlines; the key figures, this year against last
    /// and over the last five years; topic tables of the subject's areas; bar
    /// charts of the areas; the subject's ranking among its siblings.
    public func document(for chapter: Chapter, presentation: Presentation) -> ChapterDocument {
        let layout = presentation.layout(of: chapter.id)
        let own = indicators.filter { $0.chapter == chapter.id }
        let key = (layout.key ?? own.map(\.code)).compactMap(indicator)
        var blocks: [Block] = []
        if !key.isEmpty { blocks.append(.table(keyFiguresTable(key, presentation: presentation))) }
        if !history.isEmpty, !key.isEmpty {
            blocks.append(.table(historyTable(key, presentation: presentation)))
            for code in layout.trends ?? [] {
                if let indicator = indicator(code), let chart = trendChart(indicator, presentation: presentation) {
                    blocks.append(.chart(chart))
                }
            }
        }
        for topic in layout.tables ?? Self.defaultTopics(chapter, own) {
            blocks.append(.table(topicTable(topic, presentation: presentation)))
        }
        for code in layout.charts ?? [] {
            if let indicator = indicator(code), let chart = areaChart(indicator, presentation: presentation) {
                blocks.append(.chart(chart))
            }
        }
        for code in layout.rankings ?? [] {
            guard let indicator = indicator(code), let table = rankingTable(indicator, presentation: presentation) else { continue }
            blocks.append(.table(table))
            if let chart = rankingChart(indicator, presentation: presentation) { blocks.append(.chart(chart)) }
        }
        // A chapter the definition gives no chart still shows one: its first key figure the areas have.
        if !blocks.contains(where: { if case .chart = $0 { true } else { false } }),
           let chart = key.lazy.compactMap({ self.areaChart($0, presentation: presentation) }).first {
            blocks.append(.chart(chart))
        }
        // Each chart links to the table of the same chapter that holds its figures.
        let tables = blocks.compactMap { if case .table(let table) = $0 { table } else { nil } }
        blocks = blocks.map { block in
            guard case .chart(var chart) = block else { return block }
            chart.table = Self.tableHolding(chart, in: tables).map { TableLink(id: $0.id, caption: $0.caption) }
            return .chart(chart)
        }
        let headlines = (layout.headlines ?? []).map { Bilingual(zh: fill($0.zh, english: false), en: fill($0.en, english: true)) }
        let number = (chapters.firstIndex(of: chapter) ?? 0) + 1
        return ChapterDocument(chapter: chapter, number: number, headlines: headlines, blocks: blocks)
    }

    /// The table a chart's figures are read from: a trend's in the history, a ranking's in the
    /// ranking (which has the chart's id), the areas' in the first table with the indicator as a column.
    static func tableHolding(_ chart: Chart, in tables: [Table]) -> Table? {
        switch chart.kind {
        case .trend: return tables.first { $0.id == "history" && $0.rowIndicators.contains(chart.indicator) }
        case .bars:
            return tables.first { $0.id == chart.id }
                ?? tables.first { $0.indicator.isEmpty && $0.columnIndicators.contains(chart.indicator) && $0.rowAreas.count > 1 }
        }
    }

    /// Without topic tables in the definition: the chapter's indicators, six to a table.
    static func defaultTopics(_ chapter: Chapter, _ indicators: [Indicator]) -> [TopicTable] {
        stride(from: 0, to: indicators.count, by: 6).map { start in
            let part = indicators[start..<min(start + 6, indicators.count)]
            let suffix = indicators.count > 6 ? " (\(start / 6 + 1))" : ""
            return TopicTable(id: "table-\(start / 6 + 1)",
                              title: Bilingual(zh: chapter.titleZH + suffix, en: chapter.titleEN + suffix),
                              groups: [ColumnGroup(columns: part.map { TopicColumn(indicator: $0.code) })])
        }
    }

    public func areaName(_ code: String) -> Bilingual {
        guard let area = registry[code] else { return Bilingual(zh: code, en: code) }
        return Bilingual(zh: area.nameZH, en: area.nameEN)
    }

    /// The subject and its areas valid this year.
    var tableAreas: [String] { [subject] + registry.children(of: subject, in: year) }

    /// An indicator's unit as a table shows it (in 万元 where its sums are large).
    func unitLabel(_ indicator: Indicator, presentation: Presentation) -> Bilingual {
        let unit = presentation.unit(indicator.unit)
        let scale = displayScale(indicator)
        return scale.power == 0 ? unit : Bilingual(zh: scale.zh + unit.zh, en: scale.en + " " + unit.en)
    }

    /// The subject's key figures: this year, last year, the change, the rank
    /// among its siblings and the move (the definition's `columns`).
    func keyFiguresTable(_ key: [Indicator], presentation: Presentation) -> Table {
        let ranks = Dictionary(publishedRankings.filter { $0.area == subject }.map { ($0.indicator, $0) }, uniquingKeysWith: { a, _ in a })
        // A rank among one compares with nothing: no rank columns unless some key figure ranks among several.
        let ranked = key.contains { (ranks[$0.code]?.rankedAmong ?? 0) > 1 }
        let kinds = presentation.columns.filter { ranked || ($0 != "rank" && $0 != "rank_change") }
        var columns = [Bilingual(zh: "指标", en: "Indicator"), Bilingual(zh: "单位", en: "Unit")]
        for kind in kinds {
            switch kind {
            case "value": columns.append(Bilingual(zh: "\(year)年", en: "\(year)"))
            case "previous": columns.append(Bilingual(zh: "\(year - 1)年", en: "\(year - 1)"))
            case "change": columns.append(Bilingual(zh: "增长 (% 或百分点)", en: "Change (% or pp)"))
            case "rank": columns.append(Bilingual(zh: "排名", en: "Rank"))
            default: columns.append(Bilingual(zh: "位次变化", en: "Rank move"))
            }
        }
        var rows: [[Cell]] = []
        for indicator in key {
            let scale = displayScale(indicator).power
            let unit = unitLabel(indicator, presentation: presentation)
            var row = [Cell("\(indicator.nameZH) \(indicator.nameEN)"), Cell(unit.zh == unit.en ? unit.zh : "\(unit.zh) \(unit.en)")]
            let yoy = YearOverYear.lookup(area: subject, indicator: indicator.code, year: year,
                                          observations: observations, registry: registry)
            // A change from or to a withheld figure would reveal it, and so would its rank and move.
            let current = confidentiality(yoy.current)
            let previous = confidentiality(yoy.previous) ?? previousConfidentiality(area: subject, indicator: indicator.code)
            for kind in kinds {
                switch kind {
                case "value": row.append(cell(yoy.current, indicator, scale: scale))
                case "previous": row.append(cell(yoy.previous, indicator, scale: scale))
                case "change":
                    if let status = current ?? confidentiality(yoy.previous) {
                        row.append(.withheld(status))
                        continue
                    }
                    let change = yoy.change(for: indicator)
                    row.append(Cell(NumberFormat.change(change, inPoints: indicator.changeIsInPoints),
                                    number: change?.rounded(decimals: 1), decimals: 1))
                case "rank":
                    if let current { row.append(.withheld(current)); continue }
                    row.append(ranks[indicator.code].map(rankCell) ?? Cell(NumberFormat.noData))
                default:
                    if let status = current ?? previous { row.append(.withheld(status)); continue }
                    row.append(Cell(ranks[indicator.code].map { NumberFormat.move($0.rankChange) } ?? NumberFormat.noData))
                }
            }
            rows.append(row)
        }
        let name = areaName(subject)
        return Table(id: "key-figures",
                     caption: Bilingual(zh: "\(name.zh)主要指标", en: "Key figures of \(name.en)"),
                     columns: columns, rows: rows, emphasized: [],
                     columnIDs: ["indicator", "unit"] + kinds, columnIndicators: Array(repeating: nil, count: columns.count),
                     rowAreas: Array(repeating: subject, count: rows.count), rowIndicators: key.map(\.code))
    }

    /// The key figures over the last five years, as the latest edition published them.
    func historyTable(_ key: [Indicator], presentation: Presentation) -> Table {
        let seriesByIndicator = key.map { self.series($0, area: subject) }
        let years = Set(seriesByIndicator.flatMap { $0.map(\.year) }).sorted()
        var columns = [Bilingual(zh: "指标", en: "Indicator"), Bilingual(zh: "单位", en: "Unit")]
        columns += years.map { Bilingual(zh: "\($0)年", en: "\($0)") }
        var rows: [[Cell]] = []
        for (indicator, points) in zip(key, seriesByIndicator) {
            let scale = displayScale(indicator).power
            let unit = unitLabel(indicator, presentation: presentation)
            var row = [Cell("\(indicator.nameZH) \(indicator.nameEN)"), Cell(unit.zh == unit.en ? unit.zh : "\(unit.zh) \(unit.en)")]
            for year in years {
                guard let point = points.first(where: { $0.year == year }) else {
                    row.append(Cell(NumberFormat.noData))
                    continue
                }
                var shown = cell(point.observation, indicator, scale: scale)
                if point.revised { shown.mark = (shown.mark ?? "") + "r" }
                row.append(shown)
            }
            rows.append(row)
        }
        let name = areaName(subject)
        return Table(id: "history",
                     caption: Bilingual(zh: "\(name.zh)历年主要指标", en: "Key figures of \(name.en) over the years"),
                     columns: columns, rows: rows, emphasized: [],
                     columnIDs: ["indicator", "unit"] + years.map(String.init), columnIndicators: Array(repeating: nil, count: columns.count),
                     rowAreas: Array(repeating: subject, count: rows.count), rowIndicators: key.map(\.code))
    }

    /// Indicators side by side for the subject and its areas, this year.
    func topicTable(_ topic: TopicTable, presentation: Presentation) -> Table {
        // The year heads the first column, not the caption: a diff of two editions pairs the same tables.
        var columns = [Bilingual(zh: "地区 (\(year)年)", en: "Area, \(year)")]
        var groups: [HeaderGroup] = []
        var shown: [Indicator] = []
        for group in topic.groups {
            let present = group.columns.compactMap { column in indicator(column.indicator).map { (column, $0) } }
            guard !present.isEmpty else { continue }
            groups.append(HeaderGroup(title: group.title, span: present.count))
            for (column, indicator) in present {
                let label = column.label ?? Bilingual(zh: indicator.nameZH, en: indicator.nameEN)
                let unit = unitLabel(indicator, presentation: presentation)
                columns.append(Bilingual(zh: "\(label.zh) (\(unit.zh))", en: "\(label.en) (\(unit.en))"))
                shown.append(indicator)
            }
        }
        let scales = shown.map { displayScale($0).power }
        let rows = tableAreas.map { area -> [Cell] in
            let name = areaName(area)
            return [Cell("\(name.zh) \(name.en)")] + zip(shown, scales).map { indicator, scale in
                cell(observations[ObservationKey(area: area, indicator: indicator.code, period: year)], indicator, scale: scale)
            }
        }
        // One group, untitled, is a plain one-row header.
        let plain = groups.count <= 1 && groups.allSatisfy { $0.title == nil }
        // A column is named by its indicator; the same indicator twice in one table gets a suffix.
        var columnIDs = ["area"]
        for indicator in shown {
            var id = indicator.code
            var copy = 1
            while columnIDs.contains(id) { copy += 1; id = "\(indicator.code)#\(copy)" }
            columnIDs.append(id)
        }
        return Table(id: topic.id, caption: topic.title,
                     groups: plain ? [] : groups, columns: columns, rows: rows, emphasized: [0],
                     columnIDs: columnIDs, columnIndicators: [nil] + shown.map(\.code),
                     rowAreas: tableAreas, rowIndicators: Array(repeating: nil, count: rows.count))
    }

    /// The subject among its siblings (e.g. a prefecture among the province's), by rank.
    func rankingTable(_ indicator: Indicator, presentation: Presentation) -> Table? {
        guard let parent = registry[subject]?.parent else { return nil }
        let rows = publishedRankings.filter { $0.indicator == indicator.code && $0.parent == parent }
        // Areas whose figure is withheld have no rank: they follow the ranked ones, marked.
        let unranked = rankings.filter { $0.indicator == indicator.code && $0.parent == parent }
            .filter { confidentiality(ObservationKey(area: $0.area, indicator: $0.indicator, period: $0.period)) != nil }
            .sorted { $0.area.utf8.lexicographicallyPrecedes($1.area.utf8) }
        guard !rows.isEmpty || !unranked.isEmpty else { return nil }
        let unit = presentation.unit(indicator.unit)
        let parentName = areaName(parent)
        var table = Table(
            id: "rank-\(indicator.code)",
            caption: Bilingual(zh: "\(indicator.nameZH)：\(parentName.zh)排名", en: "\(indicator.nameEN): ranking in \(parentName.en)"),
            columns: [Bilingual(zh: "排名", en: "Rank"), Bilingual(zh: "地区", en: "Area"),
                      Bilingual(zh: "\(year)年 (\(unit.zh))", en: "\(year) (\(unit.en))"),
                      Bilingual(zh: "上年排名", en: "Rank \(year - 1)"), Bilingual(zh: "位次变化", en: "Rank move")],
            rows: [], emphasized: [],
            columnIDs: ["rank", "area", "value", "previous_rank", "rank_change"],
            columnIndicators: [nil, nil, indicator.code, nil, nil], indicator: indicator.code, rowHeaders: 2)
        for (index, row) in rows.enumerated() {
            table.rowAreas.append(row.area)
            table.rowIndicators.append(nil)
            let name = areaName(row.area)
            let observation = observations[ObservationKey(area: row.area, indicator: indicator.code, period: year)]
            let before = previousConfidentiality(area: row.area, indicator: indicator.code)
            table.rows.append([rankCell(row), Cell("\(name.zh) \(name.en)"),
                               Cell(row.published.groupedPublished, mark: mark(observation),
                                    number: Exact(decimal: row.published), decimals: indicator.decimals),
                               before.map(Cell.withheld) ?? row.previousRank.map { Cell(String($0), number: Exact($0)) } ?? Cell(NumberFormat.noData),
                               before.map(Cell.withheld) ?? Cell(NumberFormat.move(row.rankChange))])
            if row.area == subject { table.emphasized.insert(index) }
        }
        for row in unranked {
            let status = confidentiality(ObservationKey(area: row.area, indicator: row.indicator, period: row.period)) ?? .primary
            let name = areaName(row.area)
            if row.area == subject { table.emphasized.insert(table.rows.count) }
            table.rowAreas.append(row.area)
            table.rowIndicators.append(nil)
            table.rows.append([.withheld(status), Cell("\(name.zh) \(name.en)"), .withheld(status), .withheld(status), .withheld(status)])
        }
        return table
    }

    /// Large sums of money read better in 万元 (10⁴ yuan).
    func displayScale(_ indicator: Indicator) -> (power: Int, zh: String, en: String) {
        guard indicator.unit == "yuan" else { return (0, "", "") }
        // A withheld figure does not choose the scale: 万元 would say it is a million or more.
        let largest = observations.values.filter { $0.indicator == indicator.code && $0.area == subject && confidentiality($0.key) == nil }
            .compactMap(\.usableValue).map(\.magnitude).max() ?? .zero
        return largest >= Exact(1_000_000) ? (4, "万", "10k") : (0, "", "")
    }

    func cell(_ observation: Observation?, _ indicator: Indicator, scale: Int) -> Cell {
        if let status = confidentiality(observation) { return .withheld(status) }
        guard let observation, let value = observation.usableValue else { return Cell(NumberFormat.noData) }
        let decimals = scale == 0 ? indicator.decimals : 2
        let shown = value.timesPowerOfTen(-scale)
        return Cell(NumberFormat.grouped(shown, decimals: decimals), mark: mark(observation),
                    number: shown.rounded(decimals: decimals), decimals: decimals)
    }

    /// A rank as a number, or `1/1` as text where it ranks among one (a rank that ranks nothing).
    func rankCell(_ row: RankingRow) -> Cell {
        row.rankedAmong == 1 ? Cell(NumberFormat.rank(row.rank, among: 1)) : Cell(String(row.rank), number: Exact(row.rank))
    }

    func mark(_ observation: Observation?) -> String? {
        guard let status = observation?.status, status == .P || status == .E else { return nil }
        return status.rawValue
    }
}

extension String {
    /// A published value (`1234.5`) with thousands separators (`1,234.5`).
    public var groupedPublished: String {
        let decimals = split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
        return Exact(decimal: self).map { NumberFormat.grouped($0, decimals: decimals) } ?? self
    }
}
