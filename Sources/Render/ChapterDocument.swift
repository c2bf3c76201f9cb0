import Aggregate
import YearbookCore

/// One table cell: its text, and the status mark of the figure in it.
public struct Cell: Sendable, Hashable {
    public var text: String
    /// `P` or `E` where the figure is provisional or estimated.
    public var mark: String?

    public init(_ text: String, mark: String? = nil) {
        self.text = text
        self.mark = mark
    }
}

/// A table: a caption, column headings, rows; the first column names the area.
public struct Table: Sendable, Hashable {
    public var id: String
    public var caption: Bilingual
    public var columns: [Bilingual]
    public var rows: [[Cell]]
    /// Rows of the subject area, shown in bold.
    public var emphasized: Set<Int>
    /// What each column holds (`area`, `value`, `previous`, `change`, `rank`, `rank_change`), for
    /// the tables as data: a column is the same column in two editions even when its heading names another year.
    public var columnIDs: [String] = []
    /// The area code of each row.
    public var rowAreas: [String] = []
    /// The indicator each table shows.
    public var indicator: String = ""
}

/// A chapter laid out, before it is written as Markdown or HTML.
public struct ChapterDocument: Sendable {
    public var chapter: Chapter
    public var number: Int
    public var headlines: [Bilingual]
    public var tables: [Table]
}

extension Edition {
    /// Lays out one chapter: headlines, a table per indicator (the subject and
    /// its areas), and the rankings of the subject among its siblings.
    public func document(for chapter: Chapter, presentation: Presentation) -> ChapterDocument {
        let layout = presentation.layout(of: chapter.id)
        let codes = layout.tables ?? indicators.filter { $0.chapter == chapter.id }.map(\.code)
        var tables: [Table] = []
        for code in codes {
            guard let indicator = indicators.first(where: { $0.code == code }) else { continue }
            tables.append(areaTable(indicator, presentation: presentation))
        }
        for code in layout.rankings ?? [] {
            guard let indicator = indicators.first(where: { $0.code == code }),
                  let table = rankingTable(indicator, presentation: presentation) else { continue }
            tables.append(table)
        }
        let headlines = (layout.headlines ?? []).map { Bilingual(zh: fill($0.zh, english: false), en: fill($0.en, english: true)) }
        let number = (chapters.firstIndex(of: chapter) ?? 0) + 1
        return ChapterDocument(chapter: chapter, number: number, headlines: headlines, tables: tables)
    }

    func areaName(_ code: String) -> Bilingual {
        guard let area = registry[code] else { return Bilingual(zh: code, en: code) }
        return Bilingual(zh: area.nameZH, en: area.nameEN)
    }

    /// The subject and its areas valid this year, with this year's and last
    /// year's figures, the change, the rank and the move.
    func areaTable(_ indicator: Indicator, presentation: Presentation) -> Table {
        let unit = presentation.unit(indicator.unit)
        let scale = displayScale(indicator)
        let unitLabel = scale.power == 0 ? unit : Bilingual(zh: scale.zh + unit.zh, en: scale.en + " " + unit.en)
        var columns = [Bilingual(zh: "地区", en: "Area")]
        var kinds: [String] = []
        for column in presentation.columns {
            if (column == "rank" || column == "rank_change"), indicator.rank == nil { continue }
            kinds.append(column)
            switch column {
            case "value": columns.append(Bilingual(zh: "\(year)年 (\(unitLabel.zh))", en: "\(year) (\(unitLabel.en))"))
            case "previous": columns.append(Bilingual(zh: "\(year - 1)年 (\(unitLabel.zh))", en: "\(year - 1) (\(unitLabel.en))"))
            case "change":
                columns.append(indicator.changeIsInPoints ? Bilingual(zh: "增减 (百分点)", en: "Change (pp)")
                                                          : Bilingual(zh: "增长 (%)", en: "Change (%)"))
            case "rank": columns.append(Bilingual(zh: "排名", en: "Rank"))
            default: columns.append(Bilingual(zh: "位次变化", en: "Rank move"))
            }
        }
        let ranks = Dictionary(rankings.filter { $0.indicator == indicator.code }.map { ($0.area, $0) },
                               uniquingKeysWith: { a, _ in a })
        let areas = [subject] + registry.children(of: subject, in: year)
        var rows: [[Cell]] = []
        var rowAreas: [String] = []
        for area in areas {
            let name = areaName(area)
            var row = [Cell("\(name.zh) \(name.en)")]
            rowAreas.append(area)
            let yoy = YearOverYear.lookup(area: area, indicator: indicator.code, year: year,
                                          observations: observations, registry: registry)
            for kind in kinds {
                switch kind {
                case "value": row.append(cell(yoy.current, indicator, scale: scale.power))
                case "previous": row.append(cell(yoy.previous, indicator, scale: scale.power))
                case "change": row.append(Cell(NumberFormat.change(yoy.change(for: indicator), inPoints: indicator.changeIsInPoints)))
                case "rank": row.append(Cell(ranks[area].map { NumberFormat.rank($0.rank, among: $0.rankedAmong) } ?? NumberFormat.noData))
                default: row.append(Cell(ranks[area].map { NumberFormat.move($0.rankChange) } ?? NumberFormat.noData))
                }
            }
            rows.append(row)
        }
        return Table(id: indicator.code,
                     caption: Bilingual(zh: indicator.nameZH, en: indicator.nameEN),
                     columns: columns, rows: rows, emphasized: [0],
                     columnIDs: ["area"] + kinds, rowAreas: rowAreas, indicator: indicator.code)
    }

