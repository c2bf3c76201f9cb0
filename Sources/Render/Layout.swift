import YearbookCore

/// What one chapter shows beyond its title, from the pipeline definition.
public struct ChapterLayout: Codable, Sendable, Hashable {
    /// Sentences with placeholders filled from the subject's figures:
    /// `{EXPR}` a value (`{BEDS_TOTAL}`, `{DIBAO_PERSONS_U+DIBAO_PERSONS_R}`),
    /// `{EXPR|万}` or `{EXPR|亿}` the value in 10⁴ or 10⁸ (up to 2 decimals),
    /// `{rank:CODE}` the subject's rank, `{move:CODE}` its move since last year.
    /// In the English text the same placeholders read in English: `{EXPR|万|1}` of 102,000 is
    /// `102 thousand` (thousand, million or billion as the size needs), a rank `5th`.
    public var headlines: [Bilingual]?
    /// The chapter's key figures: the subject's this year and last (the table
    /// `columns`), and their last five years where earlier editions exist.
    /// Default: all of the chapter's indicators.
    public var key: [String]?
    /// Topic tables: several indicators side by side, the subject and its areas as rows.
    /// Default: the chapter's indicators, six to a table.
    public var tables: [TopicTable]?
    /// Indicators whose ranking among the subject's sibling areas is shown (table and chart).
    public var rankings: [String]?
    /// Indicators drawn as a bar chart of the subject's areas, ranked.
    public var charts: [String]?
    /// Indicators drawn as a trend of the last five years, where earlier editions exist.
    public var trends: [String]?

    public init(headlines: [Bilingual]? = nil, key: [String]? = nil, tables: [TopicTable]? = nil,
                rankings: [String]? = nil, charts: [String]? = nil, trends: [String]? = nil) {
        self.headlines = headlines
        self.key = key
        self.tables = tables
        self.rankings = rankings
        self.charts = charts
        self.trends = trends
    }

    /// Every indicator code the layout names, for the definition's checks.
    public var indicatorCodes: [String] {
        (key ?? []) + (tables ?? []).flatMap(\.indicatorCodes) + (rankings ?? []) + (charts ?? []) + (trends ?? [])
    }
}

/// A topic table (e.g. 城乡低保: households, recipients and spending, urban and
/// rural): columns in groups under a shared heading, this year's figures.
public struct TopicTable: Codable, Sendable, Hashable {
    /// Unique within the chapter: the table's anchor and its name in the workbook.
    public var id: String
    public var title: Bilingual
    public var groups: [ColumnGroup]

    public init(id: String, title: Bilingual, groups: [ColumnGroup]) {
        self.id = id
        self.title = title
        self.groups = groups
    }

    public var indicatorCodes: [String] { groups.flatMap { $0.columns.map(\.indicator) } }
}

/// Columns under one heading of the upper header row; without a title each
/// column's heading spans both rows.
public struct ColumnGroup: Codable, Sendable, Hashable {
    public var title: Bilingual?
    public var columns: [TopicColumn]

    public init(title: Bilingual? = nil, columns: [TopicColumn]) {
        self.title = title
        self.columns = columns
    }
}

/// One indicator's column; its heading is `label` (default: the indicator's name) and its unit.
public struct TopicColumn: Codable, Sendable, Hashable {
    public var indicator: String
    public var label: Bilingual?

    public init(indicator: String, label: Bilingual? = nil) {
        self.indicator = indicator
        self.label = label
    }
}

/// How figures are shown: columns of the key-figures tables and unit labels.
public struct Presentation: Sendable {
    /// Any of `value`, `previous`, `change`, `rank`, `rank_change`, in order.
    public var columns: [String]
    /// Base unit → label a reader expects (e.g. `yuan` → 元 / yuan).
    public var units: [String: Bilingual]
    public var chapters: [String: ChapterLayout]

    public static let allColumns = ["value", "previous", "change", "rank", "rank_change"]

    public init(columns: [String] = Presentation.allColumns, units: [String: Bilingual] = [:],
                chapters: [String: ChapterLayout] = [:]) {
        self.columns = columns
        self.units = units
        self.chapters = chapters
    }

    public func layout(of chapter: String) -> ChapterLayout { chapters[chapter] ?? ChapterLayout() }

    public func unit(_ base: String) -> Bilingual { units[base] ?? Bilingual(zh: base, en: base) }
}