    /// The subject among its siblings (e.g. a prefecture among the province's), by rank.
    func rankingTable(_ indicator: Indicator, presentation: Presentation) -> Table? {
        guard let parent = registry[subject]?.parent else { return nil }
        let rows = rankings.filter { $0.indicator == indicator.code && $0.parent == parent }
        guard !rows.isEmpty else { return nil }
        let unit = presentation.unit(indicator.unit)
        let parentName = areaName(parent)
        var table = Table(
            id: "rank-\(indicator.code)",
            caption: Bilingual(zh: "\(indicator.nameZH)：\(parentName.zh)排名", en: "\(indicator.nameEN): ranking in \(parentName.en)"),
            columns: [Bilingual(zh: "排名", en: "Rank"), Bilingual(zh: "地区", en: "Area"),
                      Bilingual(zh: "\(year)年 (\(unit.zh))", en: "\(year) (\(unit.en))"),
                      Bilingual(zh: "上年排名", en: "Rank \(year - 1)"), Bilingual(zh: "位次变化", en: "Rank move")],
            rows: [], emphasized: [],
            columnIDs: ["rank", "area", "value", "previous_rank", "rank_change"], indicator: indicator.code)
        for (index, row) in rows.enumerated() {
            table.rowAreas.append(row.area)
            let name = areaName(row.area)
            let observation = observations[ObservationKey(area: row.area, indicator: indicator.code, period: year)]
            table.rows.append([Cell(NumberFormat.rank(row.rank, among: row.rankedAmong)), Cell("\(name.zh) \(name.en)"),
                               Cell(row.published.groupedPublished, mark: mark(observation)),
                               Cell(row.previousRank.map(String.init) ?? NumberFormat.noData), Cell(NumberFormat.move(row.rankChange))])
            if row.area == subject { table.emphasized.insert(index) }
        }
        // The ranking table's first column is the rank; the area is second.
        return table
    }

    /// Large sums of money read better in 万元 (10⁴ yuan).
    func displayScale(_ indicator: Indicator) -> (power: Int, zh: String, en: String) {
        guard indicator.unit == "yuan" else { return (0, "", "") }
        let largest = observations.values.filter { $0.indicator == indicator.code && $0.area == subject }
            .compactMap(\.usableValue).map(\.magnitude).max() ?? .zero
        return largest >= Exact(1_000_000) ? (4, "万", "10k") : (0, "", "")
    }

    func cell(_ observation: Observation?, _ indicator: Indicator, scale: Int) -> Cell {
        guard let observation, let value = observation.usableValue else { return Cell(NumberFormat.noData) }
        let text = scale == 0 ? NumberFormat.grouped(value, decimals: indicator.decimals)
                              : NumberFormat.grouped(value.timesPowerOfTen(-scale), decimals: 2)
        return Cell(text, mark: mark(observation))
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
